import PharosCore
import Synchronization
import TSDB

/// The TSDB as the rest of the server sees it before and after the WAL replay.
///
/// HTTP handlers and ingest services get this handle at construction time; the `TSDBService`
/// installs the opened database when the replay finishes. Until then appends fail with
/// `AppendError(.unavailable)` and queries (exemplar queries too) throw `StorageUnavailable`,
/// which the API maps to 503.
///
/// `setMaxExemplars` (config reload) resizes the open database's exemplar ring, or, during the
/// replay, the one installed next.
package final class OpenedStorage: Appendable, Queryable, ExemplarQueryable, Sendable {
    private let database = Mutex<(tsdb: TSDB?, maxExemplars: Int?)>((nil, nil))

    package init() {}

    package var tsdb: TSDB? { database.withLock { $0.tsdb } }

    func install(_ tsdb: TSDB?) {
        database.withLock { state in
            state.tsdb = tsdb
            if let tsdb, let size = state.maxExemplars, size != tsdb.head.exemplars.capacity { tsdb.resizeExemplars(to: size) }
        }
    }

    /// Applies `storage.exemplars.max_exemplars` (0 or less: keep none), keeping the newest.
    package func setMaxExemplars(_ size: Int) {
        database.withLock { state in
            state.maxExemplars = max(size, 0)
            if let tsdb = state.tsdb, tsdb.head.exemplars.capacity != max(size, 0) { tsdb.resizeExemplars(to: size) }
        }
    }

    package func exemplars(from start: Timestamp, through end: Timestamp,
                           matching selectors: [[LabelMatcher]]) async throws -> [ExemplarQueryResult] {
        guard let tsdb else { throw StorageUnavailable() }
        return try await tsdb.exemplars(from: start, through: end, matching: selectors)
    }

    package func makeAppender() -> any Appender {
        guard let tsdb else { return RefusingAppender(reason: "the WAL is being replayed") }
        return tsdb.makeAppender()
    }

    package func withQuerier<R: Sendable>(from mint: Timestamp, through maxt: Timestamp,
                                          _ body: (any Querier) async throws -> R) async throws -> R {
        guard let tsdb else { throw StorageUnavailable() }
        return try await tsdb.withQuerier(from: mint, through: maxt, body)
    }
}

/// Thrown by queries that arrive while the WAL is still replaying (or after shutdown).
package struct StorageUnavailable: Error, CustomStringConvertible {
    package var description: String { "storage is not ready: the WAL is being replayed" }
}
