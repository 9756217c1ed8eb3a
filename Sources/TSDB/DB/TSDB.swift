import Foundation
import Logging
import PharosCore
import Synchronization

/// Statistics of the whole database.
package struct TSDBStats: Sendable {
    package var head: HeadStats
    /// Persisted blocks, oldest first.
    package var blocks: [BlockMeta]
    package var walSegments: [Int]
    package var replay: TSDBReplayReport
}

/// The embedded time-series database: a WAL-backed in-memory head behind the `Appendable` and
/// `Queryable` seams, plus persisted blocks cut from the head (Prometheus' `tsdb.DB`).
/// Folder layout as Prometheus: `<directory>/wal/` and one `<ULID>/` folder per block.
///
/// Thread-safe. Commits are durable when they return (in the WAL; fsynced with
/// `syncOnCommit`). Blocking work behind the async methods (commits, opening, maintenance,
/// snapshots, deletes) runs on `threads`, never on the cooperative pool. After `close()`
/// appends throw `.unavailable` and queriers throw `TSDBError` `.closed`.
package final class TSDB: Appendable, Queryable, ExemplarQueryable, Sendable {
    package let directory: String
    package let options: TSDBOptions
    package let head: Head
    let wal: WAL
    let logger: Logger
    package let replayReport: TSDBReplayReport
    /// Where blocking work runs for the async methods.
    package let threads: TSDBThreads
    /// Maintenance outcomes, for `/metrics`.
    package let counters = MaintenanceCounters()
    private let closed = Atomic<Bool>(false)
    private let blockList: Mutex<[PersistedBlock]>
    /// Serializes maintenance passes.
    let maintenanceLock = Mutex<Void>(())

    private init(directory: String, options: TSDBOptions, head: Head, wal: WAL, logger: Logger, replay: TSDBReplayReport,
                 blocks: [PersistedBlock], threads: TSDBThreads) {
        self.blockList = Mutex(blocks)
        self.threads = threads
        self.directory = directory
        self.options = options
        self.head = head
        self.wal = wal
        self.logger = logger
        self.replayReport = replay
        counters.blocksBytes.store(blocksBytes(), ordering: .relaxed)
    }

    /// Opens (creating when needed) the database in `directory` on `threads.io`, off the
    /// cooperative pool: loads its blocks, then replays the WAL into the head, skipping samples
    /// the blocks already hold. A torn WAL tail is truncated and reported through `logger`;
    /// corruption elsewhere throws. `replayProgress` follows the replay segment by segment.
    /// The database keeps `threads` for its commits and maintenance.
    package static func open(directory: String, options: TSDBOptions = TSDBOptions(), logger: Logger,
                             threads: TSDBThreads, replayProgress: WALReplayProgress? = nil) async throws -> TSDB {
        try await threads.io.run {
            try open(directory: directory, options: options, logger: logger, replayProgress: replayProgress, threads: threads)
        }
    }

    /// `open` on the calling thread, which it blocks for as long as the replay takes; the
    /// database uses `threads` (default `.shared`) for its commits and async maintenance.
    package static func open(directory: String, options: TSDBOptions = TSDBOptions(), logger: Logger,
                             replayProgress: WALReplayProgress? = nil, threads: TSDBThreads = .shared) throws -> TSDB {
        try options.validate()
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw TSDBError(.io, "cannot create the data directory", location: directory, underlying: error)
        }
        let blocks = try loadBlocks(in: directory, logger: logger)
        let wal = try WAL(directory: directory + "/wal", segmentSize: options.walSegmentSize, compression: options.walCompressionKind, logger: logger)
        let head = Head(options: options.headOptions, log: WALHeadLog(wal: wal, syncOnCommit: options.syncOnCommit),
                        commitExecutor: threads.io)
        if let persistedEnd = blocks.map(\.meta.maxTime).max() { head.raiseMinValidTime(to: persistedEnd) }
        let report = try replay(wal, into: head, progress: replayProgress, logger: logger)
        return TSDB(directory: directory, options: options, head: head, wal: wal, logger: logger, replay: report, blocks: blocks,
                    threads: threads)
    }

    package var isClosed: Bool { closed.load(ordering: .acquiring) }

    package func makeAppender() -> any Appender {
        isClosed ? RefusingAppender(reason: "the TSDB is closed") : head.makeAppender()
    }

    package func withQuerier<R: Sendable>(from mint: Timestamp, through maxt: Timestamp,
                                          _ body: (any Querier) async throws -> R) async throws -> R {
        guard !isClosed else { throw TSDBError(.closed, "cannot query: the database is closed", location: directory) }
        return try await body(BlockMergeQuerier(readers: readers(), from: mint, through: maxt))
    }

    /// The head's exemplars (they are never persisted into blocks).
    package func exemplars(from start: Timestamp, through end: Timestamp,
                           matching selectors: [[LabelMatcher]]) async throws -> [ExemplarQueryResult] {
        guard !isClosed else { throw TSDBError(.closed, "cannot query exemplars: the database is closed", location: directory) }
        return head.exemplars.select(from: start, through: end, matching: selectors)
    }

    /// Resizes the exemplar ring (config reload), keeping the newest exemplars that fit;
    /// returns how many were kept.
    @discardableResult
    package func resizeExemplars(to capacity: Int) -> Int { head.exemplars.resize(to: capacity) }

    /// The sources a querier merges: persisted blocks, oldest first, then the head.
    func readers() -> [any BlockReader] { blocks + [HeadReader(head: head)] }

    /// The open persisted blocks, oldest first.
    package var blocks: [PersistedBlock] { blockList.withLock { $0 } }

    func addBlock(_ block: PersistedBlock) {
        blockList.withLock { list in
            list.append(block)
            list.sort { $0.meta.minTime < $1.meta.minTime }
        }
    }

    func removeBlocks(_ ids: Set<String>) {
        blockList.withLock { $0.removeAll { ids.contains($0.ulid) } }
    }

    package var stats: TSDBStats {
        TSDBStats(head: head.stats, blocks: blocks.map(\.meta), walSegments: (try? wal.segments()) ?? [], replay: replayReport)
    }

    /// Stops accepting appends and queries, syncs and closes the WAL. Idempotent.
    package func close() throws {
        guard !closed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        maintenanceLock.withLock { _ in } // let a running maintenance pass finish
        head.close()
        try wal.sync()
        try wal.close()
    }
}
