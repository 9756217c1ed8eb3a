import AlertForwarding
import Alerting
import AlertingState
import Discovery
import Foundation
import Logging
import PharosConfig
import PharosHTTP
import ServiceLifecycle

extension PharosServer {
    /// The embedded Alertmanager: its state in the data folder, metrics through the server's
    /// factory, links to this server. Always there, so that a reload can add `alertmanager:`;
    /// without that section it stores nothing new and notifies no one.
    static func makeAlertmanager(config: PharosConfig, options: ServerOptions, metrics: ServerMetrics,
                                 logger: Logger) throws(ServerError) -> EmbeddedAlertmanager {
        var configuration = EmbeddedAlertmanager.Configuration()
        configuration.dataDirectory = options.storagePath
        do {
            try FileManager.default.createDirectory(atPath: options.storagePath, withIntermediateDirectories: true)
            configuration.storage = try SQLiteStateStorage(path: options.storagePath + "/alertmanager.sqlite",
                                                           importingFrom: options.storagePath, logger: logger)
        } catch {
            throw ServerError(.startup, options.storagePath + "/alertmanager.sqlite", "cannot open the Alertmanager state database: \(error)")
        }
        configuration.externalURL = options.externalURL ?? "http://\(ProcessInfo.processInfo.hostName):\(options.listenPort)"
        configuration.metricsFactory = metrics.makeFactory()
        configuration.historyRetention = options.alertHistoryRetention
        let alertmanager = EmbeddedAlertmanager(configuration: configuration, logger: logger)
        try applyAlertmanager(config, to: alertmanager)
        return alertmanager
    }

    /// Loads and applies the `alertmanager:` section (a reload step; nil section stops notifying).
    static func applyAlertmanager(_ config: PharosConfig, to alertmanager: EmbeddedAlertmanager) throws(ServerError) {
        let amConfig: AlertmanagerConfig?
        do {
            amConfig = try AlertmanagerConfig.from(config)
        } catch {
            throw ServerError(.config, "", "alertmanager: \(error)")
        }
        let policies: AlertPolicies
        do {
            policies = try AlertPolicies.from(config, alertmanager: amConfig)
        } catch {
            throw ServerError(.config, "", "\(error)")
        }
        do {
            try alertmanager.apply(amConfig, policies: policies)
        } catch {
            throw ServerError(.config, "", "alertmanager: \(error)")
        }
    }

    /// The v2 API and Pharos' alert routes over `alertmanager`.
    static func alertmanagerRoutes(_ alertmanager: EmbeddedAlertmanager) -> AlertmanagerRoutes {
        let api = AlertmanagerAPI(alertmanager: alertmanager)
        let pharos = PharosAlertsAPI(alertmanager: alertmanager)
        return AlertmanagerRoutes { call in
            let pharosOperation: PharosAlertsAPI.Operation? = switch call.operation {
            case "getAcks": .getAcks
            case "postAck": .postAck
            case "deleteAck": .deleteAck(call.id)
            case "getHistory": .getHistory
            case "getMaintenance": .getMaintenance
            default: nil
            }
            if let pharosOperation {
                let response = pharos.handle(pharosOperation, query: call.query, body: call.body)
                return (response.status, response.body)
            }
            let operation: AlertmanagerAPIRequest.Operation
            switch call.operation {
            case "getAlerts": operation = .getAlerts
            case "postAlerts": operation = .postAlerts
            case "getAlertGroups": operation = .getAlertGroups
            case "getSilences": operation = .getSilences
            case "postSilences": operation = .postSilences
            case "getSilence": operation = .getSilence(call.id)
            case "deleteSilence": operation = .deleteSilence(call.id)
            case "getStatus": operation = .getStatus
            default: operation = .getReceivers
            }
            let response = await api.handle(AlertmanagerAPIRequest(operation: operation, query: call.query, body: call.body))
            return (response.status, response.body)
        }
    }
}

extension PharosServer {
    /// Prometheus' notifier over `alerting:`, delivering to `alertmanager` (when embedded) too.
    static func makeForwarder(alertmanager: EmbeddedAlertmanager, options: ServerOptions, metrics: ServerMetrics,
                              logger: Logger) -> AlertForwarder {
        var configuration = AlertForwarder.Configuration()
        configuration.queueCapacity = options.notificationQueueCapacity
        configuration.userAgent = "Pharos/\(PharosServer.version)"
        configuration.local = { alerts in
            // The embedded Alertmanager is a destination only while `alertmanager:` is configured.
            guard alertmanager.currentConfig != nil else { return }
            let now = Date()
            alertmanager.receive(alerts.map { $0.alertmanagerAlert(receivedAt: now) })
        }
        return AlertForwarder(configuration: configuration, metrics: ForwardingMetrics(factory: metrics.makeFactory()),
                              discoveryMetrics: DiscoveryMetrics(factory: metrics.makeFactory()), logger: logger)
    }

    /// Applies `alerting:` (a reload step).
    static func applyNotifier(_ config: PharosConfig, to forwarder: AlertForwarder) async throws(ServerError) {
        do {
            try await forwarder.apply(config)
        } catch {
            throw ServerError(.config, "", "error applying alerting config: \(error)")
        }
    }
}

/// Applies the start-up config to the notifier, then runs it. A config whose Alertmanager
/// clients cannot be built is logged; the notifier runs without those Alertmanagers until a
/// reload fixes it.
struct NotifierService: Service {
    let forwarder: AlertForwarder
    let initialConfig: PharosConfig
    let logger: Logger

    func run() async throws {
        do {
            try await forwarder.apply(initialConfig)
        } catch {
            logger.error("error applying alerting config", metadata: ["err": "\(error)"])
        }
        try await forwarder.run()
    }
}
