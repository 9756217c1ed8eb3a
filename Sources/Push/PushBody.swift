import Exposition
import PharosCore

/// A parsed push body: families by name, before the grouping labels are applied.
package struct PushBody: Sendable, Hashable {
    package var families: [String: PushedFamily]
    /// True when any sample line carried a timestamp (Pushgateway rejects such pushes).
    package var hasTimestamps: Bool

    package init(families: [String: PushedFamily] = [:], hasTimestamps: Bool = false) {
        self.families = families
        self.hasTimestamps = hasTimestamps
    }

    /// The protobuf content type Pushgateway also accepts; Pharos answers 415 to it.
    static let delimitedProtobuf = "application/vnd.google.protobuf"

    /// Parses a body in text format 0.0.4, the format Pushgateway falls back to for any
    /// content type other than delimited protobuf, which is refused with `.unsupportedMediaType`.
    ///
    /// Like Go's `expfmt.TextParser`, a second `# HELP` for a family, or a `# TYPE` after its
    /// HELP-less samples or a second one, is an error; samples named `<family>_bucket`, `_sum`,
    /// `_count` belong to a histogram/summary family declared by `# TYPE`.
    package static func parse(_ bytes: [UInt8], contentType: String?) throws(PushError) -> PushBody {
        if let contentType, contentType.lowercased().hasPrefix(delimitedProtobuf) {
            throw PushError(.unsupportedMediaType,
                            "protobuf delimited push bodies are not supported; push the text format (text/plain; version=0.0.4)")
        }
        var parser = ExpositionParser(bytes, format: .text004)
        var body = PushBody()
        var typed = Set<String>(), helped = Set<String>()
        var line = 1
        do throws(ExpositionError) {
            while true {
                line = parser.location.line
                guard let entry = try parser.next() else { break }
                switch entry {
                case .help:
                    let (name, text) = parser.currentHelp()
                    guard helped.insert(name).inserted else {
                        throw ExpositionError(.syntax, "second HELP line for metric name \(goQuote(name))", offset: 0, line: line, column: 1)
                    }
                    body.families[name, default: PushedFamily(name: name)].help = text
                case .type:
                    let (name, type) = parser.currentType()
                    guard typed.insert(name).inserted, body.families[name]?.samples.isEmpty ?? true else {
                        throw ExpositionError(.syntax, "second TYPE line for metric name \(goQuote(name)), or TYPE reported after samples", offset: 0, line: line, column: 1)
                    }
                    body.families[name, default: PushedFamily(name: name)].type = type
                case .series:
                    let labels = parser.currentLabels()
                    let name = labels.metricName ?? ""
                    let family = familyName(of: name, current: parser.familyName, type: parser.familyType)
                    if parser.timestamp != nil { body.hasTimestamps = true }
                    body.families[family, default: PushedFamily(name: family)].samples
                        .append(PushedSample(labels: labels, value: parser.value))
                default:
                    break
                }
            }
        } catch {
            throw PushError(.badRequest, "text format parsing error in line \(error.line ?? line): \(error.message)")
        }
        return body
    }

    static func familyName(of metric: String, current: String?, type: MetricType) -> String {
        guard let current, metric != current else { return metric }
        let suffixes: [String] = switch type {
        case .histogram, .gaugehistogram: ["_bucket", "_sum", "_count"]
        case .summary: ["_sum", "_count"]
        default: []
        }
        for suffix in suffixes where metric == current + suffix { return current }
        return metric
    }
}
