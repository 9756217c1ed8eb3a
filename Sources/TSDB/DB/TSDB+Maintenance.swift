import Logging
import PharosCore

/// Writes the head's samples in [range) to a new block folder under `directory` and returns
/// its summary, or nil when the range held no samples. Provided by the blocks component; the
/// TSDB only decides when to call it.
package protocol HeadBlockWriting: Sendable {
    func writeBlock(from head: HeadReader, range: Range<Timestamp>, into directory: String) throws -> BlockSummary?
}

/// What one maintenance pass did or could not do.
package struct MaintenanceReport: Sendable, Equatable {
    /// The head range that is due to become a block, if any.
    package var compactionDue: Range<Timestamp>?
    /// The block written this pass.
    package var blockWritten: BlockSummary?
    /// Series dropped from the head after the block was written.
    package var seriesTruncated = 0
    /// The WAL checkpoint written after head truncation, if old enough segments existed.
    package var walCheckpoint: WALCheckpointStats?
    /// Why due work was not done (e.g. no block writer configured).
    package var deferred: [String] = []
}

extension TSDB {
    /// One maintenance pass: cut the head into a block when it spans more than 1.5 block
    /// ranges, truncate the head, then fold the older two thirds of the WAL segments into a
    /// checkpoint keeping live series and samples at or after the cut (Prometheus'
    /// `truncateWAL`). Without a block writer (`blockWriter == nil`) the due compaction is
    /// reported in `deferred` and nothing is removed, so no data is ever lost.
    ///
    /// Retention needs the persisted-block reader; until it exists it is not applied (blocks
    /// are never written without a writer, so there is nothing to delete either).
    package func maintain(blockWriter: (any HeadBlockWriting)?) throws -> MaintenanceReport {
        var report = MaintenanceReport()
        guard !isClosed else { return report }
        while let due = MaintenancePlan.headCompaction(headMinTime: head.minTime, headMaxTime: head.maxTime,
                                                        blockRange: options.blockRange) {
            report.compactionDue = due
            guard let blockWriter else {
                report.deferred.append("head compaction of [\(due.lowerBound), \(due.upperBound)) waits for a block writer")
                break
            }
            let written = try blockWriter.writeBlock(from: HeadReader(head: head), range: due, into: directory)
            report.blockWritten = written
            report.seriesTruncated += head.truncate(before: due.upperBound)
            if let low = head.minTime, low < due.upperBound { break } // chunk crossing the cut: never spin
            logger.info("head compacted", metadata: [
                "tsdb.block.id": "\(written?.id ?? "none")", "tsdb.block.min_time": "\(due.lowerBound)",
                "tsdb.block.max_time": "\(due.upperBound)",
            ])
            if let stats = try truncateWAL(before: due.upperBound) { report.walCheckpoint = stats }
        }
        return report
    }

    /// Checkpoints WAL segments up to two thirds of the closed ones, keeping series still in
    /// the head and samples at or after `mint`. Nil when there are too few closed segments.
    func truncateWAL(before mint: Timestamp) throws -> WALCheckpointStats? {
        let segments = try wal.segments()
        guard let first = segments.first, var last = segments.last else { return nil }
        if let open = wal.currentSegment, last >= open { last = open - 1 } // never the open segment
        guard last >= first else { return nil }
        last = first + (last - first) * 2 / 3
        guard last > first else { return nil } // as Prometheus: at least three closed segments
        let stats = try wal.checkpoint(through: last, keep: { head.series.get($0) != nil }, minTime: mint)
        logger.info("WAL checkpoint written", metadata: [
            "tsdb.wal.checkpoint": "\(stats.checkpoint)", "tsdb.wal.dropped_series": "\(stats.droppedSeries)",
            "tsdb.wal.dropped_samples": "\(stats.droppedSamples)",
        ])
        return stats
    }

    /// Runs `maintain` every `interval` on `clock` until the task is cancelled. Errors of one
    /// pass are logged and the loop goes on.
    package func runMaintenance<C: Clock>(every interval: C.Duration, clock: C,
                                          blockWriter: (any HeadBlockWriting)? = nil) async {
        while !Task.isCancelled && !isClosed {
            do {
                try await clock.sleep(for: interval)
            } catch {
                return // cancelled
            }
            do {
                let report = try maintain(blockWriter: blockWriter)
                if !report.deferred.isEmpty {
                    logger.debug("maintenance deferred work", metadata: ["tsdb.maintenance.deferred": "\(report.deferred)"])
                }
            } catch {
                logger.warning("maintenance pass failed", metadata: ["tsdb.error": "\(error)"])
            }
        }
    }
}
