/// A bounds-checked cursor over bytes, the reading side of `ByteWriter` (Prometheus'
/// `encoding.Decbuf`). Every read throws `ByteReader.Failure` instead of trapping when the
/// input is short or a varint overflows, so corrupt input can never crash the process.
package struct ByteReader {
    /// Why a read failed; callers wrap it into their module error with a location.
    package struct Failure: Error, Sendable, CustomStringConvertible {
        package var offset: Int
        package var reason: String
        package var description: String { "at byte \(offset): \(reason)" }
    }

    private let bytes: UnsafeRawBufferPointer
    /// Index of the next unread byte, relative to the buffer's start.
    package private(set) var offset: Int

    /// Reads `bytes`, which must stay valid (and unchanged) while the reader is used.
    package init(_ bytes: UnsafeRawBufferPointer, offset: Int = 0) {
        self.bytes = bytes
        self.offset = offset
    }

    package var remaining: Int { bytes.count - offset }
    package var isAtEnd: Bool { offset >= bytes.count }

    private func fail(_ reason: String) -> Failure { Failure(offset: offset, reason: reason) }

    private func need(_ count: Int, _ what: String) throws(Failure) {
        if count < 0 || remaining < count { throw fail("cannot read \(what): need \(count) bytes, have \(remaining)") }
    }

    package mutating func byte() throws(Failure) -> UInt8 {
        try need(1, "byte")
        defer { offset += 1 }
        return bytes[offset]
    }

    package mutating func be32() throws(Failure) -> UInt32 {
        try need(4, "uint32")
        var value: UInt32 = 0
        for index in 0..<4 { value = value << 8 | UInt32(bytes[offset + index]) }
        offset += 4
        return value
    }

    package mutating func be64() throws(Failure) -> UInt64 {
        try need(8, "uint64")
        var value: UInt64 = 0
        for index in 0..<8 { value = value << 8 | UInt64(bytes[offset + index]) }
        offset += 8
        return value
    }

    package mutating func uvarint() throws(Failure) -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        let start = offset
        while true {
            guard offset < bytes.count else {
                offset = start
                throw fail("cannot read varint: input ends inside it")
            }
            let byte = bytes[offset]
            offset += 1
            if shift == 63 && byte > 1 {
                offset = start
                throw fail("cannot read varint: overflows 64 bits")
            }
            value |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return value }
            shift += 7
        }
    }

    package mutating func varint() throws(Failure) -> Int64 {
        let raw = try uvarint()
        return Int64(bitPattern: raw >> 1) ^ -Int64(bitPattern: raw & 1)
    }

    /// A uvarint count that must fit the remaining input at `minimumSize` bytes per element.
    package mutating func count(minimumSize: Int = 1) throws(Failure) -> Int {
        let raw = try uvarint()
        guard raw <= UInt64(remaining / max(minimumSize, 1)) else {
            throw fail("count \(raw) exceeds the \(remaining) bytes left")
        }
        return Int(raw)
    }

    package mutating func bytes(_ count: Int) throws(Failure) -> UnsafeRawBufferPointer {
        try need(count, "\(count) bytes")
        defer { offset += count }
        return UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + count])
    }

    /// A uvarint length then that many bytes, decoded as UTF-8 (invalid sequences repaired).
    package mutating func uvarintString() throws(Failure) -> String {
        let length = try count()
        let raw = try bytes(length)
        return String(decoding: raw, as: UTF8.self)
    }

    package mutating func skip(_ count: Int) throws(Failure) {
        try need(count, "\(count) bytes")
        offset += count
    }

    package mutating func seek(to position: Int) throws(Failure) {
        guard position >= 0 && position <= bytes.count else {
            throw fail("cannot seek to \(position): input has \(bytes.count) bytes")
        }
        offset = position
    }
}
