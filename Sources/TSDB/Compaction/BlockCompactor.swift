import PharosCore

/// Merges persisted blocks into one (Prometheus' `LeveledCompactor.Compact` for float series).
/// Inputs are read with their tombstones applied, so the result has none.
///
/// Series with equal label sets are merged. When their chunks do not overlap in time they are
/// copied as they are; when they do, the series' samples are decoded, merged by timestamp (on
/// equal timestamps the block listed later wins) and re-encoded into XOR chunks of at most
/// `samplesPerChunk` samples.
package enum BlockCompactor {
    /// Writes the merge of `blocks` as block `ulid` under `parent` and returns its meta, or nil
    /// (and leaves nothing on disk) when the inputs hold no sample that is not deleted.
    ///
    /// The result spans the union of the inputs' time ranges; its level is one more than the
    /// highest input level, its sources the union of theirs, and its parents the inputs.
    /// - Throws: `TSDBError` `.corruptBlock` when an input is damaged, `.io` on write errors.
    package static func compact(_ blocks: [PersistedBlock], into parent: String, ulid: ULID,
                                samplesPerChunk: Int = 120,
                                chunkSegmentSize: Int = ChunkFileFormat.defaultSegmentSize) throws(TSDBError) -> BlockMeta? {
        let metas = blocks.map(\.meta)
        let compaction = BlockMeta.Compaction(
            level: (metas.map(\.compaction.level).max() ?? 0) + 1,
            sources: Set(metas.flatMap(\.compaction.sources)).sorted(),
            parents: metas.map { BlockMeta.Parent(ulid: $0.ulid, minTime: $0.minTime, maxTime: $0.maxTime) })
        return try write(blocks, compaction: compaction, into: parent, ulid: ulid, samplesPerChunk: samplesPerChunk,
                         chunkSegmentSize: chunkSegmentSize)
    }

    /// Writes `block` again without the samples its tombstones delete, as block `ulid` under
    /// `parent` with the same range, level and sources and `block` as its parent (so an
    /// interrupted clean-up is finished at the next open), and returns its meta; when no sample
    /// is left, nil (and nothing written) unless `keepEmpty`, which writes a block without
    /// series. Prometheus' `Block.CleanTombstones`.
    package static func rewrite(_ block: PersistedBlock, into parent: String, ulid: ULID, samplesPerChunk: Int = 120,
                                keepEmpty: Bool = false,
                                chunkSegmentSize: Int = ChunkFileFormat.defaultSegmentSize) throws(TSDBError) -> BlockMeta? {
        let meta = block.meta
        var compaction = meta.compaction
        compaction.parents = [BlockMeta.Parent(ulid: meta.ulid, minTime: meta.minTime, maxTime: meta.maxTime)]
        return try write([block], compaction: compaction, into: parent, ulid: ulid, samplesPerChunk: samplesPerChunk,
                         keepEmpty: keepEmpty, chunkSegmentSize: chunkSegmentSize)
    }

    /// Merges `blocks` (tombstones applied) into one block with `compaction`; nil and nothing
    /// left on disk when no sample survives, unless `keepEmpty`.
    private static func write(_ blocks: [PersistedBlock], compaction: BlockMeta.Compaction, into parent: String, ulid: ULID,
                              samplesPerChunk: Int, keepEmpty: Bool = false, chunkSegmentSize: Int) throws(TSDBError) -> BlockMeta? {
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
            let order = Labels.compare(lhs.labels, rhs.labels)
            return order != 0 ? order < 0 : lhs.block < rhs.block
        }
        guard !entries.isEmpty || keepEmpty else { return nil }

        let metas = blocks.map(\.meta)
        let written = try BlockWriter.write(into: parent, ulid: ulid,
                                     minTime: metas.map(\.minTime).min()!, maxTime: metas.map(\.maxTime).max()!,
                                     compaction: compaction, chunkSegmentSize: chunkSegmentSize) { (sink: inout BlockSeriesSink) throws(TSDBError) in
            // One series at a time: only its chunks are in memory.
            var start = 0
            while start < entries.count {
                var end = start + 1
                while end < entries.count && entries[end].labels == entries[start].labels { end += 1 }
                var chunks: [(chunk: ChunkSnapshot, block: Int)] = []
                for entry in entries[start..<end] {
                    chunks += try blocks[entry.block].readSeries(entry.ref).chunks.map { ($0, entry.block) }
                }
                try sink.add(BlockSeries(labels: entries[start].labels,
                                         chunks: try mergeChunks(chunks, samplesPerChunk: samplesPerChunk)))
                start = end
            }
        }
        // Every sample was deleted: leave no empty block behind.
        guard written.stats.numSeries == 0, !keepEmpty else { return written }
        try BlockDirectory.delete(written.ulid, in: parent)
        return nil
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
