import Foundation
import PharosCore
import PharosHTTPClient
import Templating

/// `slack_configs`: one incoming-webhook message per notification, as Alertmanager 0.25's
/// `notify/slack`: one attachment with the templated title (at most 1024 characters), link,
/// pretext, text, fallback, fields and actions; `mrkdwn_in` defaults to fallback, pretext and text.
///
/// Retries: 5xx, 429 and network failures are retryable; other statuses are not. (Alertmanager
/// 0.25 does not retry Slack's 429; Pharos does, since Slack answers 429 when rate limiting.)
package struct SlackNotifier: Notifier {
    package let config: SlackConfig
    let templates: NotificationTemplates
    let poster: JSONPoster
    let retrier = HTTPRetrier(retryCodes: [429])

    package var integration: String { "slack" }
    package var sendResolved: Bool { config.sendResolved }

    static let maxTitleRunes = 1024

    package init(config: SlackConfig, templates: NotificationTemplates, options: NotifierOptions = NotifierOptions()) throws(NotifyError) {
        self.config = config
        self.templates = templates
        do {
            poster = JSONPoster(client: try PharosHTTPClient(config: config.httpConfig), options: options)
        } catch {
            throw NotifyError(retryable: false, "slack: \(error)")
        }
    }

    package func notify(_ alerts: [AlertmanagerAlert], context: NotificationContext) async throws(NotifyError) {
        let body = try await payload(alerts, context: context)
        let url: String
        if let apiURL = config.apiURL {
            url = apiURL
        } else {
            url = try readSecretFile(config.apiURLFile, what: "api_url")
        }
        let channel = body["channel"] as? String ?? ""
        let response = try await poster.post(url, encodeJSON(body), redact: true)
        if let error = retrier.check(response) {
            throw NotifyError(retryable: error.retryable, "channel \(goQuote(channel)): \(error.message)")
        }
    }

    /// The message as a JSON object (Go's `omitempty` fields left out when empty).
    func payload(_ alerts: [AlertmanagerAlert], context: NotificationContext) async throws(NotifyError) -> [String: Any] {
        let data = AlertmanagerData(alerts, context: context)
        func t(_ text: String, _ field: String) async throws(NotifyError) -> String {
            try await templates.text(text, data, field: "slack_configs.\(field)")
        }
        var attachment: [String: Any] = [:]
        let (title, _) = truncateInRunes(try await t(config.title, "title"), Self.maxTitleRunes)
        attachment.setIfNotEmpty("title", title)
        attachment.setIfNotEmpty("title_link", try await t(config.titleLink, "title_link"))
        attachment.setIfNotEmpty("pretext", try await t(config.pretext, "pretext"))
        attachment["text"] = try await t(config.text, "text")
        attachment["fallback"] = try await t(config.fallback, "fallback")
        attachment["callback_id"] = try await t(config.callbackID, "callback_id")
        attachment.setIfNotEmpty("image_url", try await t(config.imageURL, "image_url"))
        attachment.setIfNotEmpty("thumb_url", try await t(config.thumbURL, "thumb_url"))
        attachment["footer"] = try await t(config.footer, "footer")
        attachment.setIfNotEmpty("color", try await t(config.color, "color"))
        attachment["mrkdwn_in"] = config.mrkdwnIn.isEmpty ? ["fallback", "pretext", "text"] : config.mrkdwnIn
        if !config.fields.isEmpty {
            var fields: [[String: Any]] = []
            for field in config.fields {
                var f: [String: Any] = [:]
                f.setIfNotEmpty("title", try await t(field.title, "fields.title"))
                f.setIfNotEmpty("value", try await t(field.value, "fields.value"))
                f["short"] = field.short ?? config.shortFields
                fields.append(f)
            }
            attachment["fields"] = fields
        }
        if !config.actions.isEmpty {
            var actions: [[String: Any]] = []
            for action in config.actions {
                var a: [String: Any] = [:]
                a.setIfNotEmpty("type", try await t(action.type, "actions.type"))
                a.setIfNotEmpty("text", try await t(action.text, "actions.text"))
                a.setIfNotEmpty("url", try await t(action.url, "actions.url"))
                a.setIfNotEmpty("style", try await t(action.style, "actions.style"))
                a.setIfNotEmpty("name", try await t(action.name, "actions.name"))
                a.setIfNotEmpty("value", try await t(action.value, "actions.value"))
                if let confirm = action.confirm {
                    var c: [String: Any] = [:]
                    c.setIfNotEmpty("text", try await t(confirm.text, "actions.confirm.text"))
                    c.setIfNotEmpty("title", try await t(confirm.title, "actions.confirm.title"))
                    c.setIfNotEmpty("ok_text", try await t(confirm.okText, "actions.confirm.ok_text"))
                    c.setIfNotEmpty("dismiss_text", try await t(confirm.dismissText, "actions.confirm.dismiss_text"))
                    a["confirm"] = c
                }
                actions.append(a)
            }
            attachment["actions"] = actions
        }
        var message: [String: Any] = ["attachments": [attachment]]
        message.setIfNotEmpty("channel", try await t(config.channel, "channel"))
        message.setIfNotEmpty("username", try await t(config.username, "username"))
        message.setIfNotEmpty("icon_emoji", try await t(config.iconEmoji, "icon_emoji"))
        message.setIfNotEmpty("icon_url", try await t(config.iconURL, "icon_url"))
        if config.linkNames { message["link_names"] = true }
        return message
    }
}

extension Dictionary where Key == String, Value == Any {
    /// Go's `omitempty` for strings.
    mutating func setIfNotEmpty(_ key: String, _ value: String) {
        if !value.isEmpty { self[key] = value }
    }
}
