import Alerting
import Foundation
import Logging
import PharosConfig
import PharosHTTP

extension PharosServer {
    /// The embedded Alertmanager for `config`'s `alertmanager:` section (nil when absent): its
    /// state in the data folder, metrics through the server's factory, links to this server.
    static func makeAlertmanager(config: PharosConfig, options: ServerOptions, metrics: ServerMetrics,
                                 logger: Logger) throws(ServerError) -> EmbeddedAlertmanager? {
        guard config.cursor(for: "alertmanager") != nil else { return nil }
        var configuration = EmbeddedAlertmanager.Configuration()
        configuration.dataDirectory = options.storagePath
        configuration.externalURL = options.externalURL ?? "http://\(ProcessInfo.processInfo.hostName):\(options.listenPort)"
        configuration.metricsFactory = metrics.makeFactory()
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
        var yaml = ""
        if let amConfig, !amConfig.file.isEmpty, let text = try? String(contentsOfFile: amConfig.file, encoding: .utf8) {
            yaml = text
        }
        do {
            try alertmanager.apply(amConfig, yaml: yaml)
        } catch {
            throw ServerError(.config, "", "alertmanager: \(error)")
        }
    }

    /// The v2 API routes over `alertmanager`.
    static func alertmanagerRoutes(_ alertmanager: EmbeddedAlertmanager) -> AlertmanagerRoutes {
        let api = AlertmanagerAPI(alertmanager: alertmanager)
        return AlertmanagerRoutes { call in
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
