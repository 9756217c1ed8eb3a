import CoreMetrics
import Discovery
import Foundation
import Logging
import PharosConfig
import PharosCore
import PharosHTTPClient
import Relabel
import ServiceLifecycle
import Synchronization

/// Prometheus' notifier: sends the rule manager's alerts to the Alertmanagers of `alerting:`
/// (static or discovered, relabelled) through API v2, and to the embedded Alertmanager when
/// there is one. A `Service`.
///
/// - `send(_:)` adds external labels, runs `alert_relabel_configs`, hands the alerts to the
///   local destination at once and queues them for the remote ones (bounded; the oldest are
///   dropped when full). It never waits for the network.
/// - `run()` runs discovery and one sender: batches of 64 are POSTed to every Alertmanager of
///   every set concurrently, each with its set's timeout; a batch that reached no Alertmanager
///   is dropped and counted, as Prometheus (no retries: rules resend firing alerts anyway).
///   On graceful shutdown the queue is drained first (Prometheus 3's default).
/// - `apply(_:)` swaps the sets in (a reload); discovery keeps unchanged discoverers.
package final class AlertForwarder: Service, Sendable {
    package struct Configuration: Sendable {
        /// `--alertmanager.notification-queue-capacity`.
        package var queueCapacity = 10_000
        /// `--alertmanager.drain-notification-queue-on-shutdown`.
        package var drainOnShutdown = true
        package var userAgent = "Pharos"
        package var discovery = DiscoveryManager.Configuration(name: "notify")
        /// Where alerts go in-process (the embedded Alertmanager), after relabelling.
        package var local: (@Sendable ([ForwardedAlert]) -> Void)?

        package init() {}
    }

    /// One `alertmanagers:` entry at run time.
    final class AlertmanagerSet: Sendable {
        /// Prometheus' set name, `config-<index>`.
        let name: String
        let config: AlertmanagerSetConfig
        let client: PharosHTTPClient
        let endpoints = Mutex(AlertmanagerEndpoints())

        init(name: String, config: AlertmanagerSetConfig, client: PharosHTTPClient) {
            self.name = name
            self.config = config
            self.client = client
        }
    }

    private struct State {
        var externalLabels = Labels.empty
        var relabelConfigs: [RelabelConfig] = []
        /// In config order.
        var sets: [AlertmanagerSet] = []
        var queue: AlertQueue
        var endpointMetrics: [String: EndpointMetrics] = [:]
    }

    package let configuration: Configuration
    package let discovery: DiscoveryManager
    private let metrics: ForwardingMetrics
    private let logger: Logger
    private let state: Mutex<State>
    private let (more, moreContinuation) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))

    package init(configuration: Configuration = Configuration(), metrics: ForwardingMetrics = ForwardingMetrics(),
                 discoveryMetrics: DiscoveryMetrics = DiscoveryMetrics(), logger: Logger = Logger(label: "pharos.notifier")) {
        self.configuration = configuration
        self.metrics = metrics
        self.logger = logger
        state = Mutex(State(queue: AlertQueue(capacity: configuration.queueCapacity)))
        discovery = DiscoveryManager(configuration: configuration.discovery, logger: logger, metrics: discoveryMetrics)
        metrics.queueCapacity.record(configuration.queueCapacity)
        metrics.queueLength.record(0)
        metrics.discovered.record(0)
    }

    /// Applies `alerting:` and the external labels of `config`. A set whose HTTP client cannot
    /// be built fails the whole apply (nothing changes), as Prometheus' `ApplyConfig`.
    package func apply(_ config: PharosConfig) async throws(PharosHTTPClientError) {
        var sets: [AlertmanagerSet] = []
        var discoveryConfigs: [String: ServiceDiscoveryConfigs] = [:]
        do {
            for (index, setConfig) in config.alerting.alertmanagers.enumerated() {
                let name = "config-\(index)"
                sets.append(AlertmanagerSet(name: name, config: setConfig,
                                            client: try PharosHTTPClient(config: setConfig.httpClient, logger: logger)))
                discoveryConfigs[name] = setConfig.serviceDiscovery
            }
        } catch {
            for set in sets { await set.client.shutdown() }
            throw error
        }
        let retired = state.withLock { state -> [AlertmanagerSet] in
            state.externalLabels = config.global.externalLabels
            state.relabelConfigs = config.alerting.alertRelabelConfigs
            defer { state.sets = sets }
            return state.sets
        }
        let discovered = await discovery.apply(discoveryConfigs)
        sync(discovered)
        // An in-flight batch may still hold a retired client: let it finish first.
        Task { [logger] in
            try? await Task.sleep(for: .seconds(60))
            for set in retired { await set.client.shutdown() }
            logger.trace("retired \(retired.count) alertmanager set clients")
        }
    }

    /// Relabels `alerts`, hands them to the local destination and queues them for the remote
    /// Alertmanagers. Returns at once.
    package func send(_ alerts: [ForwardedAlert]) {
        let (relabelled, hasRemote) = state.withLock { state in
            (ForwardedAlert.relabel(alerts, externalLabels: state.externalLabels, state.relabelConfigs), !state.sets.isEmpty)
        }
        if relabelled.isEmpty { return }
        configuration.local?(relabelled)
        guard hasRemote else { return }
        let (dropped, length) = state.withLock { state in (state.queue.append(relabelled), state.queue.count) }
        if dropped > 0 {
            logger.warning("alert notification queue full, dropping alerts", metadata: ["num_dropped": "\(dropped)"])
            metrics.dropped.increment(by: dropped)
        }
        metrics.queueLength.record(length)
        moreContinuation.yield()
    }

    /// Active Alertmanager URLs (every set, in set order) and the dropped ones.
    package var alertmanagers: (active: [String], dropped: [String]) {
        let sets = state.withLock { $0.sets }
        var active: [String] = []
        var dropped: [String] = []
        for set in sets {
            let endpoints = set.endpoints.withLock { $0 }
            active += endpoints.active
            dropped += endpoints.dropped
        }
        return (active, dropped)
    }

    package var queueLength: Int { state.withLock { $0.queue.count } }

    package func run() async throws {
        let discovery = self.discovery
        await withDiscardingTaskGroup { group in
            group.addTask { try? await discovery.run() }
            group.addTask { [self] in
                for await update in discovery.updates { sync(update) }
            }
            await withGracefulShutdownHandler {
                await sendLoop()
            } onGracefulShutdown: { [moreContinuation] in
                moreContinuation.finish()
            }
            group.cancelAll()
        }
        for set in state.withLock({ $0.sets }) { await set.client.shutdown() }
    }

    /// Sends batches while the queue has any; after shutdown began, drains it (or drops it).
    private func sendLoop() async {
        for await _ in more {
            if Task.isCancelled { return }
            await sendQueued()
        }
        let left = queueLength
        if left > 0 && !configuration.drainOnShutdown {
            logger.warning("draining remaining notifications on shutdown is disabled, dropping them", metadata: ["count": "\(left)"])
            metrics.dropped.increment(by: left)
            return
        }
        await sendQueued()
    }

    /// Sends batch after batch until the queue is empty.
    private func sendQueued() async {
        while !Task.isCancelled {
            let (batch, left) = state.withLock { state in (state.queue.nextBatch(), state.queue.count) }
            if batch.isEmpty { return }
            metrics.queueLength.record(left)
            if !(await sendAll(batch)) { metrics.dropped.increment(by: batch.count) }
        }
    }

    /// POSTs `alerts` to every Alertmanager concurrently; true when at least one took them
    /// (false with no Alertmanager discovered: the batch counts as dropped, as Prometheus).
    func sendAll(_ alerts: [ForwardedAlert]) async -> Bool {
        let sets = state.withLock { $0.sets }
        let started = ContinuousClock.now
        return await withTaskGroup(of: Bool.self) { group in
            for set in sets {
                let urls = set.endpoints.withLock { $0.active }
                if urls.isEmpty { continue }
                let payloadAlerts = set.config.alertRelabelConfigs.isEmpty
                    ? alerts : ForwardedAlert.relabel(alerts, externalLabels: .empty, set.config.alertRelabelConfigs)
                if payloadAlerts.isEmpty { continue }
                let body = ForwardedAlert.postableJSON(payloadAlerts)
                for url in urls {
                    let endpoint = endpointMetrics(url)
                    group.addTask { [self] in
                        let ok = await post(body, to: url, with: set)
                        if !ok { endpoint.errors.increment() }
                        endpoint.latency.recordNanoseconds(Self.nanoseconds(since: started))
                        endpoint.sent.increment(by: payloadAlerts.count)
                        return ok
                    }
                }
            }
            var anySuccess = false
            for await ok in group where ok { anySuccess = true }
            return anySuccess
        }
    }

    private func post(_ body: [UInt8], to url: String, with set: AlertmanagerSet) async -> Bool {
        let headers = [("Content-Type", "application/json"), ("User-Agent", configuration.userAgent)]
        do {
            let response = try await set.client.post(url, body: body, headers: headers, timeout: .milliseconds(set.config.timeout.milliseconds))
            guard response.status / 100 == 2 else {
                logger.error("error sending alerts", metadata: ["alertmanager": "\(url)", "err": "bad response status \(response.statusLine)"])
                return false
            }
            return true
        } catch {
            logger.error("error sending alerts", metadata: ["alertmanager": "\(url)", "err": "\(error)"])
            return false
        }
    }

    /// Turns discovered groups into each set's Alertmanagers.
    private func sync(_ update: DiscoveryUpdate) {
        for set in state.withLock({ $0.sets }) {
            let endpoints = AlertmanagerEndpoints(config: set.config, groups: update.sets[set.name] ?? [])
            for error in endpoints.errors { logger.error("\(error)", metadata: ["alertmanager_set": "\(set.name)"]) }
            for url in endpoints.active { _ = endpointMetrics(url) }
            set.endpoints.withLock { $0 = endpoints }
        }
        metrics.discovered.record(alertmanagers.active.count)
    }

    /// The instruments of `url`, created (at 0) on first use.
    private func endpointMetrics(_ url: String) -> EndpointMetrics {
        state.withLock { state in
            if let existing = state.endpointMetrics[url] { return existing }
            let made = metrics.endpoint(url)
            state.endpointMetrics[url] = made
            return made
        }
    }

    private static func nanoseconds(since start: ContinuousClock.Instant) -> Int64 {
        let elapsed = ContinuousClock.now - start
        return elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000
    }
}
