import NIOCore
import PharosCore

/// One rule group as `/api/v1/rules` lists it (Prometheus' `RuleGroup`).
package struct APIRuleGroup: Sendable {
    package var name: String
    package var file: String
    /// Seconds.
    package var interval: Double
    package var limit: Int
    package var evaluationTime: Double
    /// ms; nil before the first evaluation (Go's zero time).
    package var lastEvaluation: Timestamp?
    package var rules: [APIRule]

    package init(name: String, file: String, interval: Double, limit: Int, evaluationTime: Double,
                 lastEvaluation: Timestamp?, rules: [APIRule]) {
        self.name = name
        self.file = file
        self.interval = interval
        self.limit = limit
        self.evaluationTime = evaluationTime
        self.lastEvaluation = lastEvaluation
        self.rules = rules
    }
}

/// A recording or alerting rule with its state.
package struct APIRule: Sendable {
    package var isAlerting: Bool
    package var name: String
    package var query: String
    package var labels: Labels
    package var health: String
    package var lastError: String?
    package var evaluationTime: Double
    package var lastEvaluation: Timestamp?
    // Alerting only.
    package var state: String = "inactive"
    package var duration: Double = 0
    package var keepFiringFor: Double = 0
    package var annotations: Labels = .empty
    package var alerts: [APIAlert] = []

    package init(isAlerting: Bool, name: String, query: String, labels: Labels, health: String, lastError: String?,
                 evaluationTime: Double, lastEvaluation: Timestamp?) {
        self.isAlerting = isAlerting
        self.name = name
        self.query = query
        self.labels = labels
        self.health = health
        self.lastError = lastError
        self.evaluationTime = evaluationTime
        self.lastEvaluation = lastEvaluation
    }
}

/// A pending or firing alert (Prometheus' API `Alert`).
package struct APIAlert: Sendable {
    package var labels: Labels
    package var annotations: Labels
    package var state: String
    package var activeAt: Timestamp
    package var keepFiringSince: Timestamp?
    package var value: Double

    package init(labels: Labels, annotations: Labels, state: String, activeAt: Timestamp, keepFiringSince: Timestamp?, value: Double) {
        self.labels = labels
        self.annotations = annotations
        self.state = state
        self.activeAt = activeAt
        self.keepFiringSince = keepFiringSince
        self.value = value
    }
}

/// Where `/api/v1/rules` and `/api/v1/alerts` read from (the rule manager, adapted by the
/// server). Groups sorted by file then name; alerts of each rule sorted by labels.
package protocol RulesProviding: Sendable {
    func ruleGroups() async -> [APIRuleGroup]
}

extension PrometheusAPI {
    /// `/api/v1/rules?type=alert|record&rule_name[]=…&rule_group[]=…&file[]=…&exclude_alerts=…`:
    /// groups whose every rule is filtered out are left out, as in Prometheus.
    package static func rules(_ form: FormParameters, from provider: any RulesProviding) async throws(APIError) -> ByteBuffer {
        let type = (form["type"] ?? "").lowercased()
        guard type.isEmpty || type == "alert" || type == "record" else {
            throw APIError.invalidParameter("type", "not supported value \"\(type)\"")
        }
        var excludeAlerts = false
        if let text = form["exclude_alerts"], !text.isEmpty {
            guard let value = goParseBool(text) else {
                throw APIError.invalidParameter("exclude_alerts", "strconv.ParseBool: parsing \"\(text)\": invalid syntax")
            }
            excludeAlerts = value
        }
        let names = Set(form.all("rule_name[]")), groupNames = Set(form.all("rule_group[]")), files = Set(form.all("file[]"))
        var groups: [APIRuleGroup] = []
        for var group in await provider.ruleGroups() {
            if !groupNames.isEmpty, !groupNames.contains(group.name) { continue }
            if !files.isEmpty, !files.contains(group.file) { continue }
            group.rules = group.rules.filter { rule in
                (names.isEmpty || names.contains(rule.name)) && (rule.isAlerting ? type != "record" : type != "alert")
            }
            if !group.rules.isEmpty { groups.append(group) }
        }
        return APIResponse.success { json in
            json.raw("{\"groups\":[")
            for (index, group) in groups.enumerated() {
                if index > 0 { json.raw(",") }
                json.raw("{\"name\":")
                json.string(group.name)
                json.raw(",\"file\":")
                json.string(group.file)
                json.raw(",\"rules\":[")
                for (ruleIndex, rule) in group.rules.enumerated() {
                    if ruleIndex > 0 { json.raw(",") }
                    write(rule, excludeAlerts: excludeAlerts, to: &json)
                }
                json.raw("],\"interval\":")
                json.raw(GoFloat.format(group.interval))
                json.raw(",\"limit\":\(group.limit),\"evaluationTime\":")
                json.raw(GoFloat.format(group.evaluationTime))
                json.raw(",\"lastEvaluation\":")
                json.string(goTime(group.lastEvaluation))
                json.raw("}")
            }
            json.raw("]}")
        }
    }

