extension Snappy {
    /// The largest block `compress` produces for `count` input bytes (`32 + n + n/6`, the
    /// reference encoder's bound).
    package static func maxCompressedLength(_ count: Int) -> Int { 32 + count + count / 6 }

    /// Compresses `input` into one snappy block, valid for any snappy decoder.
    ///
    /// Inputs above 4 GiB are a programmer error.
    package static func compress(_ input: [UInt8]) -> [UInt8] {
        input.withUnsafeBytes { raw in
            [UInt8](unsafeUninitializedCapacity: maxCompressedLength(raw.count)) { buffer, count in
                count = compress(raw, into: UnsafeMutableRawBufferPointer(buffer))
            }
        }
    }

    /// Writes the snappy block for `input` at the start of `output` and returns its length.
    ///
    /// `output` must hold at least `maxCompressedLength(input.count)` bytes (a programmer error
    /// otherwise); both buffers are only borrowed for the call. Cost: one pass over the input,
    /// split into 64 KiB fragments that each get a hash table of up to 16 K two-byte entries;
    /// a run without matches is crossed with a growing stride, so incompressible input costs
    /// little more than a copy. Output is deterministic for a given input.
    package static func compress(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) -> Int {
        precondition(input.count <= Int(UInt32.max), "snappy blocks hold at most 4 GiB")
        precondition(output.count >= maxCompressedLength(input.count), "snappy output buffer is too small")
        guard let outputBase = output.baseAddress else { return 0 }
        var sink = Sink(base: outputBase.assumingMemoryBound(to: UInt8.self))
        var length = UInt32(input.count)
        while length >= 0x80 {
            sink.put(UInt8(length & 0x7F) | 0x80)
            length >>= 7
        }
        sink.put(UInt8(length))
        guard let inputBase = input.baseAddress else { return sink.count }
        var start = 0
        while start < input.count {
            let count = min(fragmentSize, input.count - start)
            compressFragment(inputBase + start, count: count, into: &sink)
            start += count
        }
        return sink.count
    }

    /// Matches never reach back further than one fragment, so offsets fit in two bytes.
    private static let fragmentSize = 1 << 16
    /// Bytes at the end of a fragment where no match search starts (room for 8-byte loads).
    private static let tailMargin = 15

    /// Output cursor; capacity was checked once against `maxCompressedLength`.
    private struct Sink {
        let base: UnsafeMutablePointer<UInt8>
        var count = 0

        mutating func put(_ byte: UInt8) {
            base[count] = byte
            count += 1
        }
    }

    private static func compressFragment(_ source: UnsafeRawPointer, count: Int, into sink: inout Sink) {
        guard count > tailMargin + 1 else {
            emitLiteral(source, count: count, into: &sink)
            return
        }
        var tableBits = 8
        while 1 << tableBits < count && tableBits < 14 { tableBits += 1 }
        withUnsafeTemporaryAllocation(of: UInt16.self, capacity: 1 << tableBits) { table in
            table.initialize(repeating: 0)
            let shift = UInt32(32 - tableBits)
            func load32(_ at: Int) -> UInt32 { UInt32(littleEndian: source.loadUnaligned(fromByteOffset: at, as: UInt32.self)) }
            func load64(_ at: Int) -> UInt64 { UInt64(littleEndian: source.loadUnaligned(fromByteOffset: at, as: UInt64.self)) }
            func hash(_ value: UInt32) -> Int { Int((value &* 0x1E35_A7BD) >> shift) }

            let searchLimit = count - tailMargin
            var pending = 0          // start of bytes not yet emitted
            var position = 1
            var nextHash = hash(load32(position))
            search: while true {
                // Look for a 4-byte match, stepping further after every 32 misses.
                var candidate = 0
                var misses = 32
                var next = position
                repeat {
                    position = next
                    let step = misses >> 5
                    next = position + step
                    misses += step
                    if next > searchLimit { break search }
                    candidate = Int(table[nextHash])
                    table[nextHash] = UInt16(truncatingIfNeeded: position)
                    nextHash = hash(load32(next))
                } while load32(position) != load32(candidate)

                emitLiteral(source + pending, count: position - pending, into: &sink)
                // Emit copies while the byte right after a match starts another one.
                while true {
                    let matchStart = position
                    position = extendMatch(source, from: candidate + 4, to: position + 4, count: count)
                    emitCopy(offset: matchStart - candidate, length: position - matchStart, into: &sink)
                    pending = position
                    if position >= searchLimit { break search }
                    let window = load64(position - 1)
                    table[hash(UInt32(truncatingIfNeeded: window))] = UInt16(truncatingIfNeeded: position - 1)
                    let here = UInt32(truncatingIfNeeded: window >> 8)
                    let slot = hash(here)
                    candidate = Int(table[slot])
                    table[slot] = UInt16(truncatingIfNeeded: position)
                    if here != load32(candidate) {
                        nextHash = hash(UInt32(truncatingIfNeeded: window >> 16))
                        position += 1
                        continue search
                    }
                }
            }
            if pending < count { emitLiteral(source + pending, count: count - pending, into: &sink) }
        }
    }

