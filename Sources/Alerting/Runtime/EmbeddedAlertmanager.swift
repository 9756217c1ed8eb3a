import Foundation
import Logging
import Metrics
import PharosCore
import PharosHTTPClient
import ServiceLifecycle
import Synchronization

/// The running embedded Alertmanager: alert store, silences and notification log (persisted in
/// the data folder), and a `Dispatcher` for the current alertmanager.yml. A `Service`: `run()`
/// runs the dispatchers and the garbage collection until graceful shutdown.
///
/// `apply(_:)` swaps in a new config (Alertmanager's reload: groups start afresh from the
/// stored alerts, the notification log keeps them from repeating). Without a config, alerts
/// are stored but not notified. Thread-safe.
package final class EmbeddedAlertmanager: Service, Sendable {
    package struct Configuration: Sendable {
        /// Where the state lives (`alerts`, `silences`, `nflog`, `history`, `acks`,
        /// `escalations`, `silence_notices`); nil uses JSON-lines files in `dataDirectory`, or
        /// memory without one.
        package var storage: (any AlertingStateStorage)?
        package var dataDirectory: String?
        /// Links in notifications (`externalURL`) point here.
        package var externalURL = "http://localhost:9090"
        package var clock: any AlertingClock = SystemAlertingClock()
        package var metricsFactory: any MetricsFactory = MetricsSystem.factory
        /// Builds a receiver's integrations (webhook, email, PagerDuty, Slack by default).
        package var makeIntegrations: IntegrationFactory = IntegrationFactory.standard
        /// How often resolved alerts, expired silences and old log entries are dropped.
        package var gcInterval: TimeInterval = 30 * 60
        package var retention: TimeInterval = 120 * 3600
        /// How long the alert history is kept (`--alertmanager.history-retention`).
        package var historyRetention: TimeInterval = 30 * 86_400
        /// How often escalations and silence notices are checked, at most (shorter steps are
        /// checked more often).
        package var followUpInterval: TimeInterval = 10
        package var backoff = RetryBackoff()
        package init() {}
    }

    struct Runtime: Sendable {
        var config: AlertmanagerConfig
        var dispatcher: Dispatcher
        var policies: AlertPolicies
    }

    package let configuration: Configuration
    package let alerts: AlertRegistry
    package let silences: Silences
    package let notificationLog: NotificationLog
    package let metrics: NotifierMetrics
    /// History, acks, escalation episodes and silence notices.
    package let journal: AlertJournal
    package let startTime: Date
    /// Where `alerts`, `silences`, … are kept.
    let storage: any AlertingStateStorage
    let logger: Logger
    let runtime = Mutex<Runtime?>(nil)
    private let dispatchers: AsyncStream<Dispatcher>
    private let dispatchersContinuation: AsyncStream<Dispatcher>.Continuation

    package init(configuration: Configuration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
        let storage: any AlertingStateStorage = configuration.storage
            ?? configuration.dataDirectory.map { JSONLinesStateStorage(directory: $0, logger: logger) } ?? MemoryStateStorage()
        self.storage = storage
        func store<R: Codable & Sendable>(_ name: String, _: R.Type) -> any RecordStore<R> {
            storage.recordStore(name, of: R.self)
        }
        alerts = AlertRegistry(store: store("alerts", StoredAlert.self), logger: logger)
        silences = Silences(store: store("silences", Silence.self), retention: configuration.retention, logger: logger)
        notificationLog = NotificationLog(store: store("nflog", NotificationLogEntry.self),
                                          retention: configuration.retention, logger: logger)
        journal = AlertJournal(
            history: AlertHistory(store: store("history", HistoryEntry.self), retention: configuration.historyRetention,
                                  logger: logger),
            acks: Acknowledgements(store: store("acks", AlertAck.self), logger: logger),
            escalations: Escalations(store: store("escalations", EscalationEpisode.self), logger: logger),
            silenceNotices: SilenceNoticeLog(store: store("silence_notices", SilenceNotice.self), logger: logger))
        metrics = NotifierMetrics(factory: configuration.metricsFactory)
        startTime = configuration.clock.now()
        (dispatchers, dispatchersContinuation) = AsyncStream.makeStream(bufferingPolicy: .unbounded)
    }

    /// The running config and its text (for `/api/v2/status`); nil when none is applied.
    package var currentConfig: AlertmanagerConfig? {
        runtime.withLock { $0?.config }
    }

    package var dispatcher: Dispatcher? { runtime.withLock { $0?.dispatcher } }

    /// The escalation policies, silence notices and maintenance windows in use (kept without
    /// an `alertmanager:` section too: maintenance windows also shape uptime).
    package var policies: AlertPolicies { appliedPolicies.withLock { $0 } }
    private let appliedPolicies = Mutex(AlertPolicies())

    /// Takes `config` (and Pharos' `policies` around it) into use; nil stops notifying. Throws
    /// when a receiver cannot be built (the running config then stays).
    package func apply(_ config: AlertmanagerConfig?, policies: AlertPolicies = AlertPolicies()) throws(NotifyError) {
        guard let config else {
            appliedPolicies.withLock { $0 = policies }
            let old = runtime.withLock { state -> Dispatcher? in
                defer { state = nil }
                return state?.dispatcher
            }
            old?.stop()
            return
        }
        var receivers: [String: [ReceiverIntegration]] = [:]
        for receiver in config.receivers {
            receivers[receiver.name] = try configuration.makeIntegrations.make(receiver, config)
        }
        var pipeline = NotificationPipeline(
            receivers: receivers, inhibitRules: config.inhibitRules.map(InhibitRule.init),
            timeIntervals: config.namedTimeIntervals, silences: silences, notificationLog: notificationLog,
            alerts: alerts, metrics: metrics, clock: configuration.clock, externalURL: configuration.externalURL,
            logger: logger)
        pipeline.backoff = configuration.backoff
        pipeline.journal = journal
        pipeline.maintenance = policies.maintenance
        let dispatcher = Dispatcher(root: Route(config.route), pipeline: pipeline)
        let old = runtime.withLock { state -> Dispatcher? in
            defer { state = Runtime(config: config, dispatcher: dispatcher, policies: policies) }
            return state?.dispatcher
        }
        appliedPolicies.withLock { $0 = policies }
        old?.stop()
        dispatcher.dispatch(alerts.all)
        dispatchersContinuation.yield(dispatcher)
    }

    /// Stores and dispatches `alerts` (the rule manager's and the API's entry point), stamped
    /// with the current time as `updatedAt`. Returns once they are persisted.
    package func receive(_ alerts: [AlertmanagerAlert]) {
        guard !alerts.isEmpty else { return }
        let now = configuration.clock.now()
        let stamped = alerts.map { alert -> AlertmanagerAlert in
            var alert = alert
            alert.updatedAt = now
            return alert
        }
        let stored = self.alerts.put(stamped)
        let resolved = journal.history.noteStates(of: stored, now: now)
        journal.acks.alertsResolved(resolved, now: now)
        dispatcher?.dispatch(stored)
    }

    /// Runs the dispatchers of each applied config and the garbage collection until graceful
    /// shutdown or cancellation.
    package func run() async throws {
        let clock = configuration.clock
        let interval = configuration.gcInterval
        let followUpInterval = configuration.followUpInterval
        await withDiscardingTaskGroup { tasks in
            tasks.addTask { [self] in
                while !Task.isCancelled {
                    do { try await clock.sleep(until: clock.now().addingTimeInterval(interval)) } catch { return }
                    collectGarbage()
                }
            }
            tasks.addTask { [self] in
                while !Task.isCancelled {
                    let wait = policies.followUpInterval(atMost: followUpInterval)
                    do { try await clock.sleep(until: clock.now().addingTimeInterval(wait)) } catch { return }
                    await followUp()
                }
            }
            await cancelWhenGracefulShutdown {
                await withDiscardingTaskGroup { inner in
                    for await dispatcher in self.dispatchers {
                        inner.addTask { await dispatcher.run() }
                    }
                }
            }
            tasks.cancelAll()
        }
        syncState()
    }

    /// Returns once every change so far is written to the state storage.
    package func syncState() { storage.sync() }

    /// Drops resolved alerts, expired silences past retention, old notification-log and
    /// history entries, and the bookkeeping of groups and silences that are gone.
    package func collectGarbage() {
        let now = configuration.clock.now()
        alerts.collectGarbage(now: now)
        silences.collectGarbage(now: now)
        notificationLog.collectGarbage(now: now)
        journal.history.collectGarbage(now: now)
        journal.acks.collectGarbage()
        if let dispatcher {
            journal.escalations.collectGarbage(liveGroups: Set(dispatcher.currentGroups.map(\.groupKey)))
        }
        journal.silenceNotices.collectGarbage(liveSilences: Set(silences.all.map(\.id)), now: now)
    }
}

