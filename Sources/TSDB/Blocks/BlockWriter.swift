import PharosCore

/// One series to persist: labels and its XOR chunks, oldest first, not overlapping.
package struct BlockSeries: Sendable {
    package var labels: Labels
    package var chunks: [ChunkSnapshot]

    package init(labels: Labels, chunks: [ChunkSnapshot]) {
        self.labels = labels
        self.chunks = chunks
    }
}

/// Writes an immutable block folder (meta.json, index, chunks/, tombstones) in Prometheus'
/// layout (Docs/formats/index.md, chunks.md).
package enum BlockWriter {
    /// Tombstones file with no tombstones: magic, version 1, CRC32C of nothing.
    static let emptyTombstones: [UInt8] = [0x01, 0x30, 0xBA, 0x30, 0x01, 0, 0, 0, 0]

    /// Writes `series` as block `ulid` under `parent` and returns its meta.
    ///
    /// Series may come in any order (they are sorted by labels, byte-wise); series without
    /// chunks are skipped; duplicate label sets are an error. See
    /// `write(into:ulid:minTime:maxTime:compaction:chunkSegmentSize:produce:)` for the rest.
    @discardableResult
    package static func write(_ series: [BlockSeries], into parent: String, ulid: ULID,
                              minTime: Int64, maxTime: Int64,
                              compaction: BlockMeta.Compaction? = nil,
                              chunkSegmentSize: Int = ChunkFileFormat.defaultSegmentSize) throws(TSDBError) -> BlockMeta {
        let sorted = series.sorted { Labels.compare($0.labels, $1.labels) < 0 }
        return try write(into: parent, ulid: ulid, minTime: minTime, maxTime: maxTime, compaction: compaction,
                         chunkSegmentSize: chunkSegmentSize) { (sink: inout BlockSeriesSink) throws(TSDBError) in
            for entry in sorted { try sink.add(entry) }
        }
    }

    /// Streams series into block `ulid` under `parent` and returns its meta: `produce` hands
    /// each series to the sink in ascending label order (byte-wise), so chunk data never has
    /// to be held in memory all at once (only the index entries are).
    ///
    /// The folder is built as `<ulid>.tmp`, fsynced, then renamed, so a crash never leaves a
    /// partial block under a valid name; on any error the temporary folder is removed.
    /// `maxTime` is exclusive, as in meta.json; `compaction` defaults to level 1 with the block
    /// as its own source.
    /// - Throws: `TSDBError` `.invalidOptions` for out-of-order series or overlapping chunks,
    ///   `.io` for file errors, or whatever `produce` throws.
    @discardableResult
    package static func write(into parent: String, ulid: ULID, minTime: Int64, maxTime: Int64,
                              compaction: BlockMeta.Compaction? = nil,
                              chunkSegmentSize: Int = ChunkFileFormat.defaultSegmentSize,
                              produce: (inout BlockSeriesSink) throws(TSDBError) -> Void) throws(TSDBError) -> BlockMeta {
        let name = ulid.description
        let final = parent + "/" + name
        let temporary = final + ".tmp"
        try BlockFiles.run { () throws(TSDBError) in
            try PosixFile.makeDirectory(parent)
            try PosixFile.removeTree(temporary)
            try PosixFile.makeDirectory(temporary)
        }
        do {
            var sink = BlockSeriesSink(chunkWriter: try ChunkFileWriter(directory: temporary + "/chunks", segmentSize: chunkSegmentSize))
            try produce(&sink)
            try sink.chunkWriter.finish()
            try sink.index.write(to: temporary + "/index")
            let meta = BlockMeta(ulid: name, minTime: minTime, maxTime: maxTime, stats: sink.stats,
                                 compaction: compaction ?? BlockMeta.Compaction(level: 1, sources: [name]))
            try BlockFiles.writeFile(temporary + "/meta.json", try meta.encoded())
            try BlockFiles.writeFile(temporary + "/tombstones", emptyTombstones)
            try BlockFiles.run { () throws(TSDBError) in
                try PosixFile.syncDirectory(temporary + "/chunks")
                try PosixFile.syncDirectory(temporary)
                try PosixFile.removeTree(final)
                try PosixFile.rename(temporary, final)
                try PosixFile.syncDirectory(parent)
            }
            return meta
        } catch {
            try? BlockFiles.run { () throws(TSDBError) in try PosixFile.removeTree(temporary) }
            throw error
        }
    }
}

/// Receives a block's series in label order: writes their chunks and records index entries.
package struct BlockSeriesSink {
    var chunkWriter: ChunkFileWriter
    var index = IndexWriter()
    package private(set) var stats = BlockMeta.Stats()

    init(chunkWriter: ChunkFileWriter) { self.chunkWriter = chunkWriter }

    /// Adds one series (skipped when it has no chunks). Throws `.invalidOptions` when its
    /// labels do not come after the previous series' or its chunks overlap.
    package mutating func add(_ series: BlockSeries) throws(TSDBError) {
        guard !series.chunks.isEmpty else { return }
        try index.checkOrder(series.labels)
        var metas: [ChunkMeta] = []
        metas.reserveCapacity(series.chunks.count)
        var samples: UInt64 = 0
        for chunk in series.chunks {
            let ref = try chunkWriter.append(encoding: XORChunk.encoding, data: chunk.bytes)
            metas.append(ChunkMeta(minTime: chunk.minTime, maxTime: chunk.maxTime, ref: ref))
            samples += UInt64(chunk.bytes.count >= 2 ? Int(chunk.bytes[0]) << 8 | Int(chunk.bytes[1]) : 0)
        }
        try index.add(series.labels, chunks: metas)
        stats.numSamples += samples
        stats.numSeries += 1
        stats.numChunks += UInt64(metas.count)
    }
}
