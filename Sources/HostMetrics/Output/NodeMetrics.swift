import PharosCore

/// The value type of a family, as client_golang's `ValueType` names it.
package enum NodeMetricType: String, Sendable {
    case counter, gauge, untyped
}

/// The metric families one scrape produced, keyed by name, before they are sorted and written.
///
/// Collectors add samples with their labels in any order; `render()` writes node_exporter's
/// (client_golang's) order: families by name, labels by name, samples by label values. A family
/// keeps the help and type of its first sample. Not thread-safe: one per scrape.
package struct NodeMetrics: Sendable {
    package struct Sample: Sendable, Equatable {
        /// Label pairs sorted by name, without `__name__`.
        package var labels: [Label]
        package var value: Double
    }

    package struct Family: Sendable {
        package var name: String
        package var help: String
        package var type: NodeMetricType
        package var samples: [Sample]
    }

    package private(set) var families: [String: Family] = [:]

    package init() {}

    /// Adds one sample; `labels` are name/value pairs (sorted here when they are not already).
    package mutating func add(_ name: String, _ help: String, _ type: NodeMetricType, _ value: Double,
                              _ labels: [Label] = []) {
        var labels = labels
        if labels.count > 1 && !Self.isSorted(labels) {
            labels.sort { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
        }
        let sample = Sample(labels: labels, value: value)
        if families[name] != nil {
            families[name]!.samples.append(sample)
        } else {
            families[name] = Family(name: name, help: help, type: type, samples: [sample])
        }
    }

    /// Appends `other`'s samples (one collector's output) to the families of the same name.
    package mutating func merge(_ other: NodeMetrics) {
        for (name, family) in other.families {
            if families[name] != nil {
                families[name]!.samples.append(contentsOf: family.samples)
            } else {
                families[name] = family
            }
        }
    }

    /// The families in output order, their samples sorted.
    package func sortedFamilies() -> [Family] {
        var result = Array(families.values)
        result.sort { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
        for index in result.indices where result[index].samples.count > 1 {
            result[index].samples.sort(by: Self.sampleOrder)
        }
        return result
    }

    /// Text exposition format 0.0.4, as node_exporter writes it.
    package func render() -> [UInt8] {
        var writer = NodeTextWriter()
        writer.reserve(families.count * 256)
        for family in sortedFamilies() { writer.write(family) }
        return writer.output
    }

    private static func isSorted(_ labels: [Label]) -> Bool {
        for index in 1..<labels.count where !labels[index - 1].name.utf8.lexicographicallyPrecedes(labels[index].name.utf8) {
            return false
        }
        return true
    }

    /// client_golang's metricSorter: fewer labels first, then label values in order.
    private static func sampleOrder(_ lhs: Sample, _ rhs: Sample) -> Bool {
        if lhs.labels.count != rhs.labels.count { return lhs.labels.count < rhs.labels.count }
        for (left, right) in zip(lhs.labels, rhs.labels) where left.value != right.value {
            return left.value.utf8.lexicographicallyPrecedes(right.value.utf8)
        }
        return false
    }
}

extension Label {
    /// `Label(name:value:)`, short for the collectors' label lists.
    static func of(_ name: String, _ value: String) -> Label { Label(name: name, value: value) }
}
