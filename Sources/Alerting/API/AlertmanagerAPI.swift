import Foundation
import PharosCore

/// One request to the Alertmanager v2 API, framework-free (PharosHTTP builds it).
package struct AlertmanagerAPIRequest: Sendable {
    package enum Operation: Sendable, Hashable {
        case getAlerts, postAlerts, getAlertGroups, getSilences, postSilences, getStatus, getReceivers
        case getSilence(String), deleteSilence(String)
    }
    package var operation: Operation
    /// Query items in order; repeated names (`filter`) appear once each.
    package var query: [(name: String, value: String)]
    package var body: [UInt8]

    package init(operation: Operation, query: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.operation = operation
        self.query = query
        self.body = body
    }

    func values(_ name: String) -> [String] { query.filter { $0.name == name }.map(\.value) }
}

/// An answer: status code and JSON body (empty for bodiless answers).
package struct AlertmanagerAPIResponse: Sendable, Hashable {
    package var status: Int
    package var body: [UInt8]
    package init(status: Int, body: [UInt8]) {
        self.status = status
        self.body = body
    }
    static func json(_ value: JSONOut, status: Int = 200) -> Self { Self(status: status, body: value.bytes) }
    /// Alertmanager's error payloads are JSON strings.
    static func error(_ status: Int, _ message: String) -> Self { json(.string(message), status: status) }
}

extension AlertmanagerAPIResponse: Error {}

