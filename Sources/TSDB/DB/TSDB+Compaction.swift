import Foundation
import Logging
import PharosCore

extension TSDBOptions {
    /// Block ranges the leveled compactor builds: the block range times 3ⁿ (Prometheus'
    /// default), up to `maxBlockDuration` — by default a tenth of the retention time, capped
    /// at 31 days.
    var compactionRanges: [Int64] {
        let cap = maxBlockDuration ?? min(31 * 24 * 3_600_000, (retentionTime?.milliseconds ?? .max) / 10)
        let ranges = CompactionPlanner.exponentialRanges(minimum: blockRange, count: 10, factor: 3)
        return [ranges[0]] + ranges.dropFirst().filter { $0 <= cap }
    }
}

extension TSDB {
    /// Merges blocks as the planner says until it has nothing left (at most `limit` merges a
    /// pass). The merged block is opened before its parents are removed and deleted, so a
    /// crash in between leaves parents that the next open discards (see `loadBlocks`).
    func compactBlocks(limit: Int = 16) throws -> [String] {
        let planner = CompactionPlanner(ranges: options.compactionRanges)
        var created: [String] = []
        for _ in 0..<limit {
            let current = blocks
            let chosen = planner.plan(current.map(\.meta))
            guard chosen.count > 1 else { break }
            let inputs = chosen.compactMap { id in current.first { $0.ulid == id } }
            let ulid = ULID(milliseconds: Int64(Date().timeIntervalSince1970 * 1000))
            let ids = Set(chosen)
            let merged = try counters.count(counters.compactions, failing: counters.compactionsFailed) {
                try BlockCompactor.compact(inputs, into: directory, ulid: ulid, samplesPerChunk: head.options.samplesPerChunk)
            }
            if let meta = merged {
                addBlock(try PersistedBlock(directory: directory + "/" + meta.ulid))
                created.append(meta.ulid)
            }
            removeBlocks(ids)
            for id in chosen { try BlockDirectory.delete(id, in: directory) }
            logger.info("blocks compacted", metadata: [
                "tsdb.block.ulid": "\(created.last ?? "none")", "tsdb.block.parents": "\(chosen)",
            ])
        }
        return created
    }

    /// Drops blocks that a later compaction already merged (a crash after writing the merged
    /// block, before deleting its parents), deleting their folders.
    static func discardCompactedParents(_ blocks: [PersistedBlock], in directory: String, logger: Logger) -> [PersistedBlock] {
        let parents = Set(blocks.flatMap { $0.meta.compaction.parents?.map(\.ulid) ?? [] })
        guard !parents.isEmpty else { return blocks }
        for block in blocks where parents.contains(block.ulid) {
            try? BlockDirectory.delete(block.ulid, in: directory)
            logger.info("deleted a block already merged into another", metadata: ["tsdb.block.ulid": "\(block.ulid)"])
        }
        return blocks.filter { !parents.contains($0.ulid) }
    }
}
