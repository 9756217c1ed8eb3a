import PharosCore

extension ChunkSnapshot {
    /// `chunks` without the samples inside `deleted`, in the same order: chunks no interval
    /// touches are returned as they are (no copy of their bytes), chunks one interval covers
    /// are dropped, and the others are decoded and re-encoded with what is left (dropped when
    /// nothing is). `chunks` itself when `deleted` is empty.
    ///
    /// Every reader applies this before handing out chunks, so no query path, compaction or
    /// snapshot ever sees a deleted sample.
    package static func removing(_ deleted: Intervals, from chunks: [ChunkSnapshot]) -> [ChunkSnapshot] {
        guard !deleted.isEmpty, chunks.contains(where: { deleted.overlaps($0.minTime, $0.maxTime) }) else { return chunks }
        var out: [ChunkSnapshot] = []
        out.reserveCapacity(chunks.count)
        for chunk in chunks {
            guard deleted.overlaps(chunk.minTime, chunk.maxTime) else {
                out.append(chunk)
                continue
            }
            if deleted.covers(chunk.minTime, chunk.maxTime) { continue }
            var kept = XORChunk()
            var iterator = chunk.makeIterator()
            iterator.forEachRemaining { timestamp, value in
                if !deleted.contains(timestamp) { kept.append(timestamp: timestamp, value: value) }
                return true
            }
            if kept.count > 0 {
                out.append(ChunkSnapshot(minTime: kept.firstTimestamp, maxTime: kept.lastTimestamp, bytes: kept.compactBytes))
            }
        }
        return out
    }
}
