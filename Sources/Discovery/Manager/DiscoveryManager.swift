import Logging
import PharosConfig
import PharosCore
import ServiceLifecycle

/// Runs the discoverers of every target set and publishes their merged groups (Prometheus'
/// `discovery.Manager`). A `Service`; one per consumer (`scrape` now, `notify` for
/// alertmanagers later).
///
/// - `apply(_:)` may be called before or during `run()`. Discoverers whose config is unchanged
///   keep running and keep their groups; equal configs of different sets share one discoverer;
///   discoverers no set uses any more stop. It returns the groups known at once.
/// - `run()` runs the discoverers as child tasks and sends a full `DiscoveryUpdate` through
///   `updates` after every change, at most one per `updateInterval` (the first at once, as
///   Prometheus' `updatert` throttle after a quiet spell). It ends on graceful shutdown or
///   cancellation.
/// - `updates` has one consumer; it buffers only the newest update.
package actor DiscoveryManager: Service {
    /// Knobs with Prometheus' defaults.
    package struct Configuration: Sendable {
        /// The `name` label of the manager's metrics.
        package var name = "scrape"
        /// Least time between two updates (Prometheus' `updatert`, 5 s).
        package var updateInterval: Duration = .seconds(5)
        /// How often file SD checks its files.
        package var filePollInterval: Duration = .seconds(5)
        /// DNS servers for DNS SD; nil reads `/etc/resolv.conf`.
        package var dnsResolver: ResolvConf?
        package var kubernetesEnvironment = KubernetesEnvironment.process

        package init(name: String = "scrape") { self.name = name }
    }

    private struct Provider {
        let config: DiscoveryConfig
        let discoverer: any Discoverer
        let stop = StopSignal()
        var groups: ProviderGroups
    }

    package nonisolated let configuration: Configuration
    package nonisolated let updates: AsyncStream<DiscoveryUpdate>
    private let updatesContinuation: AsyncStream<DiscoveryUpdate>.Continuation
    private let clock: any DiscoveryClock
    private let logger: Logger
    private let metrics: DiscoveryMetrics
    private let makeDiscoverer: DiscovererFactory
    private var providers: [Int: Provider] = [:]
    private var nextProviderID = 0
    /// Each set's providers in config order.
    private var sets: [String: [Int]] = [:]
    private var generation = 0
    private let (starts, startContinuation) = AsyncStream<(id: Int, discoverer: any Discoverer, stop: StopSignal)>.makeStream()
    private let (triggers, triggerContinuation) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))

    package init(configuration: Configuration = Configuration(), clock: any DiscoveryClock = SystemDiscoveryClock(),
                 logger: Logger = Logger(label: "pharos.discovery"), metrics: DiscoveryMetrics = DiscoveryMetrics(),
                 makeDiscoverer: @escaping DiscovererFactory = StandardDiscoverers.factory) {
        self.configuration = configuration
        self.clock = clock
        self.logger = logger
        self.metrics = metrics
        self.makeDiscoverer = makeDiscoverer
        (updates, updatesContinuation) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(1))
        metrics.registerManager(configuration.name)
    }

    /// Applies the discovery sections of every target set (by set name). A discoverer that
    /// cannot be built is logged and counted in `prometheus_sd_failed_configs`; its set gets
    /// no targets from it.
    /// - Returns: every set's groups known now (kept discoverers' current groups and new
    ///   discoverers' `initialGroups()`), with the new generation.
    @discardableResult
    package func apply(_ configs: [String: ServiceDiscoveryConfigs]) -> DiscoveryUpdate {
        var unused = Set(providers.keys)
        var nextSets: [String: [Int]] = [:]
        var failed = 0
        for name in configs.keys.sorted() {
            var ids: [Int] = []
            for config in configs[name]!.discoveryConfigs {
                if let id = providers.first(where: { $0.value.config == config })?.key {
                    unused.remove(id)
                    if !ids.contains(id) { ids.append(id) }
                    continue
                }
                let context = DiscovererContext(
                    setName: name, logger: logger, metrics: metrics, clock: clock,
                    filePollInterval: configuration.filePollInterval, dnsResolver: configuration.dnsResolver,
                    kubernetesEnvironment: configuration.kubernetesEnvironment)
                let discoverer: any Discoverer
                do {
                    discoverer = try makeDiscoverer(config, context)
                } catch {
                    failed += 1
                    logger.error("Cannot create service discovery", metadata: [
                        "discovery.mechanism": "\(config.mechanism)", "discovery.config": "\(name)", "error": "\(error)",
                    ])
                    continue
                }
                let id = nextProviderID
                nextProviderID += 1
                let provider = Provider(config: config, discoverer: discoverer, groups: ProviderGroups(discoverer.initialGroups()))
                providers[id] = provider
                ids.append(id)
                startContinuation.yield((id, discoverer, provider.stop))
            }
            nextSets[name] = ids
        }
        for id in unused {
            providers.removeValue(forKey: id)?.stop.stop()
        }
        for name in sets.keys where nextSets[name] == nil {
            metrics.forgetSet(manager: configuration.name, set: name)
        }
        sets = nextSets
        generation += 1
        metrics.failedConfigs(manager: configuration.name, count: failed)
        triggerContinuation.yield()
        return snapshot()
    }

    /// The groups of every set now.
    package func snapshot() -> DiscoveryUpdate {
        var out: [String: [TargetGroup]] = [:]
        for (name, ids) in sets {
            out[name] = ids.flatMap { providers[$0]?.groups.all ?? [] }
        }
        return DiscoveryUpdate(generation: generation, sets: out)
    }

    package func run() async throws {
        let starts = self.starts
        await withDiscardingTaskGroup { group in
            group.addTask { await self.sendUpdates() }
            group.addTask {
                await withDiscardingTaskGroup { discoverers in
                    for await start in starts.cancelOnGracefulShutdown() {
                        discoverers.addTask { await self.runDiscoverer(start.id, start.discoverer, start.stop) }
                    }
                    discoverers.cancelAll()
                }
            }
            try? await gracefulShutdown()
            group.cancelAll()
        }
        startContinuation.finish()
        updatesContinuation.finish()
        for provider in providers.values { provider.stop.stop() }
    }

    /// Runs one discoverer until it is stopped (its config left) or the manager ends.
    private nonisolated func runDiscoverer(_ id: Int, _ discoverer: any Discoverer, _ stop: StopSignal) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                await discoverer.run(DiscoveryUpdates { groups in await self.receive(id, groups) })
                // A discoverer that returns (static) has nothing more to say; wait for the stop.
                await stop.wait()
            }
            group.addTask { await stop.wait() }
            await group.next()
            group.cancelAll()
        }
    }

    /// A batch from discoverer `id`; ignored once that discoverer was stopped.
    private func receive(_ id: Int, _ groups: [TargetGroup]) {
        metrics.receivedUpdate(manager: configuration.name)
        guard providers[id] != nil else { return }
        providers[id]?.groups.apply(groups)
        triggerContinuation.yield()
    }

    /// The sender: one update per trigger, at least `updateInterval` apart.
    private nonisolated func sendUpdates() async {
        let interval = configuration.updateInterval.nanoseconds
        var lastSent: Int64?
        for await _ in triggers {
            if let lastSent, interval > 0, clock.nowNanoseconds < lastSent + interval {
                do { try await clock.sleep(untilNanoseconds: lastSent + interval) } catch { return }
            }
            let update = await publish()
            updatesContinuation.yield(update)
            lastSent = clock.nowNanoseconds
        }
    }

    private func publish() -> DiscoveryUpdate {
        let update = snapshot()
        for (name, ids) in sets {
            let count = ids.reduce(0) { $0 + (providers[$1]?.groups.targetCount ?? 0) }
            metrics.discoveredTargets(manager: configuration.name, set: name, count: count)
        }
        metrics.sentUpdate(manager: configuration.name)
        return update
    }
}
