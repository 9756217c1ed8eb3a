import PharosCore

/// One metric family to write: HELP and TYPE lines, then its samples in order.
package struct ExpositionFamily: Sendable, Hashable {
    package var name: String
    package var type: MetricType?
    package var help: String?
    package var samples: [ExpositionSample]

    package init(name: String, type: MetricType? = nil, help: String? = nil, samples: [ExpositionSample] = []) {
        self.name = name
        self.type = type
        self.help = help
        self.samples = samples
    }
}

/// One sample line: labels (with `__name__`), value, optional timestamp in milliseconds.
package struct ExpositionSample: Sendable, Hashable {
    package var labels: Labels
    package var value: Double
    package var timestamp: Timestamp?

    package init(labels: Labels, value: Double, timestamp: Timestamp? = nil) {
        self.labels = labels
        self.value = value
        self.timestamp = timestamp
    }

    package static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.labels == rhs.labels && lhs.value.bitPattern == rhs.value.bitPattern && lhs.timestamp == rhs.timestamp
    }

    package func hash(into hasher: inout Hasher) {
        hasher.combine(labels)
        hasher.combine(value.bitPattern)
    }
}

/// Writes Prometheus text format 0.0.4 (for `/federate` and the Pushgateway), like Go's expfmt.
///
/// `# HELP name text` (backslash and newline escaped), `# TYPE name type` (types outside
/// counter/gauge/histogram/summary are written as `untyped`), then `name{a="b"} value [ts]`
/// with label values escaped (`\\`, `\"`, `\n`), values in Go's `%g` shortest form and labels
/// in `Labels` order. Names that are not legacy names use the quoted UTF-8 form
/// `{"my.metric","a.b"="c"}`. Not thread-safe; `output` grows until taken.
package struct TextWriter {
    package private(set) var output: [UInt8] = []

    package init() {}

    /// The text written so far.
    package var text: String { String(decoding: output, as: UTF8.self) }

    package mutating func write(_ families: [ExpositionFamily]) {
        for family in families { write(family) }
    }

    package mutating func write(_ family: ExpositionFamily) {
        if let help = family.help { writeHelp(family.name, help) }
        if let type = family.type { writeType(family.name, type) }
        for sample in family.samples { writeSample(sample.labels, value: sample.value, timestamp: sample.timestamp) }
    }

    package mutating func writeHelp(_ name: String, _ help: String) {
        append("# HELP ")
        appendMetaName(name)
        output.append(UInt8(ascii: " "))
        for byte in help.utf8 {
            switch byte {
            case UInt8(ascii: "\\"): append("\\\\")
            case UInt8(ascii: "\n"): append("\\n")
            default: output.append(byte)
            }
        }
        output.append(UInt8(ascii: "\n"))
    }

    package mutating func writeType(_ name: String, _ type: MetricType) {
        append("# TYPE ")
        appendMetaName(name)
        switch type {
        case .counter, .gauge, .histogram, .summary: append(" " + type.rawValue + "\n")
        default: append(" untyped\n")
        }
    }

    /// Writes one line; a sample without `__name__` is written as a bare label set.
    package mutating func writeSample(_ labels: Labels, value: Double, timestamp: Timestamp? = nil) {
        writeSample(name: labels.metricName, labels: labels.filter { $0.name != Labels.metricName },
                    value: value, timestamp: timestamp)
    }

    /// Writes one line with the labels in the order given (`/federate` appends external labels
    /// after the series' own); `name` nil writes a bare label set; `labels` holds no `__name__`.
    package mutating func writeSample(name: String?, labels others: [Label], value: Double, timestamp: Timestamp?) {
        let legacyName = name.map(Labels.isValidLegacyMetricName) ?? true
        if let name, legacyName { append(name) }
        if !others.isEmpty || !legacyName {
            output.append(UInt8(ascii: "{"))
            var first = true
            if let name, !legacyName {
                appendQuoted(name)
                first = false
            }
            for label in others {
                if !first { output.append(UInt8(ascii: ",")) }
                first = false
                if Labels.isValidLegacyName(label.name) { append(label.name) } else { appendQuoted(label.name) }
                output.append(UInt8(ascii: "="))
                appendQuoted(label.value)
            }
            output.append(UInt8(ascii: "}"))
        }
        output.append(UInt8(ascii: " "))
        append(GoFloat.format(value))
        if let timestamp { append(" \(timestamp)") }
        output.append(UInt8(ascii: "\n"))
    }

    private mutating func append(_ text: String) { output.append(contentsOf: text.utf8) }

    private mutating func appendMetaName(_ name: String) {
        if Labels.isValidLegacyMetricName(name) { append(name) } else { appendQuoted(name) }
    }

    private mutating func appendQuoted(_ value: String) {
        output.append(UInt8(ascii: "\""))
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\\"): append("\\\\")
            case UInt8(ascii: "\""): append("\\\"")
            case UInt8(ascii: "\n"): append("\\n")
            default: output.append(byte)
            }
        }
        output.append(UInt8(ascii: "\""))
    }
}
