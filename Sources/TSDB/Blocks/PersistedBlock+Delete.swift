import PharosCore
import Synchronization

extension PersistedBlock {
    /// Records tombstones for the samples in [mint, maxt] of every series matching
    /// `matchers` (Prometheus' `Block.Delete`): a series gets the interval, clamped to its first
    /// chunk's start and last chunk's end, when one of its chunks overlaps it. The tombstones
    /// file and meta.json (`numTombstones`) are replaced atomically before memory changes, so
    /// snapshots' hard links keep their content. Returns the number of series that got an
    /// interval. Not safe against a concurrent `delete` of the same block (the TSDB serializes
    /// them with maintenance).
    /// - Throws: `.corruptBlock` when the index cannot be read, `.io` when a file cannot be written.
    @discardableResult
    package func delete(matching matchers: [LabelMatcher], from mint: Timestamp, through maxt: Timestamp) throws(TSDBError) -> Int {
        var added = Tombstones()
        let earlierError = firstError
        for ref in postings(matching: matchers) {
            let chunks = try index.series(ref).chunks
            guard let first = chunks.first, let last = chunks.last,
                  chunks.contains(where: { $0.minTime <= maxt && mint <= $0.maxTime }) else { continue }
            added.add(ref, TimeInterval(mint, maxt).clamped(to: first.minTime, last.maxTime))
        }
        if earlierError == nil, let error = firstError { throw error } // postings could not be read
        guard !added.isEmpty else { return 0 }
        var tombstones = self.tombstones
        tombstones.formUnion(added)
        var meta = self.meta
        meta.stats.numTombstones = tombstones.isEmpty ? nil : UInt64(tombstones.total)
        try TombstonesFile.write(tombstones, blockDirectory: directory)
        try BlockFiles.replaceFile(directory + "/meta.json", try meta.encoded())
        state.withLock { state in
            state.meta = meta
            state.tombstones = tombstones
        }
        hasTombstones.store(!tombstones.isEmpty, ordering: .releasing)
        return added.byRef.count
    }
}
