import Exposition
import PharosCore

/// A comparable snapshot of one parser entry, for tests.
enum ParsedEntry: Hashable, CustomStringConvertible {
    case help(String, String)
    case type(String, MetricType)
    case unit(String, String)
    case comment(String)
    case series(Labels, UInt64, Timestamp?, ExpositionExemplar?)
    case eof

    var description: String {
        switch self {
        case let .help(name, text): "HELP \(name) \(text)"
        case let .type(name, type): "TYPE \(name) \(type)"
        case let .unit(name, unit): "UNIT \(name) \(unit)"
        case let .comment(text): "# \(text)"
        case let .series(labels, bits, ts, ex): "\(labels) \(Double(bitPattern: bits)) \(ts.map(String.init) ?? "-")\(ex.map { " # \($0.labels) \($0.value) \($0.timestamp.map(String.init) ?? "-")" } ?? "")"
        case .eof: "EOF"
        }
    }

    static func series(_ labels: Labels, _ value: Double, _ ts: Timestamp? = nil, exemplar ex: ExpositionExemplar? = nil) -> ParsedEntry {
        .series(labels, value.bitPattern, ts, ex)
    }
}

/// Parses `bytes` to the end, returning the entries or the first error.
func parseAll(_ bytes: [UInt8], _ format: ExpositionFormat) -> (entries: [ParsedEntry], error: ExpositionError?) {
    var parser = ExpositionParser(bytes, format: format)
    var entries: [ParsedEntry] = []
    do {
        while let entry = try parser.next() {
            switch entry {
            case .help: let h = parser.currentHelp(); entries.append(.help(h.name, h.text))
            case .type: let t = parser.currentType(); entries.append(.type(t.name, t.type))
            case .unit: let u = parser.currentUnit(); entries.append(.unit(u.name, u.unit))
            case .comment: entries.append(.comment(parser.currentComment()))
            case .series:
                entries.append(.series(parser.currentLabels(), parser.value, parser.timestamp, exemplar: parser.currentExemplar()))
            case .eof: entries.append(.eof)
            }
        }
        return (entries, nil)
    } catch {
        return (entries, error)
    }
}

func parseAll(_ text: String, _ format: ExpositionFormat) -> (entries: [ParsedEntry], error: ExpositionError?) {
    parseAll(Array(text.utf8), format)
}

func labels(_ pairs: KeyValuePairs<String, String>) -> Labels {
    Labels(pairs.map { Label(name: $0.key, value: $0.value) })
}
