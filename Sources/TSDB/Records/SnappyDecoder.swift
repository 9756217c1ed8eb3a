/// Decoder for the Snappy block format (not the framed stream format), which Prometheus uses
/// to compress WAL records (fragment type flag `0x08`).
///
/// Format: the uncompressed length as a uvarint, then elements: literals (tag low bits `00`)
/// and back-references with 1-, 2- or 4-byte offsets (`01`, `10`, `11`). Pure; any malformed
/// input throws, never traps, and output is capped at the announced length.
package enum SnappyDecoder {
    package struct Failure: Error, Sendable, CustomStringConvertible {
        package var reason: String
        package var description: String { reason }
    }

    /// The largest output we accept (a WAL record is far smaller).
    package static let maximumLength = 1 << 30

    package static func decode(_ input: UnsafeRawBufferPointer) throws(Failure) -> [UInt8] {
        var reader = ByteReader(input)
        let announced: UInt64
        do { announced = try reader.uvarint() } catch { throw Failure(reason: "cannot read snappy length: \(error.reason)") }
        guard announced <= UInt64(maximumLength) else { throw Failure(reason: "snappy length \(announced) is too large") }
        let length = Int(announced)
        var output: [UInt8] = []
        output.reserveCapacity(length)
        var position = reader.offset
        func byte(_ index: Int) throws(Failure) -> Int {
            guard index < input.count else { throw Failure(reason: "snappy input ends inside an element") }
            return Int(input[index])
        }
        while position < input.count {
            let tag = Int(input[position])
            position += 1
            switch tag & 3 {
            case 0:
                var literal = tag >> 2
                if literal >= 60 {
                    let extra = literal - 59
                    var value = 0
                    for index in 0..<extra { value |= try byte(position + index) << (8 * index) }
                    position += extra
                    literal = value
                }
                literal += 1
                guard literal <= input.count - position else { throw Failure(reason: "snappy literal of \(literal) bytes runs past the input") }
                guard output.count + literal <= length else { throw Failure(reason: "snappy output exceeds the announced \(length) bytes") }
                output.append(contentsOf: UnsafeRawBufferPointer(rebasing: input[position..<position + literal]))
                position += literal
            default:
                let count: Int, offset: Int
                switch tag & 3 {
                case 1:
                    count = 4 + (tag >> 2) & 7
                    offset = (tag >> 5) << 8 | (try byte(position))
                    position += 1
                case 2:
                    count = 1 + tag >> 2
                    offset = try byte(position) | (try byte(position + 1)) << 8
                    position += 2
                default:
                    count = 1 + tag >> 2
                    var value = 0
                    for index in 0..<4 { value |= try byte(position + index) << (8 * index) }
                    offset = value
                    position += 4
                }
                guard offset > 0, offset <= output.count else { throw Failure(reason: "snappy copy offset \(offset) is outside the \(output.count) bytes decoded") }
                guard output.count + count <= length else { throw Failure(reason: "snappy output exceeds the announced \(length) bytes") }
                let from = output.count - offset
                for index in 0..<count { output.append(output[from + index]) }
            }
        }
        guard output.count == length else { throw Failure(reason: "snappy output has \(output.count) bytes; want \(length)") }
        return output
    }
}
