import Logging
import ServiceLifecycle
import TSDB

/// Service 1 of the group: opens the TSDB (replaying the WAL on `threads.io`), flips the
/// readiness gate, runs compaction and retention (on `threads.maintenance`) until graceful
/// shutdown, then closes the database (flushing the WAL).
package struct TSDBService: Service {
    package var directory: String
    package var options: TSDBOptions
    package var storage: OpenedStorage
    package var gate: ReadinessGate
    package var logger: Logger
    /// Interval between maintenance passes (head compaction, block compaction, retention).
    package var maintenanceInterval: Duration = .seconds(60)
    /// Follows the WAL replay for `/api/v1/status/walreplay` (readable while it runs).
    package var replayProgress: WALReplayProgress?
    /// Where opening, replay, commits and maintenance run: off the cooperative pool, so HTTP
    /// and scrapes keep their threads while the disk works.
    package var threads: TSDBThreads = .shared

    package init(directory: String, options: TSDBOptions, storage: OpenedStorage, gate: ReadinessGate, logger: Logger) {
        self.directory = directory
        self.options = options
        self.storage = storage
        self.gate = gate
        self.logger = logger
    }

    package func run() async throws {
        let clock = ContinuousClock()
        let started = clock.now
        logger.info("Replaying WAL, this may take a while", metadata: ["tsdb.path": "\(directory)"])
        let tsdb = try await TSDB.open(directory: directory, options: options, logger: logger, threads: threads,
                                       replayProgress: replayProgress)
        storage.install(tsdb)
        logger.info("TSDB started", metadata: [
            "tsdb.head.series": "\(tsdb.head.stats.numSeries)",
            "tsdb.replay.duration": "\(clock.now - started)",
        ])
        gate.markReady()
        // Maintenance stops at graceful shutdown; by then the services above (HTTP, ingest)
        // have stopped, so closing flushes a WAL nobody writes to any more.
        try? await cancelWhenGracefulShutdown {
            await tsdb.runMaintenance(every: maintenanceInterval, clock: clock)
        }
        logger.info("Closing TSDB")
        storage.install(nil)
        try tsdb.close()
    }
}
