import NIOPosix

/// Runs blocking work — file writes, fsyncs, long passes over data — on threads outside
/// Swift's cooperative pool, so tasks there (HTTP handlers, scrapes) keep their threads while
/// the disk works (STYLE.md §7).
package protocol BlockingExecutor: Sendable {
    /// Runs `body` on a thread that may block and returns its result or error. Once started,
    /// `body` runs to its end; a task cancelled before that throws `CancellationError` and
    /// `body` never runs.
    func run<R: Sendable>(_ body: @escaping @Sendable () throws -> R) async throws -> R
}

extension NIOThreadPool: BlockingExecutor {
    package func run<R: Sendable>(_ body: @escaping @Sendable () throws -> R) async throws -> R {
        try await runIfActive(body)
    }
}

/// Runs `body` right away on the calling thread: for tests and for heads without a log,
/// where nothing blocks.
package struct InlineExecutor: BlockingExecutor {
    package init() {}

    package func run<R: Sendable>(_ body: @escaping @Sendable () throws -> R) async throws -> R {
        try body()
    }
}

/// Where a TSDB runs its blocking work.
package struct TSDBThreads: Sendable {
    /// Commits (WAL write and fsync), opening and WAL replay: short or one-off work that
    /// must not wait behind a compaction.
    package var io: any BlockingExecutor
    /// Head and block compaction, retention, checkpoints, snapshots, deletes and tombstone
    /// clean-up: long passes. They are serialized per TSDB anyway; a pool of its own keeps
    /// them from occupying every `io` thread.
    package var maintenance: any BlockingExecutor

    package init(io: any BlockingExecutor, maintenance: any BlockingExecutor) {
        self.io = io
        self.maintenance = maintenance
    }

    /// NIO's shared blocking pool (`NIOThreadPool.singleton`, one thread per core) for `io`,
    /// and one process-wide thread for `maintenance`. Both live as long as the process.
    package static var shared: TSDBThreads { TSDBThreads(io: NIOThreadPool.singleton, maintenance: sharedMaintenancePool) }

    /// Everything on the calling thread.
    package static var inline: TSDBThreads { TSDBThreads(io: InlineExecutor(), maintenance: InlineExecutor()) }
}

/// Started on first use, never shut down (a global is never deinitialized).
private let sharedMaintenancePool: NIOThreadPool = {
    let pool = NIOThreadPool(numberOfThreads: 1)
    pool.start()
    return pool
}()

/// Carries a value into a `@Sendable` closure that runs while its owner waits for it: the
/// owner does not touch the value until the closure has finished, so no two threads use it
/// at once. Only for that hand-over.
struct WaitingHandOver<Value>: @unchecked Sendable {
    let value: Value
}
