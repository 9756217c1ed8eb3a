import PharosCore

/// Decodes an XOR chunk (see `XORChunk`) forward. Reads only what the header announces;
/// truncated or corrupted bytes end iteration with `error` set instead of trapping.
package struct XORIterator: SampleIterator {
    private let bytes: [UInt8]
    /// Absolute bit position of the next bit to read, and the number of bits in `bytes`.
    private var position: Int
    private let bitCount: Int
    private let total: Int
    private var read = 0
    private var timestamp: Timestamp = 0
    private var value: Double = 0
    private var delta: UInt64 = 0
    private var leading: UInt8 = 0
    private var trailing: UInt8 = 0
    private var done = false
    /// Set when the bytes ended early or held an impossible encoding.
    package private(set) var error: TSDBError?

    /// Iterates `bytes`, which must start with the 2-byte sample count header.
    package init(bytes: [UInt8]) {
        self.bytes = bytes
        position = 16
        bitCount = bytes.count * 8
        if bytes.count >= 2 {
            total = Int(bytes[0]) << 8 | Int(bytes[1])
        } else {
            total = 0
            if !bytes.isEmpty { error = TSDBError(.corruptChunk, "chunk of \(bytes.count) byte(s) has no 2-byte header") }
        }
    }

    /// Number of samples the header announces.
    package var announcedCount: Int { total }

    package var current: (timestamp: Timestamp, value: Double) { (timestamp, value) }

    package mutating func next() -> Bool {
        let bytes = self.bytes
        return bytes.withUnsafeBytes { step($0) }
    }

    package mutating func seek(to target: Timestamp) -> Bool {
        if done { return false }
        if read > 0 && timestamp >= target { return true }
        var found = false
        forEachRemaining { timestamp, _ in
            found = timestamp >= target
            return !found
        }
        return found
    }

    /// Decodes the following samples one by one, calling `body` with each, until `body`
    /// returns false (the iterator then stays on that sample) or the samples end. One pass
    /// over the bytes: cheaper than calling `next` per sample.
    package mutating func forEachRemaining(_ body: (Timestamp, Double) -> Bool) {
        let bytes = self.bytes
        bytes.withUnsafeBytes { buffer in
            while step(buffer) {
                if !body(timestamp, value) { return }
            }
        }
    }

    /// `next` over `buffer`, the bytes of `bytes`.
    @inline(__always)
    private mutating func step(_ buffer: UnsafeRawBufferPointer) -> Bool {
        guard !done, error == nil, read < total else {
            done = true
            return false
        }
        let ok: Bool
        switch read {
        case 0: ok = readFirst(buffer)
        case 1: ok = readSecond(buffer)
        default: ok = readNext(buffer)
        }
        guard ok else {
            done = true
            if error == nil {
                error = TSDBError(.corruptChunk, "chunk ends inside sample \(read + 1) of \(total)")
            }
            return false
        }
        read += 1
        return true
    }

    /// The 64 bits starting at bit `at`, most significant first; bits past the end read as 0
    /// (callers check `position <= bitCount` after consuming). At least 57 bits are exact.
    @inline(__always)
    private static func peek(_ buffer: UnsafeRawBufferPointer, _ at: Int) -> UInt64 {
        let byteIndex = at >> 3
        let word: UInt64
        if byteIndex + 8 <= buffer.count {
            word = UInt64(bigEndian: buffer.loadUnaligned(fromByteOffset: byteIndex, as: UInt64.self))
        } else {
            var assembled: UInt64 = 0
            for index in 0..<8 {
                assembled <<= 8
                if byteIndex + index < buffer.count { assembled |= UInt64(buffer[byteIndex + index]) }
            }
            word = assembled
        }
        return word << UInt64(at & 7)
    }

    /// Reads `count` bits (1...64) at `position` into the low bits of the result.
    @inline(__always)
    private mutating func take(_ buffer: UnsafeRawBufferPointer, _ count: Int) -> UInt64 {
        if count <= 56 {
            let bits = Self.peek(buffer, position) >> UInt64(64 - count)
            position += count
            return bits
        }
        let high = Self.peek(buffer, position) >> 32
        let low = Self.peek(buffer, position + 32) >> UInt64(96 - count)
        position += count
        return high << UInt64(count - 32) | low
    }

    private mutating func readUvarint(_ buffer: UnsafeRawBufferPointer) -> UInt64? {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        for index in 0..<10 {
            let byte = take(buffer, 8)
            guard position <= bitCount else { return nil }
            if byte < 0x80 {
                if index == 9 && byte > 1 { return nil }
                return result | byte << shift
            }
            result |= (byte & 0x7f) << shift
            shift += 7
        }
        return nil
    }

    private mutating func readFirst(_ buffer: UnsafeRawBufferPointer) -> Bool {
        guard let raw = readUvarint(buffer) else { return false }
        let half = Int64(bitPattern: raw >> 1)
        timestamp = raw & 1 == 0 ? half : ~half
        let bits = take(buffer, 64)
        guard position <= bitCount else { return false }
        value = Double(bitPattern: bits)
        return true
    }

    private mutating func readSecond(_ buffer: UnsafeRawBufferPointer) -> Bool {
        guard let d = readUvarint(buffer) else { return false }
        delta = d
        timestamp = timestamp &+ Int64(bitPattern: d)
        return readValue(buffer)
    }

    @inline(__always)
    private mutating func readNext(_ buffer: UnsafeRawBufferPointer) -> Bool {
        // The delta-of-delta prefix is up to four 1 bits ended by a 0 (absent after four 1s).
        let word = Self.peek(buffer, position)
        let ones = min(4, (~word).leadingZeroBitCount)
        let size: Int
        switch ones {
        case 0: size = 0
        case 1: size = 14
        case 2: size = 17
        case 3: size = 20
        default: size = 64
        }
        let prefixLength = ones < 4 ? ones + 1 : 4
        var dod: Int64 = 0
        if size == 0 {
            position += prefixLength
        } else if size < 64 {
            var bits = (word << UInt64(prefixLength)) >> UInt64(64 - size)
            position += prefixLength + size
            if bits > UInt64(1) << UInt64(size - 1) {
                bits = bits &- (UInt64(1) << UInt64(size)) // sign-extend the two's complement field
            }
            dod = Int64(bitPattern: bits)
        } else {
            position += prefixLength
            dod = Int64(bitPattern: take(buffer, 64))
        }
        guard position <= bitCount else { return false }
        delta = UInt64(bitPattern: Int64(bitPattern: delta) &+ dod)
        timestamp = timestamp &+ Int64(bitPattern: delta)
        return readValue(buffer)
    }

    @inline(__always)
    private mutating func readValue(_ buffer: UnsafeRawBufferPointer) -> Bool {
        let word = Self.peek(buffer, position)
        if word >> 63 == 0 {
            position += 1
            return position <= bitCount
        }
        if (word >> 62) & 1 == 1 {
            // New window: 5 bits of leading zeros, 6 bits of significant bits (0 means 64).
            let lead = Int((word >> 57) & 0x1F)
            var significant = Int((word >> 51) & 0x3F)
            position += 13
            guard position <= bitCount else { return false }
            if significant == 0 { significant = 64 }
            guard lead + significant <= 64 else {
                error = TSDBError(.corruptChunk, "sample \(read + 1) has \(lead) leading zeros and \(significant) significant bits")
                return false
            }
            leading = UInt8(lead)
            trailing = UInt8(64 - lead - significant)
        } else {
            position += 2
        }
        let width = 64 - Int(leading) - Int(trailing)
        let bits = take(buffer, width)
        guard position <= bitCount else { return false }
        value = Double(bitPattern: value.bitPattern ^ (bits << UInt64(trailing)))
        return true
    }
}
