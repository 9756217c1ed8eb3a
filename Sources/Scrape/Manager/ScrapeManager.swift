import Logging
import PharosConfig
import PharosCore
import PharosHTTPClient
import ServiceLifecycle

/// Runs the scrape pools of the current config (Prometheus' `scrape.Manager`). A `Service`.
///
/// `apply(_:)` may be called before or during `run()`: pools whose scrape config is unchanged
/// apart from static_configs/file_sd_configs keep their loops (and only re-sync targets); changed pools restart every loop — loops of
/// targets that persist are stopped without staleness markers — and removed pools stop with
/// markers. `run()` runs all loops as children of one task group, and polls discovery files
/// every `discoveryPollInterval` (and forces a full re-read at each file_sd refresh_interval);
/// it ends on graceful shutdown or cancellation, which end loops without markers.
package actor ScrapeManager: Service {
    /// Builds the fetcher for a scrape config (default: one `PharosHTTPClient` per pool).
    package typealias FetcherFactory = @Sendable (ScrapeConfig) throws -> any TargetFetcher

    private let storage: any Appendable
    private let clock: any ScrapeClock
    private let logger: Logger
    private let makeFetcher: FetcherFactory
    private let offsetSeed: UInt64
    private let metrics: ScrapeMetrics
    package let discoveryPollInterval: Duration
    private var pools: [String: ScrapePool] = [:]
    private var poolOrder: [String] = []
    private let (starts, startContinuation) = AsyncStream<ScrapeLoop>.makeStream()
    private var lastForcedRefresh: [String: Int64] = [:]

    package init(storage: any Appendable, clock: any ScrapeClock = SystemScrapeClock(),
                 logger: Logger = Logger(label: "pharos.scrape"), offsetSeed: UInt64 = 0,
                 discoveryPollInterval: Duration = .seconds(5),
                 metrics: ScrapeMetrics = ScrapeMetrics(),
                 makeFetcher: FetcherFactory? = nil) {
        self.metrics = metrics
        self.storage = storage
        self.clock = clock
        self.logger = logger
        self.offsetSeed = offsetSeed
        self.discoveryPollInterval = discoveryPollInterval
        if let makeFetcher {
            self.makeFetcher = makeFetcher
        } else {
            self.makeFetcher = { config in try Self.httpFetcher(config, logger: logger) }
        }
    }

    /// The default fetcher: a `PharosHTTPClient` for the job's http_config.
    package static func httpFetcher(_ config: ScrapeConfig, logger: Logger) throws(ScrapeError) -> any TargetFetcher {
        do {
            return HTTPTargetFetcher(client: try PharosHTTPClient(config: config.httpClient, logger: logger))
        } catch {
            throw ScrapeError(.fetch, location: "job \(config.jobName)", error.description)
        }
    }

    /// Applies a new config. Throws only when a pool's HTTP client cannot be built (bad TLS
    /// files); pools applied before the failing one are already in effect.
    package func apply(_ config: PharosConfig) async throws(ScrapeError) {
        var next: [String: ScrapePool] = [:]
        var retired: [any TargetFetcher] = []
        for scrapeConfig in config.scrapeConfigs {
            let job = scrapeConfig.jobName
            if var pool = pools[job], pool.canAdopt(scrapeConfig) {
                pool.adopt(scrapeConfig, logger: logger)
                sync(&pool)
                next[job] = pool
                continue
            }
            let fetcher: any TargetFetcher
            do {
                fetcher = try makeFetcher(scrapeConfig)
            } catch let error as ScrapeError {
                throw error
            } catch {
                throw ScrapeError(.fetch, location: "job \(job)", "\(error)")
            }
            var pool = ScrapePool(config: scrapeConfig, fetcher: fetcher, metrics: metrics)
            _ = pool.refreshDiscovery(force: true, logger: logger)
            let loops = pool.sync(make: loopFactory(pool))
            if let old = pools[job] {
                old.stopAll(keeping: Set(pool.loops.keys))
                retired.append(old.fetcher)
            }
            start(loops)
            next[job] = pool
            lastForcedRefresh[job] = clock.nowNanoseconds
        }
        for (job, pool) in pools where next[job] == nil {
            pool.stopAll()
            pool.forgetMetrics()
            retired.append(pool.fetcher)
            lastForcedRefresh[job] = nil
        }
        pools = next
        poolOrder = config.scrapeConfigs.map(\.jobName)
        for fetcher in retired { await fetcher.shutdown() }
    }

    package func run() async throws {
        let starts = self.starts
        await withDiscardingTaskGroup { group in
            group.addTask { [weak self] in
                while !Task.isCancelled {
                    guard let self else { return }
                    do {
                        try await self.clock.sleep(untilNanoseconds: self.clock.nowNanoseconds
                            + Int64(self.discoveryPollInterval.components.seconds) * 1_000_000_000
                            + self.discoveryPollInterval.components.attoseconds / 1_000_000_000)
                    } catch {
                        return
                    }
                    await self.pollDiscovery()
                }
            }
            group.addTask {
                await withDiscardingTaskGroup { loops in
                    for await loop in starts.cancelOnGracefulShutdown() {
                        loops.addTask { await loop.run() }
                    }
                    loops.cancelAll()
                }
            }
            try? await gracefulShutdown()
            group.cancelAll()
        }
        startContinuation.finish()
        await shutdownFetchers()
    }

    /// Re-reads changed discovery files (all files once per refresh_interval) and re-syncs pools.
    package func pollDiscovery() {
        let now = clock.nowNanoseconds
        for job in poolOrder {
            guard var pool = pools[job] else { continue }
            let refreshEvery = (pool.config.fileSDConfigs.map(\.refreshInterval.milliseconds).min() ?? 0) * 1_000_000
            let force = refreshEvery > 0 && now - (lastForcedRefresh[job] ?? now) >= refreshEvery
            if force { lastForcedRefresh[job] = now }
            if pool.refreshDiscovery(force: force, logger: logger) { sync(&pool) }
            pools[job] = pool
        }
    }

    /// Active targets of every pool, pools in config order, targets in discovery order.
    package func activeTargets() -> [ActiveTargetSnapshot] {
        poolOrder.compactMap { pools[$0] }.flatMap { pool in
            pool.targets.active.compactMap { target -> ActiveTargetSnapshot? in
                guard let loop = pool.loops[target.labels] else { return nil }
                return ActiveTargetSnapshot(
                    scrapePool: pool.config.jobName, discoveredLabels: target.discoveredLabels,
                    labels: target.publicLabels, scrapeURL: target.url, scrapeInterval: target.interval,
                    scrapeTimeout: target.timeout, status: loop.status)
            }
        }
    }

    /// Metadata of every active target, in `activeTargets()` order (`/api/v1/metadata`).
    package func targetMetadata() -> [TargetMetadataSnapshot] {
        poolOrder.compactMap { pools[$0] }.flatMap { pool in
            pool.targets.active.compactMap { target -> TargetMetadataSnapshot? in
                guard let loop = pool.loops[target.labels] else { return nil }
                return TargetMetadataSnapshot(scrapePool: pool.config.jobName, labels: target.publicLabels,
                                              metadata: loop.metadata)
            }
        }
    }

    /// Dropped targets of every pool (at most keep_dropped_targets per pool when set).
    package func droppedTargets() -> [DroppedTargetSnapshot] {
        poolOrder.compactMap { pools[$0] }.flatMap { pool in
            pool.targets.dropped.map {
                DroppedTargetSnapshot(scrapePool: pool.config.jobName, discoveredLabels: $0.discoveredLabels)
            }
        }
    }

    private func loopFactory(_ pool: ScrapePool) -> (ScrapeTarget) -> ScrapeLoop {
        let options = pool.options, fetcher = pool.fetcher, storage = storage, clock = clock, seed = offsetSeed, metrics = metrics
        return {
            ScrapeLoop(target: $0, options: options, fetcher: fetcher, storage: storage, clock: clock, offsetSeed: seed,
                       metrics: metrics)
        }
    }

    private func sync(_ pool: inout ScrapePool) {
        start(pool.sync(make: loopFactory(pool)))
    }

    private func shutdownFetchers() async {
        for pool in pools.values { await pool.fetcher.shutdown() }
    }

    private func start(_ loops: [ScrapeLoop]) {
        for loop in loops { startContinuation.yield(loop) }
    }
}