    /// `/api/v1/alerts`: every pending and firing alert.
    package static func alerts(from provider: any RulesProviding) async -> ByteBuffer {
        let alerts = await provider.ruleGroups().flatMap { $0.rules.flatMap(\.alerts) }
        return APIResponse.success { json in
            json.raw("{\"alerts\":")
            write(alerts, to: &json)
            json.raw("}")
        }
    }

    private static func write(_ rule: APIRule, excludeAlerts: Bool, to json: inout JSONWriter) {
        if rule.isAlerting {
            json.raw("{\"state\":")
            json.string(rule.state)
            json.raw(",\"name\":")
            json.string(rule.name)
            json.raw(",\"query\":")
            json.string(rule.query)
            json.raw(",\"duration\":")
            json.raw(GoFloat.format(rule.duration))
            json.raw(",\"keepFiringFor\":")
            json.raw(GoFloat.format(rule.keepFiringFor))
            json.raw(",\"labels\":")
            json.labels(rule.labels)
            json.raw(",\"annotations\":")
            json.labels(rule.annotations)
            if !excludeAlerts {
                json.raw(",\"alerts\":")
                write(rule.alerts, to: &json)
            }
        } else {
            json.raw("{\"name\":")
            json.string(rule.name)
            json.raw(",\"query\":")
            json.string(rule.query)
            if !rule.labels.isEmpty {
                json.raw(",\"labels\":")
                json.labels(rule.labels)
            }
        }
        json.raw(",\"health\":")
        json.string(rule.health)
        if let error = rule.lastError, !error.isEmpty {
            json.raw(",\"lastError\":")
            json.string(error)
        }
        json.raw(",\"evaluationTime\":")
        json.raw(GoFloat.format(rule.evaluationTime))
        json.raw(",\"lastEvaluation\":")
        json.string(goTime(rule.lastEvaluation))
        json.raw(rule.isAlerting ? ",\"type\":\"alerting\"}" : ",\"type\":\"recording\"}")
    }

    private static func write(_ alerts: [APIAlert], to json: inout JSONWriter) {
        json.raw("[")
        for (index, alert) in alerts.enumerated() {
            if index > 0 { json.raw(",") }
            json.raw("{\"labels\":")
            json.labels(alert.labels)
            json.raw(",\"annotations\":")
            json.labels(alert.annotations)
            json.raw(",\"state\":")
            json.string(alert.state)
            json.raw(",\"activeAt\":")
            json.string(RFC3339.format(alert.activeAt))
            if let since = alert.keepFiringSince {
                json.raw(",\"keepFiringSince\":")
                json.string(RFC3339.format(since))
            }
            json.raw(",\"value\":")
            json.string(GoFloat.format(alert.value, .e))
            json.raw("}")
        }
        json.raw("]")
    }

    /// Go's `time.Time` JSON: RFC 3339 with nanoseconds trimmed; the zero time when nil.
    private static func goTime(_ milliseconds: Timestamp?) -> String {
        milliseconds.map(RFC3339.format) ?? "0001-01-01T00:00:00Z"
    }

    /// Go's `strconv.ParseBool`.
    private static func goParseBool(_ text: String) -> Bool? {
        switch text {
        case "1", "t", "T", "TRUE", "true", "True": return true
        case "0", "f", "F", "FALSE", "false", "False": return false
        default: return nil
        }
    }
}
