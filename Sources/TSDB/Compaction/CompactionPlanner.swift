/// Chooses which blocks to compact next, with the rules of Prometheus' leveled compactor.
///
/// Pure: give it the metas of the blocks on disk, get back the ULIDs to merge (empty when
/// nothing is due). Rules, in order:
/// 1. Blocks whose time ranges overlap are merged first (vertical compaction): the first run
///    of mutually overlapping blocks, in minTime order.
/// 2. Otherwise the newest block (highest minTime) is left alone — it was just cut from the
///    head — and for each range after the first, the older blocks are grouped into aligned
///    windows of that range; the first window holding two or more blocks that either spans the
///    whole window or ends at or before the start of the newest remaining block is chosen
///    (so a window is not compacted while another block of its size may still arrive).
package struct CompactionPlanner: Sendable {
    /// Block ranges in milliseconds, ascending; `ranges[0]` is the head block size.
    package let ranges: [Int64]

    package init(ranges: [Int64]) {
        self.ranges = ranges
    }

    /// `count` ranges starting at `minimum`, each `factor` times the previous
    /// (Prometheus' default: 2h × 3ⁿ for 10 steps, capped by the caller's max block duration).
    package static func exponentialRanges(minimum: Int64, count: Int, factor: Int64) -> [Int64] {
        var ranges: [Int64] = []
        var current = minimum
        for _ in 0..<count {
            ranges.append(current)
            let (next, overflow) = current.multipliedReportingOverflow(by: factor)
            if overflow { break }
            current = next
        }
        return ranges
    }

    /// The ULIDs of the blocks to compact together next, in minTime order; empty for none.
    package func plan(_ metas: [BlockMeta]) -> [String] {
        let sorted = metas.sorted { $0.minTime != $1.minTime ? $0.minTime < $1.minTime : $0.ulid < $1.ulid }
        let overlapping = overlappingRun(sorted)
        if !overlapping.isEmpty { return overlapping.map(\.ulid) }
        guard sorted.count > 1 else { return [] }
        return windowed(Array(sorted.dropLast())).map(\.ulid)
    }

    /// The first run of blocks that overlap the blocks before them.
    private func overlappingRun(_ sorted: [BlockMeta]) -> [BlockMeta] {
        guard var reach = sorted.first?.maxTime else { return [] }
        var run: [BlockMeta] = []
        for index in sorted.indices.dropFirst() {
            let block = sorted[index]
            if block.minTime < reach {
                if run.isEmpty { run.append(sorted[index - 1]) }
                run.append(block)
            } else if !run.isEmpty {
                break
            }
            reach = max(reach, block.maxTime)
        }
        return run
    }

    private func windowed(_ older: [BlockMeta]) -> [BlockMeta] {
        guard ranges.count > 1, let newestStart = older.last?.minTime else { return [] }
        for range in ranges.dropFirst() {
            for group in CompactionPlanner.split(older, by: range) {
                let start = group.first!.minTime, end = group.last!.maxTime
                if group.count > 1 && (end - start == range || end <= newestStart) {
                    return group
                }
            }
        }
        return []
    }

    /// Groups blocks (sorted by minTime) into windows `[k·range, (k+1)·range)`; a block that
    /// does not fit inside the window of its start is skipped.
    static func split(_ blocks: [BlockMeta], by range: Int64) -> [[BlockMeta]] {
        var groups: [[BlockMeta]] = []
        var index = 0
        while index < blocks.count {
            let first = blocks[index]
            // Floor division, also for negative times.
            let windowStart = first.minTime >= 0 ? range * (first.minTime / range) : range * ((first.minTime - range + 1) / range)
            let windowEnd = windowStart + range
            if first.maxTime > windowEnd {
                index += 1
                continue
            }
            var group: [BlockMeta] = []
            while index < blocks.count && blocks[index].maxTime <= windowEnd {
                group.append(blocks[index])
                index += 1
            }
            groups.append(group)
        }
        return groups
    }
}
