import PharosCore
import Synchronization

/// The metric families one probe produces (blackbox's per-probe `prometheus.Registry`).
///
/// Thread-safe: a prober's event-loop callbacks and the runner may touch it concurrently. A
/// family is registered (and so exposed) only when a prober declares it, as in blackbox,
/// where a gauge that was registered but never set reads 0.
package final class ProbeRegistry: Sendable {
    package struct Family: Sendable, Hashable {
        package var name: String
        package var help: String
        package var type: MetricType
        /// Label names of a vector; empty for a single gauge.
        package var labelNames: [String]
        /// Samples by label values (empty array for a single gauge).
        package var values: [[String]: Double]
    }

    private let state = Mutex<[String: Family]>([:])

    package init() {}

    /// Registers a single gauge (reads 0 until set); re-registering keeps the value.
    package func gauge(_ name: String, _ help: String) {
        state.withLock { families in
            if families[name] == nil {
                families[name] = Family(name: name, help: help, type: .gauge, labelNames: [], values: [[]: 0])
            }
        }
    }

    /// Registers a gauge vector with no samples yet.
    package func gaugeVector(_ name: String, _ help: String, labels: [String]) {
        state.withLock { families in
            if families[name] == nil {
                families[name] = Family(name: name, help: help, type: .gauge, labelNames: labels, values: [:])
            }
        }
    }

    /// Sets a sample (registering a single gauge first when `help` is given).
    package func set(_ name: String, _ value: Double, labels: [String] = []) {
        state.withLock { families in families[name]?.values[labels] = value }
    }

    /// Adds to a sample (created at 0).
    package func add(_ name: String, _ delta: Double, labels: [String] = []) {
        state.withLock { families in families[name]?.values[labels, default: 0] += delta }
    }

    /// A registered gauge's single value (tests and probers that read back).
    package func value(_ name: String, labels: [String] = []) -> Double? {
        state.withLock { $0[name]?.values[labels] }
    }

    /// The families sorted by name, as the Go client gathers them.
    package var families: [Family] { state.withLock { $0.values.sorted { $0.name < $1.name } } }

    /// The text exposition format 0.0.4, as `promhttp` writes it: families by name, samples by
    /// label values, families without samples left out.
    package func exposition() -> String {
        var out = ""
        for family in families where !family.values.isEmpty {
            out += "# HELP \(family.name) \(Self.escapeHelp(family.help))\n# TYPE \(family.name) \(family.type.rawValue)\n"
            for (values, value) in family.values.sorted(by: { $0.key.lexicographicallyPrecedes($1.key) }) {
                out += family.name
                if !values.isEmpty {
                    // Label pairs by name, as the Go client sorts them.
                    let pairs = zip(family.labelNames, values).sorted { $0.0 < $1.0 }.map { "\($0.0)=\"\(Self.escapeLabel($0.1))\"" }
                    out += "{" + pairs.joined(separator: ",") + "}"
                }
                out += " " + GoFloat.format(value) + "\n"
            }
        }
        return out
    }

    /// Every sample as a labelled series (`__name__` plus the family's labels).
    package func samples() -> [(labels: [Label], value: Double, metadata: MetricMetadata)] {
        var out: [(labels: [Label], value: Double, metadata: MetricMetadata)] = []
        for family in families {
            let metadata = MetricMetadata(type: family.type, help: family.help)
            for (values, value) in family.values {
                var labels = [Label(name: Labels.metricName, value: family.name)]
                for (name, labelValue) in zip(family.labelNames, values) { labels.append(Label(name: name, value: labelValue)) }
                out.append((labels, value, metadata))
            }
        }
        return out
    }

    static func escapeHelp(_ text: String) -> String {
        text.replacingAll("\\", "\\\\").replacingAll("\n", "\\n")
    }

    static func escapeLabel(_ text: String) -> String {
        text.replacingAll("\\", "\\\\").replacingAll("\"", "\\\"").replacingAll("\n", "\\n")
    }
}

extension String {
    func replacingAll(_ target: Character, _ replacement: String) -> String {
        guard contains(target) else { return self }
        var out = ""
        for character in self { if character == target { out += replacement } else { out.append(character) } }
        return out
    }
}
