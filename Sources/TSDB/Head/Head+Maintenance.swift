import PharosCore
import Synchronization

extension Head {
    /// Recreates a series from a WAL series record with its logged ref. When the labels are
    /// already present under another ref (a WAL written across a restart that re-created the
    /// series), returns the existing series so later samples for `ref` go there.
    func replaySeries(ref: SeriesRef, labels: Labels) -> MemSeries {
        let (entry, created) = series.getOrCreate(labels, logged: true) { ref.raw }
        if created {
            postings.add(entry.ref.raw, entry.labels)
            noteReplayed(ref: ref.raw)
            counters.seriesCreated.add(1, ordering: .relaxed)
            liveSeriesDidChange(by: 1)
        }
        return entry
    }

    /// Drops chunks that end before `mint` and removes series left without samples (unless an
    /// open appender staged samples for them), then rejects appends before `mint`. Used after the head's old range is persisted as a block.
    /// Returns the number of series removed.
    @discardableResult
    package func truncate(before mint: Timestamp) -> Int {
        raiseMinValidTime(to: mint)
        var removed: [MemSeries] = []
        commitLock.withLock { _ in
            for entry in series.all() {
                let (chunks, empty) = entry.truncateChunks(before: mint)
                if chunks > 0 { counters.chunksRemoved.add(chunks, ordering: .relaxed) }
                if empty && entry.pendingAppenders.load(ordering: .acquiring) == 0 { removed.append(entry) }
            }
            for entry in removed { entry.removed.store(true, ordering: .releasing) }
            series.remove(removed)
            postings.remove(removed.map { ($0.ref.raw, $0.labels) })
            tombstones.truncate(before: mint, removed: removed.lazy.map(\.ref.raw))
            recomputeTimeBounds()
            if !removed.isEmpty { series.symbols.retain(only: series.all().lazy.map(\.labels)) }
        }
        if !removed.isEmpty {
            counters.seriesRemoved.add(removed.count, ordering: .relaxed)
            liveSeriesDidChange(by: -removed.count)
        }
        return removed.count
    }

    /// Refuses appends and commits of samples before `mint` from now on, and waits for a
    /// commit in flight, so that nothing lands in [.., mint) after this returns. Called before
    /// the range is persisted.
    package func seal(before mint: Timestamp) {
        raiseMinValidTime(to: mint)
        commitLock.withLock { _ in }
    }
}
