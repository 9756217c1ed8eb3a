import PharosCore

/// Merges persisted blocks into one (Prometheus' `LeveledCompactor.Compact` for float series).
///
/// Series with equal label sets are merged. When their chunks do not overlap in time they are
/// copied as they are; when they do, the series' samples are decoded, merged by timestamp (on
/// equal timestamps the block listed later wins) and re-encoded into XOR chunks of at most
/// `samplesPerChunk` samples.
package enum BlockCompactor {
    /// Writes the merge of `blocks` as block `ulid` under `parent` and returns its meta, or nil
    /// (and writes nothing) when the inputs hold no series.
    ///
    /// The result spans the union of the inputs' time ranges; its level is one more than the
    /// highest input level, its sources the union of theirs, and its parents the inputs.
    /// - Throws: `TSDBError` `.corruptBlock` when an input is damaged, `.io` on write errors.
    package static func compact(_ blocks: [PersistedBlock], into parent: String, ulid: ULID,
                                samplesPerChunk: Int = 120,
                                chunkSegmentSize: Int = ChunkFileFormat.defaultSegmentSize) throws(TSDBError) -> BlockMeta? {
        guard !blocks.isEmpty else { return nil }
        precondition(samplesPerChunk > 0 && samplesPerChunk <= Int(UInt16.max), "samplesPerChunk out of range")

        // Every (labels, block, ref), ordered by labels then block position.
        var entries: [(labels: Labels, block: Int, ref: UInt64)] = []
        for (position, block) in blocks.enumerated() {
            for ref in try block.index.allPostings() {
                entries.append((try block.index.series(ref).labels, position, ref))
            }
        }
        entries.sort { lhs, rhs in
            let order = compareLabelsByBytes(lhs.labels, rhs.labels)
            return order != 0 ? order < 0 : lhs.block < rhs.block
        }
        guard !entries.isEmpty else { return nil }

        var merged: [BlockSeries] = []
        var start = 0
        while start < entries.count {
            var end = start + 1
            while end < entries.count && entries[end].labels == entries[start].labels { end += 1 }
            var chunks: [(chunk: ChunkSnapshot, block: Int)] = []
            for entry in entries[start..<end] {
                chunks += try blocks[entry.block].readSeries(entry.ref).chunks.map { ($0, entry.block) }
            }
            merged.append(BlockSeries(labels: entries[start].labels,
                                      chunks: try mergeChunks(chunks, samplesPerChunk: samplesPerChunk)))
            start = end
        }

        let metas = blocks.map(\.meta)
        let sources = Set(metas.flatMap(\.compaction.sources)).sorted()
        let compaction = BlockMeta.Compaction(
            level: (metas.map(\.compaction.level).max() ?? 0) + 1,
            sources: sources,
            parents: metas.map { BlockMeta.Parent(ulid: $0.ulid, minTime: $0.minTime, maxTime: $0.maxTime) })
        return try BlockWriter.write(merged, into: parent, ulid: ulid,
                                     minTime: metas.map(\.minTime).min()!, maxTime: metas.map(\.maxTime).max()!,
                                     compaction: compaction, chunkSegmentSize: chunkSegmentSize)
    }

    /// Orders one series' chunks by time; re-encodes them when any two overlap.
    static func mergeChunks(_ input: [(chunk: ChunkSnapshot, block: Int)], samplesPerChunk: Int) throws(TSDBError) -> [ChunkSnapshot] {
        let ordered = input.enumerated().sorted { lhs, rhs in
            lhs.element.chunk.minTime != rhs.element.chunk.minTime
                ? lhs.element.chunk.minTime < rhs.element.chunk.minTime : lhs.offset < rhs.offset
        }.map(\.element)
        let overlaps = zip(ordered, ordered.dropFirst()).contains { $1.chunk.minTime <= $0.chunk.maxTime }
        guard overlaps else { return ordered.map(\.chunk) }

        // Decode everything, keep the last-listed block's sample on equal timestamps.
        var samples: [(timestamp: Int64, value: Double, block: Int)] = []
        for (chunk, block) in input {
            var iterator = chunk.makeIterator()
            while iterator.next() { samples.append((iterator.current.timestamp, iterator.current.value, block)) }
            if let error = iterator.error { throw error }
        }
        samples = samples.enumerated().sorted { lhs, rhs in
            lhs.element.timestamp != rhs.element.timestamp
                ? lhs.element.timestamp < rhs.element.timestamp
                : (lhs.element.block, lhs.offset) < (rhs.element.block, rhs.offset)
        }.map(\.element)
        var unique: [(timestamp: Int64, value: Double)] = []
        unique.reserveCapacity(samples.count)
        for sample in samples {
            if let last = unique.last, last.timestamp == sample.timestamp {
                unique[unique.count - 1].value = sample.value
            } else {
                unique.append((sample.timestamp, sample.value))
            }
        }
        var chunks: [ChunkSnapshot] = []
        var index = 0
        while index < unique.count {
            let slice = unique[index..<min(index + samplesPerChunk, unique.count)]
            var chunk = XORChunk()
            for sample in slice { chunk.append(timestamp: sample.timestamp, value: sample.value) }
            chunks.append(ChunkSnapshot(minTime: slice.first!.timestamp, maxTime: slice.last!.timestamp, bytes: chunk.bytes))
            index += samplesPerChunk
        }
        return chunks
    }
}
