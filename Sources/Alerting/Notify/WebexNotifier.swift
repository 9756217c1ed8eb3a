import Foundation
import PharosCore
import PharosHTTPClient
import Templating

/// `webex_configs`, as Alertmanager 0.25's `notify/webex`: one POST to `api_url` with the
/// rendered message as `markdown` (at most 7439 bytes) and `roomId`; the bot token travels in
/// the `http_config.authorization` the config requires.
///
/// Retries: 5xx and network failures only.
package struct WebexNotifier: Notifier {
    package let config: WebexConfig
    let templates: NotificationTemplates
    let poster: JSONPoster
    let retrier = HTTPRetrier(retryCodes: [])

    package var integration: String { "webex" }
    package var sendResolved: Bool { config.sendResolved }

    static let maxMessageBytes = 7439

    package init(config: WebexConfig, templates: NotificationTemplates, options: NotifierOptions = NotifierOptions()) throws(NotifyError) {
        self.config = config
        self.templates = templates
        poster = try JSONPoster.make(config.httpConfig, options: options, integration: "webex")
    }

    package func notify(_ alerts: [AlertmanagerAlert], context: NotificationContext) async throws(NotifyError) {
        let body = try await payload(alerts, context: context)
        let response = try await poster.post(config.apiURL, body.bytes + [0x0a])
        if let error = retrier.check(response) { throw error }
    }

    func payload(_ alerts: [AlertmanagerAlert], context: NotificationContext) async throws(NotifyError) -> JSONOut {
        let data = AlertmanagerData(alerts, context: context)
        let message = try await templates.text(config.message, data, field: "webex_configs.message")
        var fields: [(String, JSONOut)] = [("markdown", .string(truncateInBytes(message, Self.maxMessageBytes).0))]
        if !config.roomID.isEmpty { fields.append(("roomId", .string(config.roomID))) }
        return .object(fields)
    }
}
