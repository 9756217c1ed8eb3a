import Foundation
import PharosCore
import PharosHTTPClient
import Templating

/// `pushover_configs`, as Alertmanager 0.25's `notify/pushover`: one POST to the messages API
/// (`NotifierOptions.pushoverURL`) with every parameter in the query string and no body
/// (`Content-Type: text/plain`): token, user, title (at most 250 characters), message (at most
/// 1024, trimmed, "(no details)" when empty; HTML-escaped and `html=1` with `html: true`),
/// url (at most 512), url_title, priority, retry and expire in whole seconds, sound.
///
/// Retries: 5xx and network failures only. Messages never show the URL (it holds the token).
package struct PushoverNotifier: Notifier {
    package let config: PushoverConfig
    let templates: NotificationTemplates
    let poster: JSONPoster
    let retrier = HTTPRetrier(retryCodes: [])

    package var integration: String { "pushover" }
    package var sendResolved: Bool { config.sendResolved }

    static let maxTitleRunes = 250
    static let maxMessageRunes = 1024
    static let maxURLRunes = 512

    package init(config: PushoverConfig, templates: NotificationTemplates, options: NotifierOptions = NotifierOptions()) throws(NotifyError) {
        self.config = config
        self.templates = templates
        poster = try JSONPoster.make(config.httpConfig, options: options, integration: "pushover")
    }

    package func notify(_ alerts: [AlertmanagerAlert], context: NotificationContext) async throws(NotifyError) {
        let url = try await self.url(alerts, context: context)
        let response = try await poster.send("POST", url, body: nil, contentType: "text/plain", redact: true)
        if let error = retrier.check(response) { throw error }
    }

    /// The request URL: the API URL with the notification's parameters as its query.
    func url(_ alerts: [AlertmanagerAlert], context: NotificationContext) async throws(NotifyError) -> String {
        let parameters = try await self.parameters(alerts, context: context)
        guard var url = GoURL(poster.options.pushoverURL) else {
            throw NotifyError(retryable: false, "pushover: cannot parse the API URL")
        }
        url.rawQuery = GoURL.formEncode(parameters)
        return url.string
    }

    /// The parameters Alertmanager adds, in its order (the query sorts them by name).
    func parameters(_ alerts: [AlertmanagerAlert], context: NotificationContext) async throws(NotifyError) -> [(String, String)] {
        let data = AlertmanagerData(alerts, context: context)
        func t(_ text: String, _ field: String) async throws(NotifyError) -> String {
            try await templates.text(text, data, field: "pushover_configs.\(field)")
        }
        let token = config.token.isEmpty ? try readSecretFile(config.tokenFile, what: "token") : config.token
        let userKey = config.userKey.isEmpty ? try readSecretFile(config.userKeyFile, what: "user key") : config.userKey
        var out: [(String, String)] = [("token", try await t(token, "token")), ("user", try await t(userKey, "user_key"))]
        out.append(("title", truncateInRunes(try await t(config.title, "title"), Self.maxTitleRunes).0))
        var message: String
        if config.html {
            out.append(("html", "1"))
            message = try await templates.html(config.message, data, field: "pushover_configs.message")
        } else {
            message = try await t(config.message, "message")
        }
        message = truncateInRunes(message, Self.maxMessageRunes).0.trimmingCharacters(in: .whitespacesAndNewlines)
        out.append(("message", message.isEmpty ? "(no details)" : message))
        out.append(("url", truncateInRunes(try await t(config.url, "url"), Self.maxURLRunes).0))
        out.append(("url_title", try await t(config.urlTitle, "url_title")))
        out.append(("priority", try await t(config.priority, "priority")))
        out.append(("retry", String(config.retry / 1_000_000_000)))
        out.append(("expire", String(config.expire / 1_000_000_000)))
        out.append(("sound", try await t(config.sound, "sound")))
        return out
    }
}
