/// A bounds-checked reader of protobuf wire format over a byte array.
///
/// Every read checks the remaining bytes and throws `ExpositionError` (kind `.protobuf`) with
/// the absolute byte offset; nothing traps on malformed input.
struct ProtobufReader {
    enum WireType: UInt64 {
        case varint = 0, fixed64 = 1, lengthDelimited = 2, startGroup = 3, endGroup = 4, fixed32 = 5
    }

    let bytes: [UInt8]
    var position: Int
    let end: Int

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        position = 0
        end = bytes.count
    }

    init(_ bytes: [UInt8], range: Range<Int>) {
        self.bytes = bytes
        position = range.lowerBound
        end = range.upperBound
    }

    var isAtEnd: Bool { position >= end }

    func error(_ message: String, at offset: Int? = nil) -> ExpositionError {
        ExpositionError(.protobuf, message, offset: offset ?? position)
    }

    mutating func readVarint() throws(ExpositionError) -> UInt64 {
        let start = position
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard position < end else { throw error("truncated varint", at: start) }
            let byte = bytes[position]
            position += 1
            if shift == 63 && byte > 1 { throw error("varint overflows 64 bits", at: start) }
            value |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return value }
            shift += 7
            if shift > 63 { throw error("varint is longer than 10 bytes", at: start) }
        }
    }

    /// A field key: field number and wire type.
    mutating func readTag() throws(ExpositionError) -> (field: UInt64, wireType: WireType) {
        let start = position
        let key = try readVarint()
        let field = key >> 3
        guard field > 0 && field <= 0x1FFF_FFFF else { throw error("invalid field number \(field)", at: start) }
        guard let wireType = WireType(rawValue: key & 7), wireType != .startGroup, wireType != .endGroup else {
            throw error("unsupported wire type \(key & 7) for field \(field)", at: start)
        }
        return (field, wireType)
    }

    mutating func readFixed64() throws(ExpositionError) -> UInt64 {
        guard end - position >= 8 else { throw error("truncated fixed64") }
        var value: UInt64 = 0
        for index in 0..<8 { value |= UInt64(bytes[position + index]) << (8 * UInt64(index)) }
        position += 8
        return value
    }

    mutating func readDouble() throws(ExpositionError) -> Double { Double(bitPattern: try readFixed64()) }

    /// The range of a length-delimited field's payload; advances past it.
    mutating func readLengthDelimited() throws(ExpositionError) -> Range<Int> {
        let start = position
        let length = try readVarint()
        guard length <= UInt64(end - position) else {
            throw error("length \(length) runs past the end of the message (\(end - position) bytes left)", at: start)
        }
        let range = position..<(position + Int(length))
        position = range.upperBound
        return range
    }

    mutating func readString(_ what: String) throws(ExpositionError) -> String {
        let range = try readLengthDelimited()
        guard let string = String(validating: bytes[range], as: UTF8.self) else {
            throw error("\(what) is not valid UTF-8", at: range.lowerBound)
        }
        return string
    }

    /// Skips a field of any supported wire type.
    mutating func skip(_ wireType: WireType) throws(ExpositionError) {
        switch wireType {
        case .varint: _ = try readVarint()
        case .fixed64: _ = try readFixed64()
        case .lengthDelimited: _ = try readLengthDelimited()
        case .fixed32:
            guard end - position >= 4 else { throw error("truncated fixed32") }
            position += 4
        case .startGroup, .endGroup: throw error("groups are not supported")
        }
    }

    /// Reads a field whose wire type must be `expected`; otherwise throws.
    func expect(_ wireType: WireType, _ expected: WireType, field: String, at offset: Int) throws(ExpositionError) {
        guard wireType == expected else {
            throw error("field \(field) has wire type \(wireType.rawValue); want \(expected.rawValue)", at: offset)
        }
    }
}
