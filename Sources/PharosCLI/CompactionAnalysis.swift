/// `tsdb analyze --extended`: how full the chunks are, as promtool's "Compaction analysis"
/// (float chunks only; Pharos stores no histogram chunks yet).
package struct CompactionAnalysis: Sendable, Equatable {
    /// Samples in each chunk (the 2-byte big-endian count that starts an XOR chunk).
    package var samplesPerChunk: [Int] = []
    /// Encoded bytes of each chunk, header included.
    package var bytesPerChunk: [Int] = []

    package init() {}

    /// Records one encoded XOR chunk.
    package mutating func add(chunkBytes bytes: [UInt8]) {
        samplesPerChunk.append(bytes.count >= 2 ? Int(bytes[0]) << 8 | Int(bytes[1]) : 0)
        bytesPerChunk.append(bytes.count)
    }

    /// promtool's text: a blank line, `Compaction analysis:`, a blank line, then one histogram
    /// per measure (skipped when there are no chunks).
    package var report: String {
        var out = "\nCompaction analysis:\n\n"
        out += Self.histogram("samples per float chunk", samplesPerChunk, total: samplesPerChunk.count)
        out += Self.histogram("bytes per float chunk", bytesPerChunk, total: bytesPerChunk.count)
        return out
    }

    /// `name (min/avg/max): a/b/c`, then `[low, high]: count ###…` rows (one `#` per percent of
    /// `total`) over buckets of a power-of-ten width, then a blank line.
    package static func histogram(_ name: String, _ values: [Int], total: Int) -> String {
        guard !values.isEmpty, total > 0 else { return "" }
        let sorted = values.sorted()
        let low = sorted[0], high = sorted[sorted.count - 1]
        var step = 10
        while step < (high - low) / 10 && step <= 10_000 { step *= 10 }
        let start = low - low % step, end = high - high % step + step
        var buckets = [Int](repeating: 0, count: (end - start) / step + 1)
        for value in sorted { buckets[(value - start) / step] += 1 }
        let leftWidth = String(end).count, rightWidth = String(end + step).count
        let countWidth = String(buckets.max() ?? 0).count
        func pad(_ number: Int, _ width: Int) -> String {
            let text = String(number)
            return String(repeating: " ", count: max(width - text.count, 0)) + text
        }
        var out = "\(name) (min/avg/max): \(low)/\(sorted.reduce(0, +) / sorted.count)/\(high)\n"
        for (index, count) in buckets.enumerated() {
            let percent = 100 * count / total
            out += "[\(pad(index * step + start + 1, leftWidth)), \(pad((index + 1) * step + start, rightWidth))]: "
            out += "\(pad(count, countWidth)) \(String(repeating: "#", count: percent))\n"
        }
        return out + "\n"
    }
}
