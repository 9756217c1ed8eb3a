import Exposition
import PharosCore

/// Writes federated samples as Go's `expfmt` writes the untyped families `/federate` builds:
/// series labels in order, then the external labels the series lacks.
struct FederationWriter {
    private var writer = TextWriter()
    private let external: [Label]
    private var lastName: String?

    /// The text written so far.
    var output: [UInt8] { writer.output }

    /// `instance=""` is added unless `externalLabels` set an instance.
    init(externalLabels: Labels) {
        var pairs = externalLabels.pairs
        if !externalLabels.has("instance") { pairs.append(Label(name: "instance", value: "")) }
        external = pairs.sorted { $0.name < $1.name }
    }

    mutating func write(_ labels: Labels, value: Double, timestamp: Timestamp) {
        guard let name = labels.metricName else { return }
        if name != lastName {
            writer.writeType(name, .unknown)  // `# TYPE name untyped`
            lastName = name
        }
        var pairs = labels.pairs.filter { $0.name != Labels.metricName }
        for label in external where !labels.has(label.name) { pairs.append(label) }
        writer.writeSample(name: name, labels: pairs, value: value, timestamp: timestamp)
    }
}
