/// An append-only byte buffer with the encodings of Prometheus' `encoding.Encbuf`:
/// big-endian fixed-width integers, Go-style unsigned (LEB128) and zig-zag signed varints,
/// and uvarint-length-prefixed strings.
package struct ByteWriter: Sendable {
    package private(set) var bytes: [UInt8]

    package init(capacity: Int = 0) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    package var count: Int { bytes.count }

    package mutating func putByte(_ byte: UInt8) { bytes.append(byte) }

    package mutating func putBytes(_ other: some Sequence<UInt8>) { bytes.append(contentsOf: other) }

    package mutating func putBE16(_ value: UInt16) {
        bytes.append(UInt8(truncatingIfNeeded: value >> 8))
        bytes.append(UInt8(truncatingIfNeeded: value))
    }

    package mutating func putBE32(_ value: UInt32) {
        Swift.withUnsafeBytes(of: value.bigEndian) { bytes.append(contentsOf: $0) }
    }

    package mutating func putBE64(_ value: UInt64) {
        Swift.withUnsafeBytes(of: value.bigEndian) { bytes.append(contentsOf: $0) }
    }

    /// Calls `body` with the bytes written so far.
    package func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try bytes.withUnsafeBytes(body)
    }

    /// Empties the buffer and keeps its storage, so one writer can encode many records.
    package mutating func reset() { bytes.removeAll(keepingCapacity: true) }

    package mutating func putUvarint(_ value: UInt64) {
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }

    /// Zig-zag, then LEB128: Go's `binary.PutVarint`.
    package mutating func putVarint(_ value: Int64) {
        putUvarint(UInt64(bitPattern: (value << 1) ^ (value >> 63)))
    }

    /// The UTF-8 byte count as a uvarint, then the bytes.
    package mutating func putUvarintString(_ string: String) {
        var copy = string
        copy.withUTF8 { utf8 in
            putUvarint(UInt64(utf8.count))
            bytes.append(contentsOf: utf8)
        }
    }

    /// Overwrites 4 bytes at `offset` (which must already exist) with `value` big-endian.
    package mutating func setBE32(_ value: UInt32, at offset: Int) {
        for index in 0..<4 { bytes[offset + index] = UInt8(truncatingIfNeeded: value >> UInt32(24 - 8 * index)) }
    }
}
