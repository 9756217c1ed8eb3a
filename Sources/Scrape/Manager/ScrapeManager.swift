import Discovery
import Logging
import PharosConfig
import PharosCore
import PharosHTTPClient
import ServiceLifecycle

/// Runs the scrape pools of the current config (Prometheus' `scrape.Manager`). A `Service`.
///
/// Targets come from its `DiscoveryManager` (static, file, HTTP, DNS and Kubernetes SD, one
/// target set per job). `apply(_:)` may be called before or during `run()`: it applies the
/// discovery sections, then the pools — a pool whose scrape config is unchanged apart from its
/// discovery sections keeps its loops and only re-syncs targets; a changed pool restarts every
/// loop (loops of targets that persist stop without staleness markers); removed pools stop
/// with markers. Static and file SD targets are in place when `apply` returns; others follow
/// as discovery sends updates, each of which re-syncs the pools whose groups changed. `run()`
/// runs discovery and all loops as children of one task group; it ends on graceful shutdown
/// or cancellation, which end loops without markers.
package actor ScrapeManager: Service {
    /// Builds the fetcher for a scrape config (default: one `PharosHTTPClient` per pool).
    package typealias FetcherFactory = @Sendable (ScrapeConfig) throws -> any TargetFetcher

    private let storage: any Appendable
    private let clock: any ScrapeClock
    private let logger: Logger
    private let makeFetcher: FetcherFactory
    private let offsetSeed: UInt64
    private let metrics: ScrapeMetrics
    /// The discovery manager feeding the pools (runs inside `run()`).
    package let discovery: DiscoveryManager
    private var pools: [String: ScrapePool] = [:]
    private var poolOrder: [String] = []
    private let (starts, startContinuation) = AsyncStream<ScrapeLoop>.makeStream()
    /// The discovery generation of the last apply; older updates are ignored.
    private var appliedGeneration = 0
    private var applying = false
    private var pendingUpdate: DiscoveryUpdate?

    /// - Parameters:
    ///   - discovery: the discovery manager's settings (update throttle, file poll interval, …).
    ///   - discoveryPollInterval: shorthand for `discovery.filePollInterval`.
    ///   - makeDiscoverer: builds discoverers (tests inject fixtures).
    package init(storage: any Appendable, clock: any ScrapeClock = SystemScrapeClock(),
                 logger: Logger = Logger(label: "pharos.scrape"), offsetSeed: UInt64 = 0,
                 discovery: DiscoveryManager.Configuration = DiscoveryManager.Configuration(),
                 discoveryPollInterval: Duration? = nil, discoveryMetrics: DiscoveryMetrics = DiscoveryMetrics(),
                 makeDiscoverer: @escaping DiscovererFactory = StandardDiscoverers.factory,
                 metrics: ScrapeMetrics = ScrapeMetrics(),
                 makeFetcher: FetcherFactory? = nil) {
        self.metrics = metrics
        self.storage = storage
        self.clock = clock
        self.logger = logger
        self.offsetSeed = offsetSeed
        var discoveryConfiguration = discovery
        discoveryConfiguration.name = "scrape"
        if let discoveryPollInterval { discoveryConfiguration.filePollInterval = discoveryPollInterval }
        self.discovery = DiscoveryManager(configuration: discoveryConfiguration, clock: clock, logger: logger,
                                          metrics: discoveryMetrics, makeDiscoverer: makeDiscoverer)
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
        applying = true
        defer { applying = false }
        var sets: [String: ServiceDiscoveryConfigs] = [:]
        for scrapeConfig in config.scrapeConfigs { sets[scrapeConfig.jobName] = scrapeConfig.serviceDiscovery }
        let discovered = await discovery.apply(sets)
        appliedGeneration = discovered.generation
        var next: [String: ScrapePool] = [:]
        var retired: [any TargetFetcher] = []
        do throws(ScrapeError) {
            for scrapeConfig in config.scrapeConfigs {
                let job = scrapeConfig.jobName
                let groups = discovered.sets[job] ?? []
                if var pool = pools[job], pool.canAdopt(scrapeConfig) {
                    pool.adopt(scrapeConfig)
                    pool.groups = groups
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
                pool.groups = groups
                let loops = pool.sync(make: loopFactory(pool))
                if let old = pools[job] {
                    old.stopAll(keeping: Set(pool.loops.keys))
                    retired.append(old.fetcher)
                }
                start(loops)
                next[job] = pool
            }
        } catch {
            // Keep the pools applied so far and those not reached yet running.
            for (job, pool) in pools where next[job] == nil { next[job] = pool }
            pools = next
            throw error
        }
        for (job, pool) in pools where next[job] == nil {
            pool.stopAll()
            pool.forgetMetrics()
            retired.append(pool.fetcher)
        }
        pools = next
        poolOrder = config.scrapeConfigs.map(\.jobName)
        if let pending = pendingUpdate {
            pendingUpdate = nil
            receive(pending)
        }
        for fetcher in retired { await fetcher.shutdown() }
    }

    package func run() async throws {
        let starts = self.starts
        let discovery = self.discovery
        await withDiscardingTaskGroup { group in
            group.addTask { try? await discovery.run() }
            group.addTask { [weak self] in
                for await update in discovery.updates {
                    guard let self else { return }
                    await self.receive(update)
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

    /// A discovery update: re-syncs every pool whose groups changed. Updates of an older
    /// generation than the last apply are dropped; one arriving during an apply waits for it.
    func receive(_ update: DiscoveryUpdate) {
        guard update.generation >= appliedGeneration else { return }
        if applying {
            pendingUpdate = update
            return
        }
        for job in poolOrder {
            guard var pool = pools[job], let groups = update.sets[job], groups != pool.groups else { continue }
            pool.groups = groups
            sync(&pool)
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

    /// Targets dropped per pool in all (`keep_dropped_targets` does not cap it), every pool listed.
    package func droppedTargetCounts() -> [String: Int] {
        var counts: [String: Int] = [:]
        for (job, pool) in pools { counts[job] = pool.targets.droppedCount }
        return counts
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
