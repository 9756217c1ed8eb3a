import PharosConfig

/// The current groups of one discoverer, keyed by source, in first-seen order (Prometheus
/// keeps a `map[source]*Group` per provider; the order here makes snapshots deterministic).
/// A plain value; not thread-safe.
struct ProviderGroups: Sendable {
    private var order: [String] = []
    private var bySource: [String: TargetGroup] = [:]

    init(_ groups: [TargetGroup] = []) { apply(groups) }

    /// Merges a batch: a group with targets replaces (in place) or adds its source; a group
    /// without targets removes it.
    mutating func apply(_ groups: [TargetGroup]) {
        for group in groups {
            if group.targets.isEmpty {
                if bySource.removeValue(forKey: group.source) != nil { order.removeAll { $0 == group.source } }
            } else {
                if bySource[group.source] == nil { order.append(group.source) }
                bySource[group.source] = group
            }
        }
    }

    var all: [TargetGroup] { order.compactMap { bySource[$0] } }

    var targetCount: Int { bySource.values.reduce(0) { $0 + $1.targets.count } }
}
