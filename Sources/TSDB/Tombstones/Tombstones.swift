import PharosCore

/// Deleted intervals by series ref, for one block or the head (Prometheus'
/// `tombstones.MemTombstones`). Value type; refs are only meaningful in the reader they
/// belong to.
package struct Tombstones: Hashable, Sendable {
    package private(set) var byRef: [UInt64: Intervals] = [:]

    package init() {}

    package var isEmpty: Bool { byRef.isEmpty }

    /// Number of intervals over all series (meta.json's `numTombstones`).
    package var total: Int { byRef.values.reduce(0) { $0 + $1.count } }

    /// The deleted intervals of `ref` (empty when none).
    package subscript(ref: UInt64) -> Intervals { byRef[ref] ?? Intervals() }

    /// Adds `interval` to `ref`, merged as `Intervals.add` says.
    package mutating func add(_ ref: UInt64, _ interval: TimeInterval) {
        guard interval.mint <= interval.maxt else { return }
        byRef[ref, default: Intervals()].add(interval)
    }

    /// Adds every interval of `other`.
    package mutating func formUnion(_ other: Tombstones) {
        for (ref, intervals) in other.byRef {
            for interval in intervals { add(ref, interval) }
        }
    }

    /// Forgets the intervals of `refs` (series dropped from the head).
    package mutating func remove(_ refs: some Sequence<UInt64>) {
        for ref in refs { byRef[ref] = nil }
    }

    /// Drops intervals that end before `mint`, and series left without any.
    package mutating func removeAll(endingBefore mint: Timestamp) {
        for ref in Array(byRef.keys) {
            byRef[ref]!.removeAll(endingBefore: mint)
            if byRef[ref]!.isEmpty { byRef[ref] = nil }
        }
    }

    /// Every (ref, interval), by ascending ref then mint: the order Pharos writes stones in.
    package var stones: [(ref: UInt64, interval: TimeInterval)] {
        byRef.keys.sorted().flatMap { ref in byRef[ref]!.map { (ref, $0) } }
    }
}
