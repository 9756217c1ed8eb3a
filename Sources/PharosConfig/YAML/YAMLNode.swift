import Yams

/// A YAML node with its position, detached from Yams so configs can keep it (`Sendable`).
///
/// Used for sections Pharos keeps raw for now (`alertmanager`, `probes`, …) and as the input
/// of the positioned decoder. Line and column are 1-based (0 when unknown).
package struct YAMLNode: Sendable, Hashable {
    package enum Kind: Sendable, Hashable {
        /// A scalar's text; `quoted` when single- or double-quoted (never null or a number).
        case scalar(String, quoted: Bool)
        case sequence([YAMLNode])
        case mapping([YAMLPair])
        case null
    }

    package var kind: Kind
    package var line: Int
    package var column: Int

    package init(_ kind: Kind, line: Int = 0, column: Int = 0) {
        self.kind = kind
        self.line = line
        self.column = column
    }

    /// What the node is, for messages: `a string`, `a sequence`, `a mapping`, `null`.
    package var kindName: String {
        switch kind {
        case .scalar: "a scalar"
        case .sequence: "a sequence"
        case .mapping: "a mapping"
        case .null: "null"
        }
    }

    /// The value for `key` in a mapping; nil when absent or not a mapping.
    package subscript(key: String) -> YAMLNode? {
        guard case .mapping(let pairs) = kind else { return nil }
        return pairs.first { $0.key == key }?.value
    }
}

/// One entry of a mapping: the key's text and position, and the value.
package struct YAMLPair: Sendable, Hashable {
    package var key: String
    package var keyLine: Int
    package var keyColumn: Int
    package var value: YAMLNode
}

extension YAMLNode {
    /// Parses the first YAML document of `text`; an empty document is `null`.
    /// Throws `ConfigError` (kind `syntax`) with the position libyaml reports.
    package static func parse(_ text: String, file: String) throws(ConfigError) -> YAMLNode {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw ConfigError.fromYams(error, file: file)
        } catch {
            throw ConfigError(.syntax, file: file, message: "cannot parse YAML: \(error)")
        }
        guard let root else { return YAMLNode(.null, line: 1, column: 1) }
        return try convert(root, file: file)
    }

    private static func convert(_ node: Node, file: String) throws(ConfigError) -> YAMLNode {
        let line = node.mark?.line ?? 0, column = node.mark?.column ?? 0
        switch node {
        case .scalar(let scalar):
            let quoted = scalar.style == .singleQuoted || scalar.style == .doubleQuoted
                || scalar.style == .literal || scalar.style == .folded
            if !quoted, ["", "~", "null", "Null", "NULL"].contains(scalar.string) {
                return YAMLNode(.null, line: line, column: column)
            }
            return YAMLNode(.scalar(scalar.string, quoted: quoted), line: line, column: column)
        case .sequence(let sequence):
            var items: [YAMLNode] = []
            for item in sequence { items.append(try convert(item, file: file)) }
            return YAMLNode(.sequence(items), line: line, column: column)
        case .mapping(let mapping):
            var pairs: [YAMLPair] = []
            var merged: [YAMLPair] = []
            for (key, value) in mapping {
                let keyLine = key.mark?.line ?? line, keyColumn = key.mark?.column ?? column
                guard case .scalar(let keyScalar) = key else {
                    throw ConfigError(.syntax, file: file, line: keyLine, column: keyColumn, message: "mapping keys must be scalars")
                }
                let converted = try convert(value, file: file)
                if keyScalar.string == "<<", keyScalar.style == .plain || keyScalar.style == .any {
                    merged += try mergeSources(converted, file: file)
                    continue
                }
                pairs.append(YAMLPair(key: keyScalar.string, keyLine: keyLine, keyColumn: keyColumn, value: converted))
            }
            // YAML merge keys (`<<: *defaults`): explicit keys win, earlier sources win.
            for pair in merged where !pairs.contains(where: { $0.key == pair.key }) { pairs.append(pair) }
            return YAMLNode(.mapping(pairs), line: line, column: column)
        case .alias:
            throw ConfigError(.syntax, file: file, line: line, column: column, message: "unresolved YAML alias")
        }
    }
}

extension YAMLNode {
    /// The pairs a `<<` value contributes: one mapping, or a sequence of mappings (first wins).
    fileprivate static func mergeSources(_ node: YAMLNode, file: String) throws(ConfigError) -> [YAMLPair] {
        switch node.kind {
        case .mapping(let pairs): return pairs
        case .sequence(let items):
            var out: [YAMLPair] = []
            for item in items {
                guard case .mapping(let pairs) = item.kind else {
                    throw ConfigError(.syntax, file: file, line: item.line, column: item.column,
                                      message: "a merge key (<<) takes a mapping or a list of mappings")
                }
                for pair in pairs where !out.contains(where: { $0.key == pair.key }) { out.append(pair) }
            }
            return out
        default:
            throw ConfigError(.syntax, file: file, line: node.line, column: node.column,
                              message: "a merge key (<<) takes a mapping or a list of mappings")
        }
    }
}

extension ConfigError {
    /// Maps a Yams error to one positioned line.
    static func fromYams(_ error: YamlError, file: String) -> ConfigError {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            var message = "cannot parse YAML: " + problem
            if let context { message += " (\(context.text) at line \(context.mark.line), column \(context.mark.column))" }
            return ConfigError(.syntax, file: file, line: mark.line, column: mark.column, message: message)
        case .duplicatedKeysInMapping(let duplicates, let context):
            let keys = duplicates.sorted().map { "\"\($0)\"" }.joined(separator: ", ")
            return ConfigError(.syntax, file: file, line: context.mark.line, column: context.mark.column,
                               message: "duplicate key \(keys) in mapping")
        case .reader(let problem, let offset, _, _):
            return ConfigError(.syntax, file: file, message: "cannot read YAML: \(problem) at byte \(offset ?? 0)")
        default:
            return ConfigError(.syntax, file: file, message: "cannot parse YAML: \(error)")
        }
    }
}
