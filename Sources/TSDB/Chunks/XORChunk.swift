import PharosCore

/// A Gorilla-compressed chunk of float samples in Prometheus' `chunkenc` XOR format.
///
/// Layout (bytes match Prometheus chunk files): a 2-byte big-endian sample count, then a bit
/// stream: the first timestamp as a varint and the first value as 64 raw bits; the second
/// timestamp as a uvarint delta and its value XOR-encoded; from the third sample on, the
/// delta-of-delta of timestamps in buckets of 14/17/20/64 bits (prefixes `10`, `110`, `1110`,
/// `1111`; a single `0` bit for zero) and values XOR-encoded against the previous value with
/// reusable leading/trailing-zero windows. See `docs/format/chunks.md` in Prometheus.
///
/// A value type owned by one writer; `bytes` is a snapshot safe to hand to readers.
/// Holds at most `UInt16.max` samples.
package struct XORChunk: Sendable {
    /// Prometheus' encoding byte for XOR chunks in chunk files.
    package static let encoding: UInt8 = 1

    /// Starts with room for a typical 120-sample chunk (Prometheus allocates 128 bytes too), so
    /// appends rarely reallocate.
    private var stream = BitStreamWriter(bytes: [0, 0], reservingCapacity: 128)
    package private(set) var count = 0
    package private(set) var firstTimestamp: Timestamp = .min
    package private(set) var lastTimestamp: Timestamp = .min
    private var lastValue: Double = 0
    private var lastDelta: UInt64 = 0
    private var leading: UInt8 = 0xff
    private var trailing: UInt8 = 0

    package init() {}

    /// The encoded chunk, header included.
    package var bytes: [UInt8] { stream.bytes }

    /// The encoded chunk in an array of exactly its length: what closed chunks keep, so they
    /// carry no growth slack.
    package var compactBytes: [UInt8] {
        let source = stream.bytes
        return [UInt8](unsafeUninitializedCapacity: source.count) { buffer, initialized in
            initialized = source.withUnsafeBufferPointer { buffer.initialize(fromContentsOf: $0) }
        }
    }

    /// True when no more samples fit in the 16-bit header.
    package var isFull: Bool { count >= Int(UInt16.max) }

    /// Encodes one sample. The caller guarantees `timestamp` is later than the previous one
    /// (the encoding would survive otherwise, but readers assume order); traps when full.
    package mutating func append(timestamp: Timestamp, value: Double) {
        precondition(!isFull, "XOR chunk is full")
        switch count {
        case 0:
            stream.writeVarint(timestamp)
            stream.writeBits(value.bitPattern, count: 64)
            firstTimestamp = timestamp
        case 1:
            let delta = UInt64(bitPattern: timestamp &- lastTimestamp)
            stream.writeUvarint(delta)
            writeValue(value)
            lastDelta = delta
        default:
            let delta = UInt64(bitPattern: timestamp &- lastTimestamp)
            let dod = Int64(bitPattern: delta &- lastDelta)
            if dod == 0 {
                stream.writeBit(false)
            } else if Self.fits(dod, bits: 14) {
                stream.writeBits(0b10, count: 2)
                stream.writeBits(UInt64(bitPattern: dod), count: 14)
            } else if Self.fits(dod, bits: 17) {
                stream.writeBits(0b110, count: 3)
                stream.writeBits(UInt64(bitPattern: dod), count: 17)
            } else if Self.fits(dod, bits: 20) {
                stream.writeBits(0b1110, count: 4)
                stream.writeBits(UInt64(bitPattern: dod), count: 20)
            } else {
                stream.writeBits(0b1111, count: 4)
                stream.writeBits(UInt64(bitPattern: dod), count: 64)
            }
            writeValue(value)
            lastDelta = delta
        }
        lastTimestamp = timestamp
        lastValue = value
        count += 1
        stream.setByte(UInt8(count >> 8), at: 0)
        stream.setByte(UInt8(count & 0xff), at: 1)
    }

    /// Prometheus' asymmetric range test: -(2^(n-1) - 1) ... 2^(n-1).
    static func fits(_ value: Int64, bits: Int) -> Bool {
        let half = Int64(1) << Int64(bits - 1)
        return value >= -(half - 1) && value <= half
    }

    private mutating func writeValue(_ value: Double) {
        let delta = value.bitPattern ^ lastValue.bitPattern
        if delta == 0 {
            stream.writeBit(false)
            return
        }
        stream.writeBit(true)
        var newLeading = UInt8(delta.leadingZeroBitCount)
        let newTrailing = UInt8(delta.trailingZeroBitCount)
        if newLeading >= 32 { newLeading = 31 } // 5 bits hold at most 31.
        if leading != 0xff, newLeading >= leading, newTrailing >= trailing {
            stream.writeBit(false)
            stream.writeBits(delta >> UInt64(trailing), count: 64 - Int(leading) - Int(trailing))
            return
        }
        leading = newLeading
        trailing = newTrailing
        stream.writeBit(true)
        stream.writeBits(UInt64(newLeading), count: 5)
        let significant = 64 - Int(newLeading) - Int(newTrailing)
        // 64 significant bits are written as 0 in six bits; readers map 0 back to 64.
        stream.writeBits(UInt64(significant & 63), count: 6)
        stream.writeBits(delta >> UInt64(newTrailing), count: significant)
    }

    /// A fresh iterator over the samples appended so far.
    package func makeIterator() -> XORIterator { XORIterator(bytes: bytes) }
}
