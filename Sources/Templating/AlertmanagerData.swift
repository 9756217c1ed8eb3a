import Foundation

/// Alertmanager's notification template data (`template.Data`), as a `TemplateValue` with the
/// methods its templates call: `.Alerts.Firing`/`.Resolved`, `KV.SortedPairs`/`.Names`/
/// `.Values`/`.Remove`, `Pairs.Names`/`.Values`, and `KV`/`Pairs` printing as `a=1, b=2`.
package struct AlertmanagerData: Sendable {
    package struct Alert: Sendable {
        /// "firing" or "resolved".
        package var status: String
        package var labels: [String: String]
        package var annotations: [String: String]
        package var startsAt: TemplateTime
        /// `TemplateTime.zero` when unset (Go's zero time).
        package var endsAt: TemplateTime
        package var generatorURL: String
        package var fingerprint: String

        package init(status: String, labels: [String: String], annotations: [String: String] = [:],
                     startsAt: TemplateTime = .zero, endsAt: TemplateTime = .zero, generatorURL: String = "",
                     fingerprint: String = "") {
            self.status = status
            self.labels = labels
            self.annotations = annotations
            self.startsAt = startsAt
            self.endsAt = endsAt
            self.generatorURL = generatorURL
            self.fingerprint = fingerprint
        }
    }

    /// Regex-quoted, as Alertmanager passes it (`team\\.pager`).
    package var receiver: String
    /// "firing" when any alert fires, else "resolved".
    package var status: String
    package var alerts: [Alert]
    package var groupLabels: [String: String]
    package var commonLabels: [String: String]
    package var commonAnnotations: [String: String]
    package var externalURL: String

    /// Builds the data as Alertmanager's `Template.Data` does: the receiver name regex-quoted
    /// (`regexp.QuoteMeta`), common labels and annotations those equal in every alert, and
    /// status "firing" when any alert fires.
    package init(receiver: String, groupLabels: [String: String], alerts: [Alert], externalURL: String) {
        self.receiver = Self.quoteMeta(receiver)
        self.status = alerts.contains { $0.status == "firing" } ? "firing" : "resolved"
        self.alerts = alerts
        self.groupLabels = groupLabels
        self.externalURL = externalURL
        var labels = alerts.first?.labels ?? [:]
        var annotations = alerts.first?.annotations ?? [:]
        for a in alerts.dropFirst() {
            labels = labels.filter { a.labels[$0.key] == $0.value }
            annotations = annotations.filter { a.annotations[$0.key] == $0.value }
        }
        self.commonLabels = labels
        self.commonAnnotations = annotations
    }

    /// The data as templates see it: `*template.Data` with `.Alerts` (methods `Firing`,
    /// `Resolved`), `KV` label and annotation maps, and `template.Alert` structs.
    package var templateValue: TemplateValue {
        .map(TemplateMap([
            "Receiver": .string(receiver),
            "Status": .string(status),
            "Alerts": .list(alerts.map(Self.alertValue), methods: AlertsMethods()),
            "GroupLabels": Self.kv(groupLabels),
            "CommonLabels": Self.kv(commonLabels),
            "CommonAnnotations": Self.kv(commonAnnotations),
            "ExternalURL": .string(externalURL),
        ], typeName: "*template.Data", isStruct: true))
    }

    static func alertValue(_ a: Alert) -> TemplateValue {
        .map(TemplateMap([
            "Status": .string(a.status),
            "Labels": kv(a.labels),
            "Annotations": kv(a.annotations),
            "StartsAt": .time(a.startsAt),
            "EndsAt": .time(a.endsAt),
            "GeneratorURL": .string(a.generatorURL),
            "Fingerprint": .string(a.fingerprint),
        ], typeName: "template.Alert", isStruct: true))
    }

    /// Alertmanager's `KV` (a `map[string]string` with methods).
    package static func kv(_ d: [String: String]) -> TemplateValue {
        .stringMap(d, methods: KVMethods())
    }

    /// Go's `regexp.QuoteMeta`.
    static func quoteMeta(_ s: String) -> String {
        var out = ""
        for c in s {
            if "\\.+*?()|[]{}^$".contains(c) { out.append("\\") }
            out.append(c)
        }
        return out
    }

    /// `KV.SortedPairs`: `alertname` first, then the other names in byte order.
    static func sortedPairs(_ m: TemplateMap) -> [(String, String)] {
        var keys = m.sortedKeys
        if let i = keys.firstIndex(of: "alertname") {
            keys.remove(at: i)
            keys.insert("alertname", at: 0)
        }
        return keys.map { ($0, m.entries[$0]?.stringValue ?? "") }
    }

    static func pairs(_ p: [(String, String)]) -> TemplateValue {
        .list(p.map { .map(TemplateMap(["Name": .string($0.0), "Value": .string($0.1)], typeName: "template.Pair", isStruct: true)) },
              methods: PairsMethods())
    }

    static func strings(_ s: [String]) -> TemplateValue { .list(s.map { .string($0) }, methods: StringSliceType()) }
}

