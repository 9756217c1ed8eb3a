import Foundation
import PharosCore
import PharosHTTPClient
import Templating

/// `discord_configs`, as Alertmanager 0.25's `notify/discord`: one webhook POST with empty
/// `content` and one embed — the rendered title and message, colour red while firing, green
/// when resolved.
///
/// Retries: 5xx and network failures only. Messages never show the webhook URL (a secret).
package struct DiscordNotifier: Notifier {
    package let config: DiscordConfig
    let templates: NotificationTemplates
    let poster: JSONPoster
    let retrier = HTTPRetrier(retryCodes: [])

    package var integration: String { "discord" }
    package var sendResolved: Bool { config.sendResolved }

    static let colorRed = 0x992D22
    static let colorGreen = 0x2ECC71

    package init(config: DiscordConfig, templates: NotificationTemplates, options: NotifierOptions = NotifierOptions()) throws(NotifyError) {
        self.config = config
        self.templates = templates
        poster = try JSONPoster.make(config.httpConfig, options: options, integration: "discord")
    }

    package func notify(_ alerts: [AlertmanagerAlert], context: NotificationContext) async throws(NotifyError) {
        let url = config.webhookURL.isEmpty ? try readSecretFile(config.webhookURLFile, what: "webhook URL") : config.webhookURL
        let body = try await payload(alerts, context: context)
        let response = try await poster.post(url, body.bytes + [0x0a], redact: true)
        if let error = retrier.check(response) { throw error }
    }

    func payload(_ alerts: [AlertmanagerAlert], context: NotificationContext) async throws(NotifyError) -> JSONOut {
        let data = AlertmanagerData(alerts, context: context)
        let title = try await templates.text(config.title, data, field: "discord_configs.title")
        let description = try await templates.text(config.message, data, field: "discord_configs.message")
        let resolved = alerts.allSatisfy { $0.isResolved(at: context.now) }
        return .object([
            ("content", .string("")),
            ("embeds", .array([.object([
                ("title", .string(title)), ("description", .string(description)),
                ("color", .int(resolved ? Self.colorGreen : Self.colorRed)),
            ])])),
        ])
    }
}
