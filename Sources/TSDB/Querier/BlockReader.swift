import PharosCore

/// A read-only view of one source of series — the head or a persisted block — that
/// `HeadQuerier` merges with others uniformly (Prometheus' IndexReader + ChunkReader).
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
    /// Labels of `ref` and its chunks overlapping [mint, maxt], oldest first; nil when unknown.
    func series(_ ref: UInt64, from mint: Timestamp, through maxt: Timestamp) -> (labels: Labels, chunks: [ChunkSnapshot])?
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
        return (entry.labels, entry.chunks(from: mint, through: maxt))
    }
}