/// The Alertmanager v2 API (`api/v2`) over an `EmbeddedAlertmanager`, with Alertmanager's JSON
/// so amtool, Grafana and Karma work unchanged. Thread-safe.
package struct AlertmanagerAPI: Sendable {
    package let alertmanager: EmbeddedAlertmanager
    package var version = "0.25.0"

    package init(alertmanager: EmbeddedAlertmanager) { self.alertmanager = alertmanager }

    var now: Date { alertmanager.configuration.clock.now() }

    package func handle(_ request: AlertmanagerAPIRequest) async -> AlertmanagerAPIResponse {
        switch request.operation {
        case .getAlerts: getAlerts(request)
        case .postAlerts: postAlerts(request.body)
        case .getAlertGroups: getAlertGroups(request)
        case .getSilences: getSilences(request)
        case .postSilences: postSilence(request.body)
        case .getSilence(let id):
            if let silence = alertmanager.silences.get(id) { .json(silenceJSON(silence, now: now)) } else { .init(status: 404, body: []) }
        case .deleteSilence(let id): deleteSilence(id)
        case .getStatus: .json(statusJSON())
        case .getReceivers:
            .json(.array((alertmanager.currentConfig?.receivers ?? []).map { .object([("name", .string($0.name))]) }))
        }
    }

    // MARK: alerts

    func postAlerts(_ body: [UInt8]) -> AlertmanagerAPIResponse {
        let parsed: [AlertmanagerAlert]
        var errors: [String] = []
        do {
            (parsed, errors) = try PostedAlerts.parse(body, now: now, resolveTimeout: resolveTimeout)
        } catch {
            return .json(.object([("code", .int(400)), ("message", .string(error.message))]), status: 400)
        }
        alertmanager.receive(parsed)
        if !errors.isEmpty { return .error(400, errors.joined(separator: ";")) }
        return .init(status: 200, body: [])
    }

    var resolveTimeout: TimeInterval {
        TimeInterval((alertmanager.currentConfig?.global.resolveTimeout.milliseconds ?? 300_000)) / 1000
    }

    struct AlertFilter {
        var matchers: [LabelMatcher] = []
        var receiver: LabelMatcher?
        var active = true, silenced = true, inhibited = true, unprocessed = true
    }

    func alertFilter(_ request: AlertmanagerAPIRequest) -> Result<AlertFilter, AlertmanagerAPIResponse> {
        var filter = AlertFilter()
        for value in request.values("filter") {
            do {
                filter.matchers += try MatcherParser.parseMatchers(value)
            } catch {
                return .failure(AlertmanagerAPIResponse.error(400, "bad matcher format: \(value)"))
            }
        }
        if let receiver = request.values("receiver").first {
            guard let matcher = try? LabelMatcher(.regexMatch, "receiver", receiver) else {
                return .failure(AlertmanagerAPIResponse.error(400, "failed to parse receiver param: \(receiver)"))
            }
            filter.receiver = matcher
        }
        for (name, path) in [("active", \AlertFilter.active), ("silenced", \.silenced), ("inhibited", \.inhibited),
                             ("unprocessed", \.unprocessed)] {
            guard let value = request.values(name).first else { continue }
            guard let flag = Bool(value.lowercased()) else {
                let message = "\(name) in query must be of type boolean: \(goQuote(value))"
                return .failure(AlertmanagerAPIResponse.json(.object([("code", .int(400)), ("message", .string(message))]), status: 400))
            }
            filter[keyPath: path] = flag
        }
        return .success(filter)
    }

    /// The API view of one alert, or nil when the filter drops it.
    func alertJSON(_ alert: AlertmanagerAlert, filter: AlertFilter, context: AlertStatusContext) -> JSONOut? {
        let now = context.now
        if alert.isResolved(at: now) { return nil }
        let receivers = context.route.map { $0.matchingRoutes(alert.labels).map(\.options.receiver) } ?? []
        if let receiver = filter.receiver, !receivers.contains(where: receiver.matches) { return nil }
        guard Self.matchesFilter(filter.matchers, alert.labels) else { return nil }
        let silencedBy = alertmanager.silences.mutedBy(alert.labels, now: now)
        let inhibitedBy = context.inhibitors(of: alert.labels)
        let state = silencedBy.isEmpty && inhibitedBy.isEmpty ? "active" : "suppressed"
        if !filter.active, state == "active" { return nil }
        if !filter.silenced, !silencedBy.isEmpty { return nil }
        if !filter.inhibited, !inhibitedBy.isEmpty { return nil }
        return .object([
            ("annotations", .labels(alert.annotations)),
            ("endsAt", .string(AlertmanagerTime.apiString(alert.endsAt))),
            ("fingerprint", .string(alert.fingerprint.description)),
            ("receivers", .array(receivers.map { .object([("name", .string($0))]) })),
            ("startsAt", .string(AlertmanagerTime.apiString(alert.startsAt))),
            ("status", .object([
                ("inhibitedBy", .array(inhibitedBy.map { .string($0) })),
                ("silencedBy", .array(silencedBy.map { .string($0) })),
                ("state", .string(state)),
            ])),
            ("updatedAt", .string(AlertmanagerTime.apiString(alert.updatedAt))),
            ("generatorURL", .string(alert.generatorURL)),
            ("labels", .labels(alert.labels)),
        ])
    }

    func getAlerts(_ request: AlertmanagerAPIRequest) -> AlertmanagerAPIResponse {
        let filter: AlertFilter
        switch alertFilter(request) {
        case .success(let value): filter = value
        case .failure(let response): return response
        }
        let context = statusContext()
        let alerts = alertmanager.alerts.all.sorted { $0.fingerprint < $1.fingerprint }
        return .json(.array(alerts.compactMap { alertJSON($0, filter: filter, context: context) }))
    }

    func getAlertGroups(_ request: AlertmanagerAPIRequest) -> AlertmanagerAPIResponse {
        let filter: AlertFilter
        switch alertFilter(request) {
        case .success(let value): filter = value
        case .failure(let response): return response
        }
        let context = statusContext()
        var groups: [(labels: Labels, receiver: String, alerts: [JSONOut])] = []
        for group in alertmanager.dispatcher?.currentGroups ?? [] {
            let receiver = group.route.options.receiver
            if let matcher = filter.receiver, !matcher.matches(receiver) { continue }
            let alerts = group.alerts.compactMap { alertJSON($0, filter: filter, context: context) }
            if alerts.isEmpty { continue }
            groups.append((group.groupLabels, receiver, alerts))
        }
        groups.sort { a, b in
            a.labels == b.labels ? a.receiver < b.receiver : AlertmanagerAlert.labelSetBefore(a.labels, b.labels)
        }
        return .json(.array(groups.map { group in
            .object([("alerts", .array(group.alerts)), ("labels", .labels(group.labels)),
                     ("receiver", .object([("name", .string(group.receiver))]))])
        }))
    }

    /// Alertmanager's `matchFilterLabels`: an empty-valued equality filter also accepts a missing label.
    static func matchesFilter(_ matchers: [LabelMatcher], _ labels: Labels) -> Bool {
        for matcher in matchers {
            let value = labels.value(of: matcher.name)
            switch matcher.type {
            case .notEqual, .regexNoMatch:
                if matcher.value.isEmpty, value != nil { continue }
            default:
                if matcher.value.isEmpty, value == nil { continue }
            }
            if !matcher.matches(value ?? "") { return false }
        }
        return true
    }

    func statusContext() -> AlertStatusContext {
        let config = alertmanager.currentConfig
        let now = self.now
        let rules = config?.inhibitRules.map(InhibitRule.init) ?? []
        return AlertStatusContext(now: now, route: alertmanager.dispatcher?.root, rules: rules,
                                  firing: rules.isEmpty ? [] : alertmanager.alerts.firing(at: now))
    }

    // MARK: status

    func statusJSON() -> JSONOut {
        .object([
            ("cluster", .object([("name", .string("")), ("peers", .array([])), ("status", .string("disabled"))])),
            ("config", .object([("original", .string(alertmanager.currentConfig?.maskedYAML ?? ""))])),
            ("uptime", .string(AlertmanagerTime.apiString(alertmanager.startTime))),
            ("versionInfo", .object([
                ("branch", .string("pharos")), ("buildDate", .string("")), ("buildUser", .string("")),
                ("goVersion", .string("swift")), ("revision", .string("")), ("version", .string(version)),
            ])),
        ])
    }
}

/// What the API needs to tell whether an alert is inhibited, computed once per request.
struct AlertStatusContext {
    var now: Date
    var route: Route?
    var rules: [InhibitRule]
    var firing: [Labels]

    /// Fingerprints of the alerts inhibiting `labels`, sorted.
    func inhibitors(of labels: Labels) -> [String] {
        var out: Set<String> = []
        for rule in rules {
            if let source = rule.inhibitor(of: labels, firing: firing) { out.insert(AlertFingerprint(source).description) }
        }
        return out.sorted()
    }
}
