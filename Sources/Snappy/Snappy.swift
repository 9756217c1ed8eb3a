/// Snappy block format (not the framed stream format), as remote write and the WAL use it.
///
/// A block is the uncompressed length as a little-endian base-128 varint, then elements: a
/// literal (tag `00`, length in the tag's upper six bits or in 1–4 following bytes) or a copy
/// of earlier output (tags `01`, `10`, `11` with 1-, 2- or 4-byte offsets). See google/snappy
/// `format_description.txt`.
package enum Snappy {
    /// The default bound on a decoded block: 64 MiB (Prometheus' remote-write limit is 32 MiB).
    package static let defaultMaxDecodedSize = 64 << 20

    /// The uncompressed length a block declares, without decoding it.
    package static func decodedLength(_ block: [UInt8]) throws(SnappyError) -> Int {
        try block.withUnsafeBufferPointer { (buffer) throws(SnappyError) -> Int in
            var position = 0
            return try readPreamble(UnsafeRawBufferPointer(buffer), &position)
        }
    }

    /// Decodes a block, validating every length and offset.
    ///
    /// - Throws: `SnappyError` of kind `.corrupt` (with the byte offset of the bad element)
    ///   for truncated or corrupt input, `.limit` when the declared length exceeds `maxDecodedSize`.
    package static func decompress(_ block: [UInt8], maxDecodedSize: Int = defaultMaxDecodedSize) throws(SnappyError) -> [UInt8] {
        try block.withUnsafeBufferPointer { (buffer) throws(SnappyError) -> [UInt8] in
            try decompress(UnsafeRawBufferPointer(buffer), maxDecodedSize: maxDecodedSize)
        }
    }

    /// Decodes the block in `block` (borrowed for the call only); same contract as the array form.
    package static func decompress(_ block: UnsafeRawBufferPointer, maxDecodedSize: Int = defaultMaxDecodedSize) throws(SnappyError) -> [UInt8] {
        var position = 0
        let length = try readPreamble(block, &position)
        guard length <= maxDecodedSize else {
            throw SnappyError(.limit, "decoded length \(length) exceeds the limit of \(maxDecodedSize) bytes", offset: 0)
        }
        var output = [UInt8](repeating: 0, count: length)
        var written = 0
        try output.withUnsafeMutableBufferPointer { out throws(SnappyError) in
            let input = block
            do {
                while position < input.count {
                    let elementStart = position
                    let tag = input[position]
                    position += 1
                    if tag & 0x03 == 0 {
                        var literal = Int(tag >> 2) + 1
                        if literal > 60 {
                            let extra = literal - 60
                            guard position + extra <= input.count else {
                                throw SnappyError(.corrupt, "truncated literal length", offset: elementStart)
                            }
                            literal = 0
                            for index in 0..<extra { literal |= Int(input[position + index]) << (8 * index) }
                            literal += 1
                            position += extra
                        }
                        guard literal <= input.count - position else {
                            throw SnappyError(.corrupt, "literal of \(literal) bytes runs past the end of the input", offset: elementStart)
                        }
                        guard literal <= length - written else {
                            throw SnappyError(.corrupt, "literal of \(literal) bytes overflows the declared length \(length)", offset: elementStart)
                        }
                        for index in 0..<literal { out[written + index] = input[position + index] }
                        written += literal
                        position += literal
                        continue
                    }
                    let copyLength: Int
                    let offset: Int
                    switch tag & 0x03 {
                    case 1:
                        guard position < input.count else {
                            throw SnappyError(.corrupt, "truncated copy element", offset: elementStart)
                        }
                        copyLength = Int((tag >> 2) & 0x07) + 4
                        offset = Int(tag >> 5) << 8 | Int(input[position])
                        position += 1
                    case 2:
                        guard position + 2 <= input.count else {
                            throw SnappyError(.corrupt, "truncated copy element", offset: elementStart)
                        }
                        copyLength = Int(tag >> 2) + 1
                        offset = Int(input[position]) | Int(input[position + 1]) << 8
                        position += 2
                    default:
                        guard position + 4 <= input.count else {
                            throw SnappyError(.corrupt, "truncated copy element", offset: elementStart)
                        }
                        copyLength = Int(tag >> 2) + 1
                        offset = Int(input[position]) | Int(input[position + 1]) << 8
                            | Int(input[position + 2]) << 16 | Int(input[position + 3]) << 24
                        position += 4
                    }
                    guard offset > 0 && offset <= written else {
                        throw SnappyError(.corrupt, "copy offset \(offset) is outside the \(written) bytes decoded so far", offset: elementStart)
                    }
                    guard copyLength <= length - written else {
                        throw SnappyError(.corrupt, "copy of \(copyLength) bytes overflows the declared length \(length)", offset: elementStart)
                    }
                    // Byte by byte: source and destination may overlap (a repeating pattern).
                    var source = written - offset
                    for _ in 0..<copyLength {
                        out[written] = out[source]
                        written += 1
                        source += 1
                    }
                }
            }
        }
        guard written == length else {
            throw SnappyError(.corrupt, "decoded \(written) bytes but the block declares \(length)", offset: block.count)
        }
        return output
    }

    private static func readPreamble(_ block: UnsafeRawBufferPointer, _ position: inout Int) throws(SnappyError) -> Int {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard position < block.count else {
                throw SnappyError(.corrupt, "truncated length preamble", offset: position)
            }
            let byte = block[position]
            position += 1
            // The length is a uint32: at most five bytes.
            guard shift < 35 else { throw SnappyError(.corrupt, "length preamble is longer than 5 bytes", offset: position - 1) }
            value |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { break }
            shift += 7
        }
        guard value <= UInt64(UInt32.max) else {
            throw SnappyError(.corrupt, "declared length \(value) does not fit in 32 bits", offset: 0)
        }
        return Int(value)
    }
}
