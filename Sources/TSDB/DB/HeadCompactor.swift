import Foundation
import PharosCore

/// Persists a range of the head as a block folder (Prometheus' head compaction).
enum HeadCompactor {
    /// Writes the head's samples in `range` as a new block under `directory` and returns its
    /// folder name, or nil when the range holds no samples. Chunks reaching outside the range
    /// are re-encoded clipped to it, so the block never overlaps its neighbours; samples the
    /// head's tombstones delete are left out.
    static func write(_ head: HeadReader, range: Range<Timestamp>, into directory: String) throws -> String? {
        try write(collect(head, range: range), range: range, into: directory)
    }

    /// The head's series with their chunks clipped to `range` (tombstones applied), in no
    /// particular order; series without samples there are left out.
    static func collect(_ head: HeadReader, range: Range<Timestamp>) -> [BlockSeries] {
        let last = range.upperBound - 1
        var series: [BlockSeries] = []
        for ref in head.allPostings() {
            guard let found = head.series(ref, from: range.lowerBound, through: last), !found.chunks.isEmpty else { continue }
            let chunks = found.chunks.flatMap { chunk in
                chunk.minTime >= range.lowerBound && chunk.maxTime <= last ? [chunk] : clip(chunk, to: range.lowerBound...last)
            }
            if !chunks.isEmpty { series.append(BlockSeries(labels: found.labels, chunks: chunks)) }
        }
        return series
    }

    /// Writes collected `series` as a block spanning `range`; nil (nothing written) when empty.
    static func write(_ series: [BlockSeries], range: Range<Timestamp>, into directory: String) throws -> String? {
        guard !series.isEmpty else { return nil }
        let ulid = ULID(milliseconds: Int64(Date().timeIntervalSince1970 * 1000))
        let meta = try BlockWriter.write(series, into: directory, ulid: ulid, minTime: range.lowerBound, maxTime: range.upperBound)
        return meta.ulid
    }

    /// The samples of `chunk` inside `bounds`, re-encoded (empty when none).
    static func clip(_ chunk: ChunkSnapshot, to bounds: ClosedRange<Timestamp>) -> [ChunkSnapshot] {
        var iterator = chunk.makeIterator()
        var out = XORChunk()
        while iterator.next() {
            let sample = iterator.current
            if sample.timestamp > bounds.upperBound { break }
            if sample.timestamp >= bounds.lowerBound { out.append(timestamp: sample.timestamp, value: sample.value) }
        }
        guard out.count > 0 else { return [] }
        return [ChunkSnapshot(minTime: out.firstTimestamp, maxTime: out.lastTimestamp, bytes: out.bytes)]
    }
}
