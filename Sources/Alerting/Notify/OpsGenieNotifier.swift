import Foundation
import PharosCore
import PharosHTTPClient
import Templating

/// `opsgenie_configs`, as Alertmanager 0.25's `notify/opsgenie`: a firing group creates the
/// alert (`POST {api_url}v2/alerts`, alias = SHA-256 of the group key, message at most 130
/// characters, details = common labels overlaid by the configured details); with
/// `update_alerts` it also PUTs the message and the description; a resolved group closes it
/// (`POST {api_url}v2/alerts/{alias}/close?identifierType=alias`). Every request carries
/// `Authorization: GenieKey <api key>`.
///
/// Retries: 5xx, 429 and network failures; the requests stop at the first failure.
package struct OpsGenieNotifier: Notifier {
    package let config: OpsGenieConfig
    let templates: NotificationTemplates
    let poster: JSONPoster
    let retrier = HTTPRetrier(retryCodes: [429])

    package var integration: String { "opsgenie" }
    package var sendResolved: Bool { config.sendResolved }

    static let maxMessageRunes = 130

    /// One HTTP request of a notification.
    struct Request: Sendable, Equatable {
        var method: String
        var url: String
        var body: JSONOut
    }

    package init(config: OpsGenieConfig, templates: NotificationTemplates, options: NotifierOptions = NotifierOptions()) throws(NotifyError) {
        self.config = config
        self.templates = templates
        poster = try JSONPoster.make(config.httpConfig, options: options, integration: "opsgenie")
    }

    package func notify(_ alerts: [AlertmanagerAlert], context: NotificationContext) async throws(NotifyError) {
        let (requests, apiKey) = try await self.requests(alerts, context: context)
        for request in requests {
            let response = try await poster.send(request.method, request.url, body: request.body.bytes + [0x0a],
                                                 contentType: "application/json",
                                                 headers: [("Authorization", "GenieKey \(apiKey)")])
            if let error = retrier.check(response) { throw error }
        }
    }

    /// The requests of one notification, in order, and the rendered API key.
    func requests(_ alerts: [AlertmanagerAlert], context: NotificationContext) async throws(NotifyError) -> ([Request], String) {
        let data = AlertmanagerData(alerts, context: context)
        func t(_ text: String, _ field: String) async throws(NotifyError) -> String {
            try await templates.text(text, data, field: "opsgenie_configs.\(field)")
        }
        guard let base = GoURL(config.apiURL) else {
            throw NotifyError(retryable: false, "opsgenie: cannot parse api_url \(goQuote(config.apiURL))")
        }
        let alias = SHA256.hex(context.groupKey)
        var requests: [Request] = []
        if alerts.allSatisfy({ $0.isResolved(at: context.now) }) {
            let url = base.appendingPath("v2/alerts/\(alias)/close").settingQuery("identifierType", "alias")
            requests.append(Request(method: "POST", url: url.string, body: .object([("source", .string(try await t(config.source, "source")))])))
        } else {
            var details = AlertmanagerData.dictionary(NotificationData.common(alerts.map(\.labels)))
            for (name, text) in config.details { details[name] = try await t(text, "details.\(name)") }
            let (message, _) = truncateInRunes(try await t(config.message, "message"), Self.maxMessageRunes)
            let description = try await t(config.description, "description")
            var create: [(String, JSONOut)] = [
                ("alias", .string(alias)), ("message", .string(message)),
            ]
            if !description.isEmpty { create.append(("description", .string(description))) }
            create.append(("details", jsonStringMap(details)))
            create.append(("source", .string(try await t(config.source, "source"))))
            let responders = try await self.responders(t)
            if !responders.isEmpty { create.append(("responders", .array(responders))) }
            let tags = Self.safeSplit(try await t(config.tags, "tags"))
            if !tags.isEmpty { create.append(("tags", .array(tags.map(JSONOut.string)))) }
            for (key, text) in [("note", config.note), ("priority", config.priority), ("entity", config.entity)] {
                let value = try await t(text, key)
                if !value.isEmpty { create.append((key, .string(value))) }
            }
            let actions = Self.safeSplit(try await t(config.actions, "actions"))
            if !actions.isEmpty { create.append(("actions", .array(actions.map(JSONOut.string)))) }
            requests.append(Request(method: "POST", url: base.appendingPath("v2/alerts").string, body: .object(create)))
            if config.updateAlerts {
                for (path, key, value) in [("message", "message", message), ("description", "description", description)] {
                    let url = base.appendingPath("v2/alerts/\(alias)/\(path)").settingQuery("identifierType", "alias")
                    requests.append(Request(method: "PUT", url: url.string, body: .object(value.isEmpty ? [] : [(key, .string(value))])))
                }
            }
        }
        let apiKey = config.apiKey.isEmpty
            ? try await t(try readSecretFile(config.apiKeyFile, what: "api_key_file"), "api_key_file") : try await t(config.apiKey, "api_key")
        return (requests, apiKey)
    }

    /// Rendered responders: all-empty ones dropped, type `teams` split into one `team` per name.
    private func responders(_ t: (String, String) async throws(NotifyError) -> String) async throws(NotifyError) -> [JSONOut] {
        var out: [JSONOut] = []
        for responder in config.responders {
            let id = try await t(responder.id, "responders.id"), name = try await t(responder.name, "responders.name")
            let username = try await t(responder.username, "responders.username"), type = try await t(responder.type, "responders.type")
            if id.isEmpty, name.isEmpty, username.isEmpty, type.isEmpty { continue }
            if type == "teams" {
                for team in Self.safeSplit(name) {
                    out.append(.object([("name", .string(try await t(team, "responders.name"))), ("type", .string("team"))]))
                }
                continue
            }
            var fields: [(String, JSONOut)] = []
            for (key, value) in [("id", id), ("name", name), ("username", username)] where !value.isEmpty {
                fields.append((key, .string(value)))
            }
            fields.append(("type", .string(type)))
            out.append(.object(fields))
        }
        return out
    }

    /// Alertmanager's `safeSplit`: the trimmed text split at "," with empty parts dropped
    /// (the parts themselves are not trimmed).
    static func safeSplit(_ text: String) -> [String] {
        text.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ",", omittingEmptySubsequences: true).map(String.init)
    }
}
