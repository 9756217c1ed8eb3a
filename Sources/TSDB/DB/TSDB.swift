import Foundation
import Logging
import PharosCore
import Synchronization

/// Statistics of the whole database.
package struct TSDBStats: Sendable {
    package var head: HeadStats
    package var walSegments: [Int]
    package var replay: TSDBReplayReport
}

/// The embedded time-series database: a WAL-backed in-memory head behind the `Appendable` and
/// `Queryable` seams (Prometheus' `tsdb.DB`). Folder layout: `<directory>/wal/`.
///
/// Thread-safe. Commits are durable when they return (in the WAL; fsynced with
/// `syncOnCommit`). After `close()` appends throw `.unavailable` and queriers throw
/// `TSDBError` `.closed`.
package final class TSDB: Appendable, Queryable, Sendable {
    package let directory: String
    package let options: TSDBOptions
    package let head: Head
    let wal: WAL
    let logger: Logger
    package let replayReport: TSDBReplayReport
    private let closed = Atomic<Bool>(false)

    private init(directory: String, options: TSDBOptions, head: Head, wal: WAL, logger: Logger, replay: TSDBReplayReport) {
        self.directory = directory
        self.options = options
        self.head = head
        self.wal = wal
        self.logger = logger
        self.replayReport = replay
    }

    /// Opens (creating when needed) the database in `directory` and replays its WAL into the
    /// head. A torn WAL tail is truncated and reported through `logger`; corruption elsewhere
    /// throws. Blocking: call it off the cooperative pool for large WALs.
    package static func open(directory: String, options: TSDBOptions = TSDBOptions(), logger: Logger) throws -> TSDB {
        try options.validate()
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw TSDBError(.io, "cannot create the data directory", location: directory, underlying: error)
        }
        let wal = try WAL(directory: directory + "/wal", segmentSize: options.walSegmentSize, logger: logger)
        let head = Head(options: options.headOptions, log: WALHeadLog(wal: wal, syncOnCommit: options.syncOnCommit))
        let report = try replay(wal, into: head, logger: logger)
        return TSDB(directory: directory, options: options, head: head, wal: wal, logger: logger, replay: report)
    }

    package var isClosed: Bool { closed.load(ordering: .acquiring) }

    package func makeAppender() -> any Appender {
        isClosed ? ClosedAppender() : head.makeAppender()
    }

    package func withQuerier<R: Sendable>(from mint: Timestamp, through maxt: Timestamp,
                                          _ body: (any Querier) async throws -> R) async throws -> R {
        guard !isClosed else { throw TSDBError(.closed, "cannot query: the database is closed", location: directory) }
        return try await body(HeadQuerier(readers: readers(), from: mint, through: maxt))
    }

    /// The sources a querier merges: persisted blocks (none until the block reader lands),
    /// then the head.
    func readers() -> [any BlockReader] { [HeadReader(head: head)] }

    package var stats: TSDBStats {
        TSDBStats(head: head.stats, walSegments: (try? wal.segments()) ?? [], replay: replayReport)
    }

    /// Stops accepting appends and queries, syncs and closes the WAL. Idempotent.
    package func close() throws {
        guard !closed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        head.close()
        try wal.sync()
        try wal.close()
    }
}

/// The appender handed out after `close()`: refuses everything.
final class ClosedAppender: Appender {
    func append(_ ref: SeriesRef, _ labels: Labels, at timestamp: Timestamp, value: Double,
                options: AppendOptions) throws(AppendError) -> SeriesRef {
        throw AppendError(.unavailable, "the TSDB is closed")
    }

    func commit() async throws {}

    func rollback() {}
}