    /// The end of the match that continues at `earlier` and `later` (8 bytes at a time).
    private static func extendMatch(_ source: UnsafeRawPointer, from earlier: Int, to later: Int, count: Int) -> Int {
        var earlier = earlier, later = later
        while later + 8 <= count {
            let a = UInt64(littleEndian: source.loadUnaligned(fromByteOffset: earlier, as: UInt64.self))
            let b = UInt64(littleEndian: source.loadUnaligned(fromByteOffset: later, as: UInt64.self))
            if a != b { return later + (a ^ b).trailingZeroBitCount / 8 }
            earlier += 8
            later += 8
        }
        while later < count && source.load(fromByteOffset: earlier, as: UInt8.self) == source.load(fromByteOffset: later, as: UInt8.self) {
            earlier += 1
            later += 1
        }
        return later
    }

    private static func emitLiteral(_ bytes: UnsafeRawPointer, count: Int, into sink: inout Sink) {
        guard count > 0 else { return }
        let n = count - 1
        if n < 60 {
            sink.put(UInt8(n << 2))
        } else if n < 1 << 8 {
            sink.put(60 << 2)
            sink.put(UInt8(n))
        } else if n < 1 << 16 {
            sink.put(61 << 2)
            sink.put(UInt8(n & 0xFF))
            sink.put(UInt8(n >> 8))
        } else if n < 1 << 24 {
            sink.put(62 << 2)
            sink.put(UInt8(n & 0xFF))
            sink.put(UInt8((n >> 8) & 0xFF))
            sink.put(UInt8(n >> 16))
        } else {
            sink.put(63 << 2)
            for shift in stride(from: 0, to: 32, by: 8) { sink.put(UInt8((n >> shift) & 0xFF)) }
        }
        UnsafeMutableRawPointer(sink.base + sink.count).copyMemory(from: bytes, byteCount: count)
        sink.count += count
    }

    /// Copies of up to 64 bytes each; offsets are below 64 KiB (one fragment).
    private static func emitCopy(offset: Int, length: Int, into sink: inout Sink) {
        var remaining = length
        while remaining >= 68 {
            emitCopyElement(offset: offset, length: 64, into: &sink)
            remaining -= 64
        }
        if remaining > 64 {
            emitCopyElement(offset: offset, length: 60, into: &sink)
            remaining -= 60
        }
        emitCopyElement(offset: offset, length: remaining, into: &sink)
    }

    private static func emitCopyElement(offset: Int, length: Int, into sink: inout Sink) {
        if length >= 4 && length <= 11 && offset < 2048 {
            sink.put(UInt8(1 | (length - 4) << 2 | (offset >> 8) << 5))
            sink.put(UInt8(offset & 0xFF))
        } else {
            sink.put(UInt8(2 | (length - 1) << 2))
            sink.put(UInt8(offset & 0xFF))
            sink.put(UInt8(offset >> 8))
        }
    }
}
