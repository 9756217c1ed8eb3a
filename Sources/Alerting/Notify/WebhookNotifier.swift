import Foundation
import PharosCore
import PharosHTTPClient

/// `webhook_configs[]` (Alertmanager's `notify/webhook`): POSTs the webhook message, version
/// "4", with at most `max_alerts` alerts (`truncatedAlerts` counts the rest). 2xx succeeds;
/// 5xx, 429 and network errors are retryable; other statuses are permanent failures.
package struct WebhookNotifier: Notifier {
    package let integration = "webhook"
    package let sendResolved: Bool
    package let url: String
    package let maxAlerts: Int
    package let timeout: Duration
    let client: PharosHTTPClient

    package init(config: WebhookConfig, client: PharosHTTPClient) throws(NotifyError) {
        sendResolved = config.sendResolved
        if let url = config.url {
            self.url = url
        } else if let file = config.urlFile,
                  let text = try? String(contentsOfFile: file, encoding: .utf8) {
            self.url = text.trimmingCharacters(in: .whitespacesAndNewlines)
        } else {
            throw NotifyError(retryable: false, "webhook: no url or readable url_file")
        }
        maxAlerts = Int(min(config.maxAlerts, UInt64(Int.max)))
        timeout = config.timeout.map { .milliseconds($0.milliseconds) } ?? .seconds(30)
        self.client = client
    }

    /// The message Alertmanager sends for `alerts` (`webhook.Message`).
    package static func message(_ alerts: [AlertmanagerAlert], context: NotificationContext, maxAlerts: Int) -> JSONOut {
        var alerts = alerts
        var truncated = 0
        if maxAlerts > 0, alerts.count > maxAlerts {
            truncated = alerts.count - maxAlerts
            alerts = Array(alerts.prefix(maxAlerts))
        }
        let data = NotificationData(alerts, context: context)
        return .object([
            ("receiver", .string(data.receiver)),
            ("status", .string(data.status)),
            ("alerts", .array(data.alerts.map { alert in
                .object([
                    ("status", .string(alert.status)),
                    ("labels", .labels(alert.labels)),
                    ("annotations", .labels(alert.annotations)),
                    ("startsAt", .string(AlertmanagerTime.goString(alert.startsAt))),
                    ("endsAt", .string(alert.endsAt.map(AlertmanagerTime.goString) ?? AlertmanagerTime.goZero)),
                    ("generatorURL", .string(alert.generatorURL)),
                    ("fingerprint", .string(alert.fingerprint)),
                ])
            })),
            ("groupLabels", .labels(data.groupLabels)),
            ("commonLabels", .labels(data.commonLabels)),
            ("commonAnnotations", .labels(data.commonAnnotations)),
            ("externalURL", .string(data.externalURL)),
            ("version", .string("4")),
            ("groupKey", .string(context.groupKey)),
            ("truncatedAlerts", .int(truncated)),
        ])
    }

    package func notify(_ alerts: [AlertmanagerAlert], context: NotificationContext) async throws(NotifyError) {
        let body = Self.message(alerts, context: context, maxAlerts: maxAlerts).bytes
        let response: HTTPFetchResponse
        do {
            response = try await client.post(url, body: body, headers: [
                ("Content-Type", "application/json"), ("User-Agent", "Alertmanager/0.25.0"),
            ], timeout: timeout)
        } catch {
            throw NotifyError(retryable: error.kind != .config && error.kind != .credentials, "\(error)")
        }
        try Self.check(status: response.status, body: response.body)
    }

    /// Alertmanager's retrier verdict for an HTTP answer.
    package static func check(status: Int, body: [UInt8]) throws(NotifyError) {
        guard !(200..<300).contains(status) else { return }
        let text = String(decoding: body.prefix(1024), as: UTF8.self)
        let message = "unexpected status code \(status)" + (text.isEmpty ? "" : ": \(text)")
        throw NotifyError(retryable: status / 100 == 5 || status == 429, message)
    }
}
