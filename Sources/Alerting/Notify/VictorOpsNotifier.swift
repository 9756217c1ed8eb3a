import Foundation
import PharosCore
import PharosHTTPClient
import Templating

/// `victorops_configs`, as Alertmanager 0.25's `notify/victorops`: one JSON object POSTed to
/// `{api_url}{api_key}/{routing_key}` with `message_type` (the configured one while firing,
/// CRITICAL unless it is INFO, WARNING or CRITICAL; RECOVERY when resolved), `entity_id` =
/// SHA-256 of the group key, `state_message` at most 20480 characters, and the custom fields.
///
/// Retries: 5xx and network failures only (VictorOps documents no rate-limit status).
package struct VictorOpsNotifier: Notifier {
    package let config: VictorOpsConfig
    let templates: NotificationTemplates
    let poster: JSONPoster
    let retrier = HTTPRetrier(retryCodes: [])

    package var integration: String { "victorops" }
    package var sendResolved: Bool { config.sendResolved }

    static let maxStateMessageRunes = 20480

    package init(config: VictorOpsConfig, templates: NotificationTemplates, options: NotifierOptions = NotifierOptions()) throws(NotifyError) {
        self.config = config
        self.templates = templates
        poster = try JSONPoster.make(config.httpConfig, options: options, integration: "victorops")
    }

    package func notify(_ alerts: [AlertmanagerAlert], context: NotificationContext) async throws(NotifyError) {
        let (url, body) = try await request(alerts, context: context)
        let response = try await poster.post(url, body.bytes + [0x0a], redact: true)
        if let error = retrier.check(response) { throw error }
    }

    /// The URL (it holds the API key) and the payload of one notification.
    func request(_ alerts: [AlertmanagerAlert], context: NotificationContext) async throws(NotifyError) -> (String, JSONOut) {
        let data = AlertmanagerData(alerts, context: context)
        func t(_ text: String, _ field: String) async throws(NotifyError) -> String {
            try await templates.text(text, data, field: "victorops_configs.\(field)")
        }
        let apiKey = config.apiKey.isEmpty ? try readSecretFile(config.apiKeyFile, what: "API key") : config.apiKey
        guard let base = GoURL(config.apiURL) else {
            throw NotifyError(retryable: false, "victorops: cannot parse api_url")
        }
        let url = base.appendingPath("\(apiKey)/\(try await t(config.routingKey, "routing_key"))")
        var messageType = try await t(config.messageType, "message_type")
        if alerts.allSatisfy({ $0.isResolved(at: context.now) }) {
            messageType = "RECOVERY"
        } else if !["INFO", "WARNING", "CRITICAL"].contains(messageType) {
            messageType = "CRITICAL"
        }
        let (stateMessage, _) = truncateInRunes(try await t(config.stateMessage, "state_message"), Self.maxStateMessageRunes)
        var fields: [String: String] = [
            "message_type": messageType,
            "entity_id": SHA256.hex(context.groupKey),
            "entity_display_name": try await t(config.entityDisplayName, "entity_display_name"),
            "state_message": stateMessage,
            "monitoring_tool": try await t(config.monitoringTool, "monitoring_tool"),
        ]
        for (name, text) in config.customFields { fields[name] = try await t(text, "custom_fields.\(name)") }
        return (url.string, jsonStringMap(fields))
    }
}
