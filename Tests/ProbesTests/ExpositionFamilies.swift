import Foundation

/// A text exposition parsed into families for comparing two exporters' output.
struct ExpositionFamilies: Equatable, CustomStringConvertible {
    struct Family: Equatable {
        var help = ""
        var type = ""
        /// Samples by their label text (`{a="b"}` or "").
        var samples: [String: Double] = [:]
    }

    var families: [String: Family] = [:]

    init(_ text: String) {
        for line in text.split(separator: "\n") {
            if line.hasPrefix("# HELP ") {
                let rest = line.dropFirst(7)
                let name = String(rest.prefix { $0 != " " })
                families[name, default: Family()].help = String(rest.dropFirst(name.count + 1))
            } else if line.hasPrefix("# TYPE ") {
                let parts = line.split(separator: " ")
                families[String(parts[2]), default: Family()].type = String(parts[3])
            } else if !line.hasPrefix("#") {
                let nameEnd = line.firstIndex { $0 == "{" || $0 == " " } ?? line.endIndex
                let name = String(line[..<nameEnd])
                let valueStart = line.lastIndex(of: " ") ?? line.endIndex
                let labels = String(line[nameEnd..<valueStart])
                families[name, default: Family()].samples[labels] = Double(line[line.index(after: valueStart)...]) ?? .nan
            }
        }
    }

    /// Names, help, types and label sets (values left out).
    var shape: [String: String] {
        families.mapValues { family in
            "\(family.type)|\(family.help)|" + family.samples.keys.map { Self.labelNames($0) }.sorted().joined(separator: ";")
        }
    }

    static func labelNames(_ labels: String) -> String {
        guard !labels.isEmpty else { return "" }
        var names: [String] = []
        var inQuotes = false, current = "", escaped = false
        for character in labels.dropFirst().dropLast() {
            if inQuotes {
                if escaped { escaped = false } else if character == "\\" { escaped = true } else if character == "\"" { inQuotes = false }
            } else if character == "=" {
                names.append(current.trimmingCharacters(in: CharacterSet(charactersIn: ",")))
                current = ""
            } else if character == "\"" {
                inQuotes = true
            } else {
                current.append(character)
            }
        }
        return names.joined(separator: ",")
    }

    func value(_ name: String, _ labels: String = "") -> Double? { families[name]?.samples[labels] }

    var description: String { families.keys.sorted().map { "\($0): \(families[$0]!)" }.joined(separator: "\n") }
}
