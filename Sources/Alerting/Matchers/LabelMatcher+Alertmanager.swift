import PharosCore

extension MatchType {
    /// Alertmanager's `labels.MatchType` order (=, !=, =~, !~), the last sort key of matchers.
    var alertmanagerRank: Int {
        switch self {
        case .equal: 0
        case .notEqual: 1
        case .regexMatch: 2
        case .regexNoMatch: 3
        }
    }
}

extension LabelMatcher {
    /// `name="value"` with the value escaped like OpenMetrics (`\\`, `\n`, `\"`), as Alertmanager
    /// prints matchers in route keys and group keys. A name with a space or one of
    /// `{}!=~,\"'` and backtick is Go-quoted with its value, as Alertmanager 0.27 prints it.
    package var alertmanagerDescription: String {
        if name.unicodeScalars.contains(where: { $0.properties.isWhitespace || "{}!=~,\\\"'`".unicodeScalars.contains($0) }) {
            return goQuote(name) + type.rawValue + goQuote(value)
        }
        var escaped = ""
        for character in value.unicodeScalars {
            switch character {
            case "\\": escaped += "\\\\"
            case "\n": escaped += "\\n"
            case "\"": escaped += "\\\""
            default: escaped.unicodeScalars.append(character)
            }
        }
        return "\(name)\(type.rawValue)\"\(escaped)\""
    }
}

extension Array where Element == LabelMatcher {
    /// Sorted by name, then value, then match type, as Alertmanager's `labels.Matchers` sort.
    package var alertmanagerSorted: [LabelMatcher] {
        sorted { a, b in
            // Byte-wise, as Go compares strings.
            if a.name != b.name { return a.name.utf8.lexicographicallyPrecedes(b.name.utf8) }
            if a.value != b.value { return a.value.utf8.lexicographicallyPrecedes(b.value.utf8) }
            return a.type.alertmanagerRank < b.type.alertmanagerRank
        }
    }

    /// `{a="b",c=~"d"}`: Alertmanager's `Matchers.String()`.
    package var alertmanagerDescription: String {
        "{" + map(\.alertmanagerDescription).joined(separator: ",") + "}"
    }
}
