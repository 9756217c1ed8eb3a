import Foundation
import PharosCore
import PharosHTTPClient
import Synchronization
import Templating

/// `wechat_configs`, as Alertmanager 0.25's `notify/wechat`: an access token from
/// `GET {api_url}gettoken?corpid=…&corpsecret=…`, kept for two hours (by the notification's
/// `now`), then `POST {api_url}message/send?access_token=…` with touser, toparty, totag,
/// agentid (each left out when empty), `safe` "0", `msgtype`, and the message under `text`
/// or `markdown` (both objects are always present, as Go writes them).
///
/// Failures: a token answer without a token, or one that is not JSON, is permanent; a
/// non-200 send, an answer that is not JSON and code 42001 (token expired; the token is
/// dropped) are retryable; any other non-zero code is permanent.
package struct WeChatNotifier: Notifier {
    package let config: WechatConfig
    let templates: NotificationTemplates
    let poster: JSONPoster
    let token = TokenCache()

    package var integration: String { "wechat" }
    package var sendResolved: Bool { config.sendResolved }

    static let tokenLifetime: TimeInterval = 2 * 3600

    /// The access token shared by the notifications of one config; thread-safe.
    final class TokenCache: Sendable {
        private let state = Mutex<(token: String, fetchedAt: Date)?>(nil)

        func valid(at now: Date) -> String? {
            state.withLock { state in
                guard let state, !state.token.isEmpty, now.timeIntervalSince(state.fetchedAt) <= WeChatNotifier.tokenLifetime else { return nil }
                return state.token
            }
        }

        func store(_ token: String, at now: Date) { state.withLock { $0 = (token, now) } }
        func drop() { state.withLock { $0 = nil } }
    }

    package init(config: WechatConfig, templates: NotificationTemplates, options: NotifierOptions = NotifierOptions()) throws(NotifyError) {
        self.config = config
        self.templates = templates
        poster = try JSONPoster.make(config.httpConfig, options: options, integration: "wechat")
    }

    package func notify(_ alerts: [AlertmanagerAlert], context: NotificationContext) async throws(NotifyError) {
        let data = AlertmanagerData(alerts, context: context)
        guard let base = GoURL(config.apiURL) else { throw NotifyError(retryable: false, "wechat: cannot parse api_url") }
        let accessToken = try await self.accessToken(base, data: data, now: context.now)
        let body = try await payload(data)
        let url = base.appendingPath("message/send").settingQuery("access_token", accessToken)
        let response = try await poster.post(url.string, body.bytes + [0x0a], redact: true)
        guard response.status == 200 else { throw NotifyError(retryable: true, "unexpected status code \(response.status)") }
        guard let answer = try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any] else {
            throw NotifyError(retryable: true, "wechat: cannot parse the answer: \(String(decoding: response.body.prefix(256), as: UTF8.self))")
        }
        let code = answer["code"] as? Int ?? 0
        if code == 0 { return }
        let message = answer["error"] as? String ?? ""
        if code == 42001 {
            token.drop()
            throw NotifyError(retryable: true, message)
        }
        throw NotifyError(retryable: false, message)
    }

    /// The cached token, or a new one from `gettoken`.
    func accessToken(_ base: GoURL, data: AlertmanagerData, now: Date) async throws(NotifyError) -> String {
        if let cached = token.valid(at: now) { return cached }
        var url = base.appendingPath("gettoken")
        url.rawQuery = GoURL.formEncode([
            ("corpsecret", try await templates.text(config.apiSecret, data, field: "wechat_configs.api_secret")),
            ("corpid", try await templates.text(config.corpID, data, field: "wechat_configs.corp_id")),
        ])
        let response = try await poster.send("GET", url.string, body: nil, contentType: nil, redact: true)
        guard let answer = try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any] else {
            throw NotifyError(retryable: false, "wechat: cannot parse the token answer (status \(response.status))")
        }
        guard let accessToken = answer["access_token"] as? String, !accessToken.isEmpty else {
            throw NotifyError(retryable: false, "invalid APISecret for CorpID: \(config.corpID)")
        }
        token.store(accessToken, at: now)
        return accessToken
    }

    /// The message object, fields in Alertmanager's order.
    func payload(_ data: AlertmanagerData) async throws(NotifyError) -> JSONOut {
        func t(_ text: String, _ field: String) async throws(NotifyError) -> String {
            try await templates.text(text, data, field: "wechat_configs.\(field)")
        }
        let recipients = [("touser", try await t(config.toUser, "to_user")), ("toparty", try await t(config.toParty, "to_party")),
                          ("totag", try await t(config.toTag, "to_tag")), ("agentid", try await t(config.agentID, "agent_id"))]
        let message = try await t(config.message, "message")
        let markdown = config.messageType == "markdown"
        var fields: [(String, JSONOut)] = [("text", .object([("content", .string(markdown ? "" : message))]))]
        for (key, value) in recipients where !value.isEmpty { fields.append((key, .string(value))) }
        fields += [("safe", .string("0")), ("msgtype", .string(config.messageType)),
                   ("markdown", .object([("content", .string(markdown ? message : ""))]))]
        return .object(fields)
    }
}
