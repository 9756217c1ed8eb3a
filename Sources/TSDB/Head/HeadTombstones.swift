import PharosCore
import Synchronization

/// The head's deleted intervals by series ref. Thread-safe; reads of a head without any
/// tombstones (the usual case) cost one atomic load, no lock.
package final class HeadTombstones: Sendable {
    private let state = Mutex(Tombstones())
    /// Series with at least one interval; 0 lets readers skip the lock.
    private let seriesCount = Atomic<Int>(0)

    init() {}

    /// The deleted intervals of `ref` (empty when none).
    package func intervals(_ ref: UInt64) -> Intervals {
        guard seriesCount.load(ordering: .acquiring) > 0 else { return Intervals() }
        return state.withLock { $0[ref] }
    }

    /// A copy of every interval.
    package var all: Tombstones { state.withLock { $0 } }

    func add(_ ref: UInt64, _ interval: TimeInterval) {
        update { $0.add(ref, interval) }
    }

    /// Drops intervals ending before `mint` and those of `removed` series (head truncation).
    func truncate(before mint: Timestamp, removed: some Sequence<UInt64>) {
        guard seriesCount.load(ordering: .acquiring) > 0 else { return }
        update {
            $0.remove(removed)
            $0.removeAll(endingBefore: mint)
        }
    }

    private func update(_ body: (inout Tombstones) -> Void) {
        state.withLock { tombstones in
            body(&tombstones)
            seriesCount.store(tombstones.byRef.count, ordering: .releasing)
        }
    }
}

extension Head {
    /// Deletes the samples in [mint, maxt] of every series matching `matchers` (Prometheus'
    /// `Head.Delete`): per series the interval is clamped to its current first and last sample,
    /// so samples appended later stay visible. The tombstones go to the head's log first (WAL
    /// record type 3), then take effect; throwing means nothing was deleted. Runs between two
    /// commits. Returns the intervals recorded, by head series ref.
    @discardableResult
    package func delete(matching matchers: [LabelMatcher], from mint: Timestamp,
                        through maxt: Timestamp) throws -> [(ref: UInt64, interval: TimeInterval)] {
        try commitLock.withLock { _ in
            guard !isClosed else { throw TSDBError(.closed, "cannot delete: the head is closed", location: "head") }
            var stones: [(ref: UInt64, interval: TimeInterval)] = []
            for ref in HeadReader(head: self).postings(matching: matchers) {
                guard let entry = series.get(ref), let range = entry.timeRange else { continue }
                let interval = TimeInterval(mint, maxt).clamped(to: range.min, range.max)
                if interval.mint <= interval.maxt { stones.append((ref, interval)) }
            }
            guard !stones.isEmpty else { return [] }
            try log?.logTombstones(stones)
            for stone in stones { tombstones.add(stone.ref, stone.interval) }
            return stones
        }
    }
}
