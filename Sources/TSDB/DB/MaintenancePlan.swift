import PharosCore

/// Bounds and size of one persisted block, as retention sees it.
package struct BlockSummary: Sendable, Hashable {
    package var id: String
    package var minTime: Timestamp
    /// Exclusive end, as in Prometheus' block meta.
    package var maxTime: Timestamp
    package var sizeBytes: Int64

    package init(id: String, minTime: Timestamp, maxTime: Timestamp, sizeBytes: Int64) {
        self.id = id
        self.minTime = minTime
        self.maxTime = maxTime
        self.sizeBytes = sizeBytes
    }
}

/// Pure decisions of the maintenance loop (no I/O, no clock): when to cut the head into a
/// block and which blocks retention deletes. Mirrors Prometheus' `compactable` and
/// `beyondTimeRetention`/`beyondSizeRetention`.
package enum MaintenancePlan {
    /// The [mint, maxt) range to persist when the head spans more than 1.5 block ranges:
    /// the block-range-aligned window holding the head's oldest sample. Nil otherwise.
    package static func headCompaction(headMinTime: Timestamp?, headMaxTime: Timestamp?, blockRange: Int64) -> Range<Timestamp>? {
        guard let low = headMinTime, let high = headMaxTime, blockRange > 0 else { return nil }
        let (span, overflow) = high.subtractingReportingOverflow(low)
        guard overflow || span > blockRange / 2 * 3 else { return nil }
        let end = MemSeries.rangeEnd(of: low, chunkRange: blockRange)
        return (end - blockRange)..<end
    }

    /// Blocks to delete, oldest first. By time: blocks whose end is at least `retentionTime`
    /// before the newest block's end. By size: the oldest blocks while the total exceeds
    /// `retentionSize` (`extraBytes` counts the WAL and other non-block data).
    package static func retention(blocks: [BlockSummary], retentionTime: PrometheusDuration?, retentionSize: Int64?,
                                  extraBytes: Int64 = 0) -> [BlockSummary] {
        let newestFirst = blocks.sorted { $0.maxTime > $1.maxTime }
        var doomed = Set<String>()
        if let retentionTime, let newest = newestFirst.first {
            for block in newestFirst.dropFirst() where newest.maxTime - block.maxTime >= retentionTime.milliseconds {
                doomed.insert(block.id)
            }
        }
        if let retentionSize {
            var total = extraBytes
            for block in newestFirst {
                total += block.sizeBytes
                if total > retentionSize { doomed.insert(block.id) }
            }
        }
        return blocks.filter { doomed.contains($0.id) }.sorted { $0.maxTime < $1.maxTime }
    }
}
