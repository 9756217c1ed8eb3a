import Exposition
import PharosCore

/// A text 0.0.4 body read back through Pharos' exposition parser: per family its help, type
/// and samples keyed by their labels without `__name__`.
struct ScrapedFamilies {
    struct Family {
        var help: String?
        var type: MetricType = .unknown
        var samples: [Labels: Double] = [:]
    }

    var families: [String: Family] = [:]

    init(_ bytes: [UInt8]) throws {
        var parser = ExpositionParser(bytes, format: .text004)
        while let entry = try parser.next() {
            switch entry {
            case .help:
                let (name, text) = parser.currentHelp()
                families[name, default: Family()].help = text
            case .type:
                let (name, type) = parser.currentType()
                families[name, default: Family()].type = type
            case .series:
                let labels = parser.currentLabels()
                let name = labels.metricName ?? ""
                let rest = Labels(labels.filter { $0.name != Labels.metricName })
                families[name, default: Family()].samples[rest] = parser.value
            default: break
            }
        }
    }

    init(_ text: String) throws { try self.init(Array(text.utf8)) }

    /// The families whose names start with `node_`, without node_exporter's own build info.
    var nodeFamilies: [String: Family] {
        families.filter { $0.key.hasPrefix("node_") && $0.key != "node_exporter_build_info" }
    }
}
