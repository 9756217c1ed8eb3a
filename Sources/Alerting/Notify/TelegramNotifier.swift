import Foundation
import PharosCore
import PharosHTTPClient
import Templating

/// `telegram_configs`, as Alertmanager 0.25's `notify/telegram` (through telebot v3): one
/// `POST {api_url}/bot{token}/sendMessage` with a JSON object of strings — `chat_id`, `text`
/// (at most 4096 characters; HTML-escaped when `parse_mode` is HTML), `parse_mode` unless
/// empty, `disable_web_page_preview` "true", `disable_notification` "true" when configured.
///
/// Telegram's answer decides, not the status: `{"ok":true,"result":{…}}` succeeds; anything
/// else (`ok: false`, a body that is not Bot API JSON, a network failure) is a retryable
/// failure, as Alertmanager retries every Telegram error.
package struct TelegramNotifier: Notifier {
    package let config: TelegramConfig
    let templates: NotificationTemplates
    let poster: JSONPoster

    package var integration: String { "telegram" }
    package var sendResolved: Bool { config.sendResolved }

    static let maxMessageRunes = 4096

    package init(config: TelegramConfig, templates: NotificationTemplates, options: NotifierOptions = NotifierOptions()) throws(NotifyError) {
        self.config = config
        self.templates = templates
        poster = try JSONPoster.make(config.httpConfig, options: options, integration: "telegram")
    }

    package func notify(_ alerts: [AlertmanagerAlert], context: NotificationContext) async throws(NotifyError) {
        let token = config.botToken.isEmpty ? try readSecretFile(config.botTokenFile, what: "bot token") : config.botToken
        let body = try await payload(alerts, context: context)
        let response = try await poster.post(config.apiURL + "/bot" + token + "/sendMessage", body.bytes + [0x0a], redact: true)
        if let error = Self.check(response.body) { throw error }
    }

    /// The `sendMessage` parameters, as telebot sends them (all strings, keys sorted).
    func payload(_ alerts: [AlertmanagerAlert], context: NotificationContext) async throws(NotifyError) -> JSONOut {
        let data = AlertmanagerData(alerts, context: context)
        let text = config.parseMode == "HTML"
            ? try await templates.html(config.message, data, field: "telegram_configs.message")
            : try await templates.text(config.message, data, field: "telegram_configs.message")
        var parameters = ["chat_id": String(config.chatID), "text": truncateInRunes(text, Self.maxMessageRunes).0,
                          "disable_web_page_preview": "true"]
        if !config.parseMode.isEmpty { parameters["parse_mode"] = config.parseMode }
        if config.disableNotifications { parameters["disable_notification"] = "true" }
        return jsonStringMap(parameters)
    }

    /// Telebot's reading of a Bot API answer: nil when it carries a sent message.
    static func check(_ body: [UInt8]) -> NotifyError? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] else {
            return NotifyError(retryable: true, "telegram: cannot parse the answer: \(String(decoding: body.prefix(256), as: UTF8.self))")
        }
        if object["ok"] as? Bool != true {
            let description = object["description"] as? String ?? ""
            let code = object["error_code"] as? Int ?? 0
            return NotifyError(retryable: true, "telegram: \(description) (\(code))")
        }
        if let result = object["result"], !(result is [String: Any]) {
            return NotifyError(retryable: true, "telegram: the answer has no message")
        }
        return nil
    }
}
