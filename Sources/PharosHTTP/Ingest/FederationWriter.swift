import Exposition
import PharosCore

/// Writes federated samples as Go's `expfmt` writes the untyped families `/federate` builds:
/// series labels in order, then the external labels the series lacks.
struct FederationWriter {
    private(set) var output: [UInt8] = []
    private let external: [Label]
    private var lastName: String?

    /// `instance=""` is added unless `externalLabels` set an instance.
    init(externalLabels: Labels) {
        var pairs = externalLabels.pairs
        if !externalLabels.has("instance") { pairs.append(Label(name: "instance", value: "")) }
        external = pairs.sorted { $0.name < $1.name }
    }

    mutating func write(_ labels: Labels, value: Double, timestamp: Timestamp) {
        guard let name = labels.metricName else { return }
        let legacy = Labels.isValidLegacyMetricName(name)
        if name != lastName {
            append("# TYPE ")
            if legacy { append(name) } else { appendQuoted(name) }
            append(" untyped\n")
            lastName = name
        }
        var pairs = labels.pairs.filter { $0.name != Labels.metricName }
        for label in external where !labels.has(label.name) { pairs.append(label) }
        if legacy { append(name) }
        if !pairs.isEmpty || !legacy {
            append("{")
            var first = true
            if !legacy {
                appendQuoted(name)
                first = false
            }
            for pair in pairs {
                if !first { append(",") }
                first = false
                if Labels.isValidLegacyName(pair.name) { append(pair.name) } else { appendQuoted(pair.name) }
                append("=")
                appendQuoted(pair.value)
            }
            append("}")
        }
        append(" " + Exposition.GoFloatFormat.format(value) + " \(timestamp)\n")
    }

    private mutating func append(_ text: String) { output.append(contentsOf: text.utf8) }

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
