extension Snappy {
    /// Compresses `input` into one snappy block (greedy matching with a 16 K-entry hash table).
    ///
    /// Output is valid for any snappy decoder; the ratio is close to the reference encoder for
    /// repetitive text such as remote-write label sets. Inputs above 4 GiB are a programmer error.
    package static func compress(_ input: [UInt8]) -> [UInt8] {
        precondition(input.count <= Int(UInt32.max), "snappy blocks hold at most 4 GiB")
        var output: [UInt8] = []
        output.reserveCapacity(32 + input.count + input.count / 6)
        var length = UInt32(input.count)
        while length >= 0x80 {
            output.append(UInt8(length & 0x7F) | 0x80)
            length >>= 7
        }
        output.append(UInt8(length))
        guard input.count >= 8 else {
            if !input.isEmpty { emitLiteral(input, 0..<input.count, into: &output) }
            return output
        }
        let tableBits = 14
        var table = [Int32](repeating: -1, count: 1 << tableBits)
        input.withUnsafeBufferPointer { bytes in
            func load32(_ index: Int) -> UInt32 {
                UInt32(bytes[index]) | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index + 2]) << 16 | UInt32(bytes[index + 3]) << 24
            }
            func hash(_ value: UInt32) -> Int { Int((value &* 0x1E35_A7BD) >> UInt32(32 - tableBits)) }
            var literalStart = 0
            var position = 0
            let limit = bytes.count - 4
            while position <= limit {
                let current = load32(position)
                let slot = hash(current)
                let candidate = Int(table[slot])
                table[slot] = Int32(truncatingIfNeeded: position)
                guard candidate >= 0, position - candidate <= 0xFFFF, load32(candidate) == current else {
                    position += 1
                    continue
                }
                var matchLength = 4
                while position + matchLength < bytes.count && bytes[candidate + matchLength] == bytes[position + matchLength] {
                    matchLength += 1
                }
                if literalStart < position { emitLiteral(input, literalStart..<position, into: &output) }
                emitCopy(offset: position - candidate, length: matchLength, into: &output)
                position += matchLength
                literalStart = position
            }
            if literalStart < bytes.count { emitLiteral(input, literalStart..<bytes.count, into: &output) }
        }
        return output
    }

    private static func emitLiteral(_ input: [UInt8], _ range: Range<Int>, into output: inout [UInt8]) {
        let n = range.count - 1
        if n < 60 {
            output.append(UInt8(n << 2))
        } else if n < 1 << 8 {
            output.append(60 << 2)
            output.append(UInt8(n))
        } else if n < 1 << 16 {
            output.append(61 << 2)
            output.append(UInt8(n & 0xFF))
            output.append(UInt8(n >> 8))
        } else if n < 1 << 24 {
            output.append(62 << 2)
            output.append(UInt8(n & 0xFF))
            output.append(UInt8((n >> 8) & 0xFF))
            output.append(UInt8(n >> 16))
        } else {
            output.append(63 << 2)
            for shift in stride(from: 0, to: 32, by: 8) { output.append(UInt8((n >> shift) & 0xFF)) }
        }
        output.append(contentsOf: input[range])
    }

    /// Copies of up to 64 bytes each; offsets below 64 KiB (the matcher never goes further).
    private static func emitCopy(offset: Int, length: Int, into output: inout [UInt8]) {
        var remaining = length
        while remaining >= 68 {
            emitCopyElement(offset: offset, length: 64, into: &output)
            remaining -= 64
        }
        if remaining > 64 {
            emitCopyElement(offset: offset, length: 60, into: &output)
            remaining -= 60
        }
        emitCopyElement(offset: offset, length: remaining, into: &output)
    }

    private static func emitCopyElement(offset: Int, length: Int, into output: inout [UInt8]) {
        if length >= 4 && length <= 11 && offset < 2048 {
            output.append(UInt8(1 | (length - 4) << 2 | (offset >> 8) << 5))
            output.append(UInt8(offset & 0xFF))
        } else {
            output.append(UInt8(2 | (length - 1) << 2))
            output.append(UInt8(offset & 0xFF))
            output.append(UInt8(offset >> 8))
        }
    }
}
