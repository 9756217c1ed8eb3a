import Foundation
import Logging
import PharosCore
import Synchronization

extension TSDB {
    /// Deletes the samples in [mint, maxt] (both inclusive) of every series matching
    /// `matchers`, in the head and in every block overlapping the range (Prometheus'
    /// `DB.Delete`): head series get tombstones clamped to their current samples and logged to
    /// the WAL, blocks get stones in their `tombstones` file. Queries stop returning those
    /// samples when it returns; compaction and `cleanTombstones` drop them from disk.
    /// Runs on `threads.maintenance`, serialized with maintenance passes.
    package func deleteSeries(matching matchers: [LabelMatcher], from mint: Timestamp, through maxt: Timestamp) async throws {
        try await threads.maintenance.run { try self.deleteSeriesNow(matching: matchers, from: mint, through: maxt) }
    }

    /// The blocking body of `deleteSeries`.
    func deleteSeriesNow(matching matchers: [LabelMatcher], from mint: Timestamp, through maxt: Timestamp) throws {
        try maintenanceLock.withLock { _ in
            guard !isClosed else { throw TSDBError(.closed, "cannot delete: the database is closed", location: directory) }
            var series = 0
            for block in blocks where block.meta.minTime <= maxt && mint < block.meta.maxTime {
                series += try block.delete(matching: matchers, from: mint, through: maxt)
            }
            if let low = head.minTime, let high = head.maxTime, low <= maxt, mint <= high {
                series += try head.delete(matching: matchers, from: mint, through: maxt).count
            }
            logger.info("series deleted", metadata: [
                "tsdb.delete.matchers": "\(matchers)", "tsdb.delete.min_time": "\(mint)", "tsdb.delete.max_time": "\(maxt)",
                "tsdb.delete.series": "\(series)",
            ])
        }
    }

    /// Rewrites every block that has tombstones without the deleted samples and deletes the
    /// old block, as Prometheus' `DB.CleanTombstones`. A block left without samples is just
    /// deleted — except the newest, which is rewritten empty: its end tells the next open which
    /// WAL samples are persisted already, and without it they would come back from the WAL.
    /// The head's tombstones stay until its range is compacted. Returns the new blocks' ULIDs.
    /// Runs on `threads.maintenance`, serialized with maintenance passes.
    @discardableResult
    package func cleanTombstones() async throws -> [String] {
        try await threads.maintenance.run { try self.cleanTombstonesNow() }
    }

    /// The blocking body of `cleanTombstones`.
    func cleanTombstonesNow() throws -> [String] {
        try maintenanceLock.withLock { _ in
            guard !isClosed else { throw TSDBError(.closed, "cannot clean tombstones: the database is closed", location: directory) }
            defer { counters.blocksBytes.store(blocksBytes(), ordering: .relaxed) }
            var created: [String] = []
            let newestEnd = blocks.map(\.meta.maxTime).max()
            for block in blocks where !block.tombstones.isEmpty {
                let ulid = ULID(milliseconds: Int64(Date().timeIntervalSince1970 * 1000))
                let rewritten = try BlockCompactor.rewrite(block, into: directory, ulid: ulid, samplesPerChunk: head.options.samplesPerChunk,
                                                           keepEmpty: block.meta.maxTime == newestEnd)
                if let rewritten {
                    addBlock(try PersistedBlock(directory: directory + "/" + rewritten.ulid))
                    created.append(rewritten.ulid)
                }
                removeBlocks([block.ulid])
                try BlockDirectory.delete(block.ulid, in: directory)
                logger.info("block tombstones cleaned", metadata: [
                    "tsdb.block.ulid": "\(rewritten?.ulid ?? "none")", "tsdb.block.parents": "\([block.ulid])",
                ])
            }
            return created
        }
    }
}
