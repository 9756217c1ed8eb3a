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
    /// chunks are skipped; duplicate label sets are an error. The folder is built as
    /// `<ulid>.tmp`, fsynced, then renamed, so a crash never leaves a partial block under a
    /// valid name. `maxTime` is exclusive, as in meta.json.
    /// - Throws: `TSDBError` `.invalidOptions` for unsorted/overlapping chunks or duplicates,
    ///   `.io` for file errors.
    @discardableResult
    package static func write(_ series: [BlockSeries], into parent: String, ulid: ULID,
                              minTime: Int64, maxTime: Int64,
                              compaction: BlockMeta.Compaction? = nil,
                              chunkSegmentSize: Int = ChunkFileFormat.defaultSegmentSize) throws(TSDBError) -> BlockMeta {
        let name = ulid.description
        let final = parent + "/" + name
        let temporary = final + ".tmp"
        try BlockFiles.run { () throws(WALError) in
            try PosixFile.makeDirectory(parent)
            try PosixFile.removeTree(temporary)
            try PosixFile.makeDirectory(temporary)
        }
        do {
            let sorted = series.filter { !$0.chunks.isEmpty }.sorted { compareLabelsByBytes($0.labels, $1.labels) < 0 }
            var chunkWriter = try ChunkFileWriter(directory: temporary + "/chunks", segmentSize: chunkSegmentSize)
            var index = IndexWriter()
            var stats = BlockMeta.Stats()
            for entry in sorted {
                var metas: [ChunkMeta] = []
                for chunk in entry.chunks {
                    let ref = try chunkWriter.append(encoding: XORChunk.encoding, data: chunk.bytes)
                    metas.append(ChunkMeta(minTime: chunk.minTime, maxTime: chunk.maxTime, ref: ref))
                    stats.numSamples += UInt64(chunk.bytes.count >= 2 ? Int(chunk.bytes[0]) << 8 | Int(chunk.bytes[1]) : 0)
                }
                try index.add(entry.labels, chunks: metas)
                stats.numSeries += 1
                stats.numChunks += UInt64(metas.count)
            }
            try chunkWriter.finish()
            try index.write(to: temporary + "/index")
            let meta = BlockMeta(ulid: name, minTime: minTime, maxTime: maxTime, stats: stats,
                                 compaction: compaction ?? BlockMeta.Compaction(level: 1, sources: [name]))
            try BlockFiles.writeFile(temporary + "/meta.json", try meta.encoded())
            try BlockFiles.writeFile(temporary + "/tombstones", emptyTombstones)
            try BlockFiles.run { () throws(WALError) in
                try PosixFile.syncDirectory(temporary + "/chunks")
                try PosixFile.syncDirectory(temporary)
                try PosixFile.removeTree(final)
                try PosixFile.rename(temporary, final)
                try PosixFile.syncDirectory(parent)
            }
            return meta
        } catch {
            try? BlockFiles.run { () throws(WALError) in try PosixFile.removeTree(temporary) }
            throw error
        }
    }
}
