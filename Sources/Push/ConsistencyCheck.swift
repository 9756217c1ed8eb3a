import PharosCore

/// The consistency rules a Pushgateway applies to all stored groups together before it
/// accepts a push (what `prometheus.Gatherers.Gather` checks on its `/metrics`): one type per
/// metric family across groups, no two samples with the same name and labels, no label name
/// with the reserved `__` prefix besides `__name__`, no family named like another family's
/// histogram/summary series. Help strings may differ (the later wins).
enum ConsistencyCheck {
    static func check(_ groups: [MetricGroup]) throws(PushError) {
        var types: [String: (type: MetricType, key: GroupingKey)] = [:]
        var seen = Set<Labels>()
        for group in groups {
            for name in group.families.keys.sorted() {
                let family = group.families[name]!
                if family.samples.isEmpty { continue }
                if let existing = types[name], existing.type != family.type {
                    throw PushError(.inconsistent, "metric family \(name) has type \(typeName(family.type)) in group \(group.key) but \(typeName(existing.type)) in group \(existing.key)")
                }
                types[name] = (family.type, group.key)
                for sample in family.samples {
                    if let reserved = sample.labels.first(where: { $0.name.hasPrefix("__") && $0.name != Labels.metricName }) {
                        throw PushError(.inconsistent, "metric \(sample.labels) has a label with an invalid name: \(reserved.name)")
                    }
                    if !seen.insert(sample.labels).inserted {
                        throw PushError(.inconsistent, "metric \(sample.labels) was pushed before with the same name and label values")
                    }
                }
            }
        }
        for (name, entry) in types {
            let suffixes: [String] = switch entry.type {
            case .histogram, .gaugehistogram: ["_bucket", "_sum", "_count"]
            case .summary: ["_sum", "_count"]
            default: []
            }
            for suffix in suffixes where types[name + suffix] != nil {
                throw PushError(.inconsistent, "metric family \(name + suffix) collides with \(typeName(entry.type)) \(name)")
            }
        }
    }

    static func typeName(_ type: MetricType) -> String {
        switch type {
        case .counter, .gauge, .histogram, .summary: type.rawValue
        default: "untyped"
        }
    }
}