/// Builds the integrations of one receiver.
package struct IntegrationFactory: Sendable {
    package var make: @Sendable (ReceiverConfig, AlertmanagerConfig) throws(NotifyError) -> [ReceiverIntegration]

    package init(make: @escaping @Sendable (ReceiverConfig, AlertmanagerConfig) throws(NotifyError) -> [ReceiverIntegration]) {
        self.make = make
    }

    /// Every integration Pharos sends: webhook, email, PagerDuty and Slack, rendered with the
    /// default templates and the config's `templates:` files. Integrations Pharos does not
    /// send yet (opsgenie, …) are left out with a warning naming them.
    package static let standard = IntegrationFactory { receiver, config throws(NotifyError) in
        let templates = try NotificationTemplates(globs: config.templates)
        let built = try NotifierFactory.make(for: receiver, templates: templates) { webhook, _ throws(NotifyError) in
            try makeWebhook(webhook, receiver: receiver)
        }
        for line in built.unsupported { Logger(label: "pharos.alertmanager").warning("\(line): left out") }
        var perKind: [String: Int] = [:]
        return built.notifiers.map { notifier in
            let index = perKind[notifier.integration, default: 0]
            perKind[notifier.integration] = index + 1
            let timeout = (notifier as? WebhookNotifier).map { Double($0.timeout.components.seconds) + Double($0.timeout.components.attoseconds) / 1e18 } ?? 30
            return ReceiverIntegration(notifier: notifier, index: index, attemptTimeout: timeout)
        }
    }

    private static func makeWebhook(_ config: WebhookConfig, receiver: ReceiverConfig) throws(NotifyError) -> WebhookNotifier {
        let client: PharosHTTPClient
        do {
            client = try PharosHTTPClient(config: config.httpConfig)
        } catch {
            throw NotifyError(retryable: false, "receiver \(receiver.name): webhook_configs: \(error)")
        }
        return try WebhookNotifier(config: config, client: client)
    }
}
