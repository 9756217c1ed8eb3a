import PharosCore
import Synchronization

/// A read-only view of one source of series — the head or a persisted block — that
/// `BlockMergeQuerier` merges with others uniformly (Prometheus' IndexReader + ChunkReader +
/// tombstones reader in one).
///
/// Refs are only meaningful within one reader. Lists are sorted ascending and duplicate-free.
/// Thread-safe; the reader must stay valid while a querier uses it.
package protocol BlockReader: Sendable {
    /// Inclusive bounds of the samples the reader may hold.
    var minTime: Timestamp { get }
    var maxTime: Timestamp { get }
    /// Union of the postings of `name` for each of `values` (missing values contribute nothing).
    func postings(_ name: String, values: [String]) -> [UInt64]
    /// Every series ref.
    func allPostings() -> [UInt64]
    /// Sorted label names present in the reader.
    func labelNames() -> [String]
    /// Sorted values of `name`.
    func labelValues(_ name: String) -> [String]
    /// Labels of `ref` and its chunks overlapping [mint, maxt], oldest first, with the samples
    /// the reader's tombstones delete left out (see `ChunkSnapshot.removing`); nil when unknown.
    func series(_ ref: UInt64, from mint: Timestamp, through maxt: Timestamp) -> (labels: Labels, chunks: [ChunkSnapshot])?
    /// Labels of `ref` when a metadata-only select (the series API) lists it for [mint, maxt],
    /// as Prometheus' chunk-less path decides: some chunk overlaps the range and is not wholly
    /// inside one deleted interval; nil otherwise. No chunk data is read. Default: `series`
    /// has chunks there.
    func listedLabels(_ ref: UInt64, from mint: Timestamp, through maxt: Timestamp) -> Labels?
    /// A number that changes whenever series are added, so a caller can tell whether postings
    /// it resolved earlier are still complete. Constant for immutable readers (default 0).
    var seriesGeneration: Int { get }
    /// Runs `body` while the reader's contents do not change: for the head, between two
    /// commits (commits wait meanwhile, so keep `body` short and free of I/O). Immutable
    /// readers just run it (the default).
    func withStableView(_ body: () -> Void)
    /// A warning for query answers when reads through the non-throwing methods failed (a
    /// damaged block), nil when every read succeeded (the default).
    var readWarning: String? { get }
}

extension BlockReader {
    package func listedLabels(_ ref: UInt64, from mint: Timestamp, through maxt: Timestamp) -> Labels? {
        series(ref, from: mint, through: maxt).flatMap { $0.chunks.isEmpty ? nil : $0.labels }
    }

    package var seriesGeneration: Int { 0 }
    package func withStableView(_ body: () -> Void) { body() }
    package var readWarning: String? { nil }
}

/// The head as a `BlockReader`. Chunk snapshots include the open chunk as of the call.
package struct HeadReader: BlockReader {
    package let head: Head

    package init(head: Head) { self.head = head }

    package var minTime: Timestamp { head.minTime ?? .max }
    package var maxTime: Timestamp { head.maxTime ?? .min }

    package func postings(_ name: String, values: [String]) -> [UInt64] {
        Postings.merge(values.map { head.postings.postings(name, $0) })
    }

    package func allPostings() -> [UInt64] { head.postings.all() }

    package func labelNames() -> [String] { head.postings.names() }

    package func labelValues(_ name: String) -> [String] { head.postings.values(name) }

    package func series(_ ref: UInt64, from mint: Timestamp, through maxt: Timestamp) -> (labels: Labels, chunks: [ChunkSnapshot])? {
        guard let entry = head.series.get(ref) else { return nil }
        let chunks = entry.chunks(from: mint, through: maxt)
        let deleted = head.tombstones.intervals(ref)
        return (entry.labels, deleted.isEmpty ? chunks : ChunkSnapshot.removing(deleted, from: chunks))
    }

    /// Closed chunks count unless one deleted interval covers them; the open chunk counts
    /// whenever it overlaps the range — Prometheus reports it as ending at +∞, so no tombstone
    /// ever covers it (deleted head series stay listed until their range is compacted).
    package func listedLabels(_ ref: UInt64, from mint: Timestamp, through maxt: Timestamp) -> Labels? {
        guard let entry = head.series.get(ref) else { return nil }
        let (closed, open) = entry.chunkBounds(from: mint, through: maxt)
        if open { return entry.labels }
        let deleted = head.tombstones.intervals(ref)
        return closed.contains { !deleted.covers($0.min, $0.max) } ? entry.labels : nil
    }

    package var seriesGeneration: Int { head.counters.seriesCreated.load(ordering: .acquiring) }

    package func withStableView(_ body: () -> Void) {
        head.commitLock.withLock { _ in body() }
    }
}
