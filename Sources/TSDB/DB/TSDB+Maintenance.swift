import Logging
import PharosCore
import Synchronization

/// What one maintenance pass did.
package struct MaintenanceReport: Sendable, Equatable {
    /// Head ranges persisted as blocks, in order, with the new block's ULID (nil: range was empty).
    package var compacted: [(range: Range<Timestamp>, block: String?)] = []
    /// Series dropped from the head after compaction.
    package var seriesTruncated = 0
    /// The WAL checkpoint written after head truncation, if old enough segments existed.
    package var walCheckpoint: WALCheckpointStats?
    /// Blocks made by merging persisted blocks.
    package var mergedBlocks: [String] = []
    /// Blocks deleted by retention.
    package var deletedBlocks: [BlockSummary] = []

    package static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.compacted.map(\.range) == rhs.compacted.map(\.range) && lhs.compacted.map(\.block) == rhs.compacted.map(\.block)
            && lhs.seriesTruncated == rhs.seriesTruncated && lhs.walCheckpoint == rhs.walCheckpoint
            && lhs.deletedBlocks == rhs.deletedBlocks && lhs.mergedBlocks == rhs.mergedBlocks
    }
}

extension TSDB {
    /// One maintenance pass, as Prometheus' `db.Compact` + `reloadBlocks`:
    /// 1. while the head spans more than 1.5 block ranges, persist its oldest block-aligned
    ///    range as a block, open it, and truncate the head before the range's end;
    /// 2. fold the older two thirds of the closed WAL segments into a checkpoint keeping live
    ///    series and samples at or after the cut (Prometheus' `truncateWAL`);
    /// 3. merge persisted blocks as the leveled planner says (overlaps first, then 3× ranges);
    /// 4. delete blocks beyond the retention time/size.
    /// Passes are serialized. Blocking file I/O: run it off the cooperative pool.
    package func maintain() throws -> MaintenanceReport {
        try maintenanceLock.withLock { _ in
            var report = MaintenanceReport()
            guard !isClosed else { return report }
            defer { counters.blocksBytes.store(blocksBytes(), ordering: .relaxed) }
            var truncatedThrough: Timestamp?
            while let due = MaintenancePlan.headCompaction(headMinTime: head.minTime, headMaxTime: head.maxTime,
                                                            blockRange: options.blockRange) {
                counters.compactionsTriggered.add(1, ordering: .relaxed)
                head.seal(before: due.upperBound)
                let name = try counters.count(counters.compactions, failing: counters.compactionsFailed) {
                    let name = try HeadCompactor.write(HeadReader(head: head), range: due, into: directory)
                    if let name { addBlock(try PersistedBlock(directory: directory + "/" + name)) }
                    return name
                }
                report.compacted.append((due, name))
                report.seriesTruncated += head.truncate(before: due.upperBound)
                counters.headTruncations.add(1, ordering: .relaxed)
                truncatedThrough = due.upperBound
                logger.info("head compacted", metadata: [
                    "tsdb.block.ulid": "\(name ?? "none")", "tsdb.block.min_time": "\(due.lowerBound)",
                    "tsdb.block.max_time": "\(due.upperBound)",
                ])
                if let low = head.minTime, low < due.upperBound { break } // a chunk crossing the cut: never spin
            }
            if let truncatedThrough {
                report.walCheckpoint = try counters.count(counters.checkpointCreations, failing: counters.checkpointCreationsFailed) {
                    try truncateWAL(before: truncatedThrough)
                }
            }
            try counters.count(counters.reloads, failing: counters.reloadsFailed) {
                report.mergedBlocks = try compactBlocks()
                report.deletedBlocks = try applyRetention()
            }
            counters.retentionDeletions.add(report.deletedBlocks.count, ordering: .relaxed)
            return report
        }
    }

    /// Checkpoints WAL segments up to two thirds of the closed ones, keeping series still in
    /// the head and samples at or after `mint`. Nil when there are fewer than three closed
    /// segments (as Prometheus).
    func truncateWAL(before mint: Timestamp) throws -> WALCheckpointStats? {
        let segments = try wal.segments()
        guard let first = segments.first, var last = segments.last else { return nil }
        if let open = wal.currentSegment, last >= open { last = open - 1 } // never the open segment
        last = first + (last - first) * 2 / 3
        guard last > first else { return nil }
        let stats = try wal.checkpoint(through: last, keep: { head.series.get($0) != nil }, minTime: mint)
        logger.info("WAL checkpoint written", metadata: [
            "tsdb.wal.checkpoint": "\(stats.checkpoint)", "tsdb.wal.dropped_series": "\(stats.droppedSeries)",
            "tsdb.wal.dropped_samples": "\(stats.droppedSamples)",
        ])
        return stats
    }

    /// `maintain` on `threads.maintenance`, off the cooperative pool.
    package func maintainAsync() async throws -> MaintenanceReport {
        try await threads.maintenance.run { try self.maintain() }
    }

    /// Runs `maintain` every `interval` on `clock`, on `threads.maintenance`, until the task
    /// is cancelled or the database closes. A failed pass is logged and the loop goes on.
    package func runMaintenance<C: Clock>(every interval: C.Duration, clock: C) async {
        while !Task.isCancelled && !isClosed {
            do {
                try await clock.sleep(for: interval)
            } catch {
                return // cancelled
            }
            do {
                let report = try await maintainAsync()
                if !report.compacted.isEmpty || !report.deletedBlocks.isEmpty {
                    logger.debug("maintenance pass finished", metadata: [
                        "tsdb.maintenance.compacted": "\(report.compacted.count)",
                        "tsdb.maintenance.deleted_blocks": "\(report.deletedBlocks.count)",
                    ])
                }
            } catch is CancellationError {
                return
            } catch {
                logger.warning("maintenance pass failed", metadata: ["tsdb.error": "\(error)"])
            }
        }
    }
}
