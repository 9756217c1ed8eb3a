import Foundation
import PharosCore
import PharosHTTPClient
import Templating

/// `pagerduty_configs`, as Alertmanager 0.25's `notify/pagerduty`: Events API v2 with
/// `routing_key` (trigger/resolve, `dedup_key` = SHA-256 of the group key, summary at most
/// 1024 characters, severity "error" by default), or v1 with `service_key`
/// (`incident_key`, `event_type`). An event over 512 kB has its custom details replaced by a note.
///
/// Retries: 5xx and network failures; also 429 on v2 and 403 on v1 (PagerDuty's rate limits).
package struct PagerDutyNotifier: Notifier {
    package let config: PagerdutyConfig
    let templates: NotificationTemplates
    let poster: JSONPoster
    let retrier: HTTPRetrier

    package var integration: String { "pagerduty" }
    package var sendResolved: Bool { config.sendResolved }
    /// v1 when a service key is configured (inline or in a file).
    var isV1: Bool { !config.serviceKey.isEmpty || !config.serviceKeyFile.isEmpty }

    static let maxEventSize = 512_000
    static let maxSummaryRunes = 1024

    package init(config: PagerdutyConfig, templates: NotificationTemplates, options: NotifierOptions = NotifierOptions()) throws(NotifyError) {
        self.config = config
        self.templates = templates
        do {
            poster = JSONPoster(client: try PharosHTTPClient(config: config.httpConfig), options: options)
        } catch {
            throw NotifyError(retryable: false, "pagerduty: \(error)")
        }
        let v1 = !config.serviceKey.isEmpty || !config.serviceKeyFile.isEmpty
        retrier = HTTPRetrier(retryCodes: v1 ? [403] : [429], details: Self.errorDetails)
    }

    package func notify(_ alerts: [AlertmanagerAlert], context: NotificationContext) async throws(NotifyError) {
        let message = try await payload(alerts, context: context)
        let url = isV1 ? poster.options.pagerdutyV1URL : config.url
        let response = try await poster.post(url, Self.encode(message, v1: isV1))
        if let error = retrier.check(response) { throw error }
    }

    /// The event as a JSON object.
    func payload(_ alerts: [AlertmanagerAlert], context: NotificationContext) async throws(NotifyError) -> [String: Any] {
        let data = AlertmanagerData(alerts, context: context)
        let resolved = alerts.allSatisfy { $0.isResolved(at: context.now) }
        let eventType = resolved ? "resolve" : "trigger"
        let key = SHA256.hex(context.groupKey)
        func t(_ text: String, _ field: String) async throws(NotifyError) -> String {
            try await templates.text(text, data, field: "pagerduty_configs.\(field)")
        }
        var details: [String: String] = [:]
        for (name, text) in config.details {
            do { details[name] = try await templates.template.executeText(text, data: data) } catch {
                throw NotifyError(retryable: false, "\(goQuote(name)): failed to template \(goQuote(text)): \(error)")
            }
        }
        var message: [String: Any] = [:]
        if isV1 {
            let (description, _) = truncateInRunes(try await t(config.description, "description"), Self.maxSummaryRunes)
            let serviceKey = config.serviceKey.isEmpty
                ? try readSecretFile(config.serviceKeyFile, what: "service key") : config.serviceKey
            message.setIfNotEmpty("service_key", try await t(serviceKey, "service_key"))
            message["event_type"] = eventType
            message["incident_key"] = key
            message.setIfNotEmpty("description", description)
            message["event_action"] = ""
            message["payload"] = NSNull()
            if !details.isEmpty { message["details"] = details }
            if eventType == "trigger" {
                message.setIfNotEmpty("client", try await t(config.client, "client"))
                message.setIfNotEmpty("client_url", try await t(config.clientURL, "client_url"))
            }
            if (message["service_key"] as? String ?? "").isEmpty {
                throw NotifyError(retryable: false, "service key cannot be empty")
            }
            return message
        }
        let (summary, _) = truncateInRunes(try await t(config.description, "description"), Self.maxSummaryRunes)
        let routingKey = config.routingKey.isEmpty
            ? try readSecretFile(config.routingKeyFile, what: "routing key") : config.routingKey
        message.setIfNotEmpty("client", try await t(config.client, "client"))
        message.setIfNotEmpty("client_url", try await t(config.clientURL, "client_url"))
        message.setIfNotEmpty("routing_key", try await t(routingKey, "routing_key"))
        message["event_action"] = eventType
        message["dedup_key"] = key
        var payload: [String: Any] = [
            "summary": summary,
            "source": try await t(config.source.isEmpty ? config.client : config.source, "source"),
            "severity": try await t(config.severity.isEmpty ? "error" : config.severity, "severity"),
        ]
        payload.setIfNotEmpty("class", try await t(config.class, "class"))
        payload.setIfNotEmpty("component", try await t(config.component, "component"))
        payload.setIfNotEmpty("group", try await t(config.group, "group"))
        if !details.isEmpty { payload["custom_details"] = details }
        message["payload"] = payload
        var images: [[String: String]] = []
        for image in config.images {
            let src = try await t(image.src, "images.src")
            let alt = try await t(image.alt, "images.alt")
            let href = try await t(image.href, "images.href")
            if !src.isEmpty { images.append(["src": src, "alt": alt, "href": href]) }
        }
        if !images.isEmpty { message["images"] = images }
        var links: [[String: String]] = []
        for link in config.links {
            let href = try await t(link.href, "links.href")
            let text = try await t(link.text, "links.text")
            if !href.isEmpty { links.append(["href": href, "text": text]) }
        }
        if !links.isEmpty { message["links"] = links }
        if routingKey.isEmpty || (message["routing_key"] as? String ?? "").isEmpty {
            throw NotifyError(retryable: false, "routing key cannot be empty")
        }
        return message
    }

    /// Encodes the event; over 512 kB, the details are replaced as Alertmanager does.
    static func encode(_ message: [String: Any], v1: Bool) -> [UInt8] {
        let body = encodeJSON(message)
        if body.count <= maxEventSize { return body }
        let note = ["error": "Custom details have been removed because the original event exceeds the maximum size of 512KB"]
        var copy = message
        if v1 {
            copy["details"] = note
        } else if var payload = copy["payload"] as? [String: Any] {
            payload["custom_details"] = note
            copy["payload"] = payload
        }
        return encodeJSON(copy)
    }

    /// PagerDuty's 400 answer, `message: error1,error2`, as Alertmanager's `errDetails`.
    @Sendable static func errorDetails(_ status: Int, _ body: [UInt8]) -> String {
        guard status == 400, let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] else { return "" }
        let message = object["message"] as? String ?? ""
        let errors = object["errors"] as? [String] ?? []
        return "\(message): \(errors.joined(separator: ","))"
    }
}
