/// An append-only stream of bits, most significant bit first, as Prometheus' `bstream`.
///
/// Bytes fill from their high bit down; `writeByte` and `writeBits` need not be byte-aligned,
/// so varints written through them straddle byte boundaries exactly as in Prometheus chunks.
/// A value type: copying snapshots the bytes written so far.
package struct BitStreamWriter: Sendable {
    /// The bytes written; the last byte may be partially filled (its low `freeBits` are zero).
    package private(set) var bytes: [UInt8]
    /// How many low bits of the last byte are still free (0 means the next bit starts a byte).
    package private(set) var freeBits: Int = 0

    package init(bytes: [UInt8] = [], reservingCapacity capacity: Int = 0) {
        self.bytes = bytes
        if capacity > bytes.count { self.bytes.reserveCapacity(capacity) }
    }

    /// Makes room for `extra` more bytes, growing by half rather than Array's doubling, so an
    /// open chunk carries little slack (a 120-sample chunk of ~270 bytes would otherwise sit in
    /// a 512-byte buffer).
    @inline(__always)
    private mutating func reserve(_ extra: Int) {
        let needed = bytes.count + extra
        if needed > bytes.capacity { bytes.reserveCapacity(Swift.max(needed, bytes.count + bytes.count / 2, 16)) }
    }

    package mutating func writeBit(_ bit: Bool) {
        if freeBits == 0 {
            reserve(1)
            bytes.append(bit ? 0x80 : 0)
            freeBits = 7
            return
        }
        freeBits -= 1
        if bit { bytes[bytes.count - 1] |= 1 << UInt8(truncatingIfNeeded: freeBits) }
    }

    package mutating func writeByte(_ byte: UInt8) {
        reserve(1)
        if freeBits == 0 {
            bytes.append(byte)
            return
        }
        bytes[bytes.count - 1] |= byte >> UInt8(truncatingIfNeeded: 8 - freeBits)
        bytes.append(byte << UInt8(truncatingIfNeeded: freeBits))
    }

    /// Writes the `count` low bits of `value`, most significant first. `count` is 0...64.
    ///
    /// Fills the partial last byte, then appends whole bytes, then a partial byte: at most
    /// nine byte operations whatever `count` is.
    package mutating func writeBits(_ value: UInt64, count: Int) {
        precondition(count >= 0 && count <= 64, "bit count out of range")
        guard count > 0 else { return }
        reserve((count + 7) / 8)
        var remaining = count
        // Left-align the bits to write: the next bit to write is the word's top bit.
        var word = value << UInt64(truncatingIfNeeded: 64 - count)
        if freeBits > 0 {
            let take = min(freeBits, remaining)
            let top = UInt8(truncatingIfNeeded: word >> 56)
            bytes[bytes.count - 1] |= top >> UInt8(truncatingIfNeeded: 8 - freeBits)
            freeBits -= take
            remaining -= take
            word = take == 64 ? 0 : word << UInt64(truncatingIfNeeded: take)
        }
        while remaining >= 8 {
            bytes.append(UInt8(truncatingIfNeeded: word >> 56))
            word <<= 8
            remaining -= 8
        }
        if remaining > 0 {
            bytes.append(UInt8(truncatingIfNeeded: word >> 56))
            freeBits = 8 - remaining
        }
    }

    /// Go's `binary.PutUvarint`, bit-aligned into the stream.
    package mutating func writeUvarint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            writeByte(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        writeByte(UInt8(v))
    }

    /// Go's `binary.PutVarint` (zig-zag), bit-aligned into the stream.
    package mutating func writeVarint(_ value: Int64) {
        writeUvarint(UInt64(bitPattern: (value << 1) ^ (value >> 63)))
    }

    /// Overwrites a whole byte already written (used for chunk headers).
    package mutating func setByte(_ byte: UInt8, at index: Int) {
        bytes[index] = byte
    }
}

/// Reads a bit stream written by `BitStreamWriter`. Every read is bounds-checked and returns
/// nil past the end, so truncated or corrupted input never traps.
package struct BitStreamReader {
    private let bytes: [UInt8]
    /// Absolute bit position of the next bit to read.
    package private(set) var bitPosition: Int

    package init(bytes: [UInt8], startingAtByte start: Int = 0) {
        self.bytes = bytes
        self.bitPosition = max(0, start) * 8
    }

    /// Bits left to read.
    package var remainingBits: Int { bytes.count * 8 - bitPosition }

    package mutating func readBit() -> Bool? {
        guard bitPosition < bytes.count * 8 else { return nil }
        let byte = bytes[bitPosition >> 3]
        let bit = (byte >> UInt8(7 - (bitPosition & 7))) & 1
        bitPosition += 1
        return bit == 1
    }

    /// Reads `count` bits (0...64) into the low bits of the result.
    package mutating func readBits(_ count: Int) -> UInt64? {
        guard count >= 0, count <= 64, remainingBits >= count else { return nil }
        guard count > 0 else { return 0 }
        // Fast path: the bits lie inside one unaligned big-endian 64-bit load.
        let byteIndex = bitPosition >> 3, offset = bitPosition & 7
        if offset + count <= 64 && byteIndex + 8 <= bytes.count {
            let word = bytes.withUnsafeBytes { UInt64(bigEndian: $0.loadUnaligned(fromByteOffset: byteIndex, as: UInt64.self)) }
            bitPosition += count
            return (word << UInt64(truncatingIfNeeded: offset)) >> UInt64(truncatingIfNeeded: 64 - count)
        }
        var result: UInt64 = 0
        var remaining = count
        // Finish the current partial byte, then whole bytes, then the tail.
        while remaining > 0 {
            let offset = bitPosition & 7
            let available = 8 - offset
            let take = min(available, remaining)
            let byte = UInt64(bytes[bitPosition >> 3])
            let chunk = (byte >> UInt64(available - take)) & ((1 << UInt64(take)) - 1)
            result = (result << UInt64(take)) | chunk
            bitPosition += take
            remaining -= take
        }
        return result
    }

    package mutating func readByte() -> UInt8? {
        readBits(8).map { UInt8(truncatingIfNeeded: $0) }
    }

    /// Go's `binary.ReadUvarint`; nil on truncation or overflow past 10 bytes.
    package mutating func readUvarint() -> UInt64? {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        for index in 0..<10 {
            guard let byte = readByte() else { return nil }
            if byte < 0x80 {
                if index == 9 && byte > 1 { return nil }
                return result | UInt64(byte) << shift
            }
            result |= UInt64(byte & 0x7f) << shift
            shift += 7
        }
        return nil
    }

    /// Go's `binary.ReadVarint` (zig-zag).
    package mutating func readVarint() -> Int64? {
        guard let raw = readUvarint() else { return nil }
        let value = Int64(bitPattern: raw >> 1)
        return raw & 1 == 0 ? value : ~value
    }
}