/// `[]string`'s type name for messages.
struct StringSliceType: TemplateMethods {
    var typeName: String { "[]string" }
    func call(_ name: String, on receiver: TemplateValue, _ args: [TemplateValue]) throws(TemplateError) -> TemplateValue? { nil }
}

struct KVMethods: TemplateMethods {
    var typeName: String { "template.KV" }

    func call(_ name: String, on receiver: TemplateValue, _ args: [TemplateValue]) throws(TemplateError) -> TemplateValue? {
        guard case .map(let m) = receiver else { return nil }
        func noArgs() throws(TemplateError) {
            if !args.isEmpty { throw .function("wrong number of args for \(name): want 0 got \(args.count)") }
        }
        switch name {
        case "SortedPairs":
            try noArgs()
            return AlertmanagerData.pairs(AlertmanagerData.sortedPairs(m))
        case "Names":
            try noArgs()
            return AlertmanagerData.strings(AlertmanagerData.sortedPairs(m).map(\.0))
        case "Values":
            try noArgs()
            return AlertmanagerData.strings(AlertmanagerData.sortedPairs(m).map(\.1))
        case "String":
            try noArgs()
            return .string(formatted(receiver) ?? "")
        case "Remove":
            guard args.count == 1 else { throw .function("wrong number of args for Remove: want 1 got \(args.count)") }
            guard case .list(let items, _) = args[0] else { throw .wrongType(expected: "[]string", got: args[0]) }
            let drop = Set(items.compactMap(\.stringValue))
            var copy = m
            copy.entries = m.entries.filter { !drop.contains($0.key) }
            return .map(copy)
        default:
            return nil
        }
    }

    func formatted(_ receiver: TemplateValue) -> String? {
        guard case .map(let m) = receiver else { return nil }
        return AlertmanagerData.sortedPairs(m).map { "\($0.0)=\($0.1)" }.joined(separator: ", ")
    }
}

struct PairsMethods: TemplateMethods {
    var typeName: String { "template.Pairs" }

    func call(_ name: String, on receiver: TemplateValue, _ args: [TemplateValue]) throws(TemplateError) -> TemplateValue? {
        guard case .list(let items, _) = receiver, args.isEmpty else { return nil }
        func field(_ f: String) -> [String] {
            items.map { item in
                if case .map(let p) = item { return p.entries[f]?.stringValue ?? "" }
                return ""
            }
        }
        switch name {
        case "Names": return AlertmanagerData.strings(field("Name"))
        case "Values": return AlertmanagerData.strings(field("Value"))
        case "String": return .string(formatted(receiver) ?? "")
        default: return nil
        }
    }

    func formatted(_ receiver: TemplateValue) -> String? {
        guard case .list(let items, _) = receiver else { return nil }
        return items.map { item -> String in
            guard case .map(let p) = item else { return "" }
            return "\(p.entries["Name"]?.stringValue ?? "")=\(p.entries["Value"]?.stringValue ?? "")"
        }.joined(separator: ", ")
    }
}

struct AlertsMethods: TemplateMethods {
    var typeName: String { "template.Alerts" }

    func call(_ name: String, on receiver: TemplateValue, _ args: [TemplateValue]) throws(TemplateError) -> TemplateValue? {
        guard case .list(let items, _) = receiver else { return nil }
        let status: String
        switch name {
        case "Firing": status = "firing"
        case "Resolved": status = "resolved"
        default: return nil
        }
        if !args.isEmpty { throw .function("wrong number of args for \(name): want 0 got \(args.count)") }
        // Go returns a plain []Alert here (no Firing/Resolved on the result).
        return .list(items.filter { item in
            if case .map(let a) = item { return a.entries["Status"]?.stringValue == status }
            return false
        }, methods: AlertSliceType())
    }
}

struct AlertSliceType: TemplateMethods {
    var typeName: String { "[]template.Alert" }
    func call(_ name: String, on receiver: TemplateValue, _ args: [TemplateValue]) throws(TemplateError) -> TemplateValue? { nil }
}
