import PharosCore

/// A closed range of sample times, `[mint, maxt]` in ms (Prometheus' `tombstones.Interval`).
package struct TimeInterval: Hashable, Sendable, CustomStringConvertible {
    package var mint: Timestamp
    package var maxt: Timestamp

    package init(_ mint: Timestamp, _ maxt: Timestamp) {
        self.mint = mint
        self.maxt = maxt
    }

    package func contains(_ timestamp: Timestamp) -> Bool { timestamp >= mint && timestamp <= maxt }

    /// True when the interval shares at least one timestamp with `[low, high]`.
    package func overlaps(_ low: Timestamp, _ high: Timestamp) -> Bool { mint <= high && low <= maxt }

    /// This interval cut to `[low, high]` (Prometheus' `clampInterval`); may come out empty
    /// (`mint > maxt`) when they do not overlap.
    package func clamped(to low: Timestamp, _ high: Timestamp) -> TimeInterval {
        TimeInterval(Swift.max(mint, low), Swift.min(maxt, high))
    }

    package var description: String { "[\(mint), \(maxt)]" }
}

/// The deleted ranges of one series: sorted by `mint`, neither overlapping nor adjacent
/// (Docs/formats/tombstones.md, "Intervals"). Value type; empty means nothing is deleted.
package struct Intervals: Hashable, Sendable, Sequence, CustomStringConvertible {
    package private(set) var list: [TimeInterval] = []

    package init() {}

    /// The union of `intervals`, in any order.
    package init(_ intervals: some Sequence<TimeInterval>) {
        for interval in intervals { add(interval) }
    }

    package var isEmpty: Bool { list.isEmpty }
    package var count: Int { list.count }
    package func makeIterator() -> IndexingIterator<[TimeInterval]> { list.makeIterator() }

    /// Adds `interval` (ignored when `mint > maxt`), merging it with every interval it
    /// overlaps or touches; never overflows at `Int64.min`/`Int64.max`.
    package mutating func add(_ interval: TimeInterval) {
        guard interval.mint <= interval.maxt else { return }
        // First interval that ends at or after mint - 1 (touching counts).
        var low = 0
        while low < list.count && list[low].maxt < interval.mint && list[low].maxt &+ 1 < interval.mint {
            low += 1
        }
        var high = low
        var merged = interval
        while high < list.count && (list[high].mint <= interval.maxt || list[high].mint &- 1 <= interval.maxt) {
            merged.mint = Swift.min(merged.mint, list[high].mint)
            merged.maxt = Swift.max(merged.maxt, list[high].maxt)
            high += 1
        }
        list.replaceSubrange(low..<high, with: CollectionOfOne(merged))
    }

    /// Adds every interval of `other`.
    package mutating func formUnion(_ other: Intervals) {
        for interval in other.list { add(interval) }
    }

    /// True when some interval contains `timestamp`.
    package func contains(_ timestamp: Timestamp) -> Bool {
        list.contains { $0.contains(timestamp) }
    }

    /// True when one interval covers all of `[low, high]` (Prometheus' `IsSubrange`).
    package func covers(_ low: Timestamp, _ high: Timestamp) -> Bool {
        list.contains { $0.mint <= low && high <= $0.maxt }
    }

    /// True when some interval shares a timestamp with `[low, high]`.
    package func overlaps(_ low: Timestamp, _ high: Timestamp) -> Bool {
        list.contains { $0.overlaps(low, high) }
    }

    /// Drops the intervals that end before `mint` (Prometheus' `TruncateBefore`).
    package mutating func removeAll(endingBefore mint: Timestamp) {
        list.removeAll { $0.maxt < mint }
    }

    package var description: String { list.map(\.description).joined(separator: " ") }
}
