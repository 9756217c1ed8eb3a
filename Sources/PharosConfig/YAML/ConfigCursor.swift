import PharosCore

/// A node under decoding, with what errors need: the file, the key path and the folder that
/// relative file names are resolved against. Cheap to copy; not retained after decoding.
package struct ConfigCursor {
    package let node: YAMLNode
    package let path: String
    package let file: String
    /// The config file's folder ("" or "." keeps relative paths as written).
    package let directory: String
    /// Variables for `$VAR` expansion where Prometheus expands them (external labels).
    package let environment: [String: String]
    /// Where `note(_:)` collects accepted-but-ignored settings; shared by all derived cursors.
    package let notices: ConfigNotices

    package init(root: YAMLNode, file: String, directory: String, environment: [String: String] = [:]) {
        node = root
        path = ""
        self.file = file
        self.directory = directory
        self.environment = environment
        notices = ConfigNotices()
    }

    /// A cursor on a node kept raw earlier (a section modelled by a later module), so its
    /// errors carry the original file, position and key path.
    package init(node: YAMLNode, path: String, file: String, directory: String, environment: [String: String] = [:]) {
        self.node = node
        self.path = path
        self.file = file
        self.directory = directory
        self.environment = environment
        notices = ConfigNotices()
    }

    private init(_ parent: ConfigCursor, node: YAMLNode, path: String) {
        self.node = node
        self.path = path
        file = parent.file
        directory = parent.directory
        environment = parent.environment
        notices = parent.notices
    }

    package func child(_ key: String, _ node: YAMLNode) -> ConfigCursor {
        ConfigCursor(self, node: node, path: path.isEmpty ? key : path + "." + key)
    }

    package func element(_ index: Int, _ node: YAMLNode) -> ConfigCursor {
        ConfigCursor(self, node: node, path: path + "[\(index)]")
    }

    /// An error located at this node.
    package func fail(_ kind: ConfigError.Kind, _ message: String) -> ConfigError {
        ConfigError(kind, file: file, line: node.line, column: node.column, keyPath: path, message: message)
    }

    /// Records that this node was accepted but has no effect (yet); see `PharosConfig.notices`.
    package func note(_ message: String) {
        notices.items.append(ConfigNotice(file: file, line: node.line, column: node.column, keyPath: path, message: message))
    }

    /// An `invalidValue` error located at this node.
    package func fail(_ message: String) -> ConfigError { fail(.invalidValue, message) }

    package var isNull: Bool { node.kind == .null }

    // MARK: Scalars

    /// The scalar's text (numbers and booleans included, as written).
    package func string() throws(ConfigError) -> String {
        guard case .scalar(let text, _) = node.kind else {
            throw fail("expected a string, got \(node.kindName)")
        }
        return text
    }

    /// YAML 1.1 booleans as gopkg.in/yaml.v2 reads them (true/false/yes/no/on/off).
    package func bool() throws(ConfigError) -> Bool {
        let text = try string()
        switch text.lowercased() {
        case "true", "yes", "on", "y": return true
        case "false", "no", "off", "n": return false
        default: throw fail("cannot parse \(goQuote(text)) as a boolean (use true or false)")
        }
    }

    package func uint64() throws(ConfigError) -> UInt64 {
        let text = try string()
        guard let value = UInt64(text.filter { $0 != "_" }) else {
            throw fail("cannot parse \(goQuote(text)) as an unsigned integer")
        }
        return value
    }

    package func int() throws(ConfigError) -> Int {
        let text = try string()
        guard let value = Int(text.filter { $0 != "_" }) else {
            throw fail("cannot parse \(goQuote(text)) as an integer")
        }
        return value
    }

    package func duration() throws(ConfigError) -> PrometheusDuration {
        let text = try string()
        do {
            return try PrometheusDuration(parsing: text)
        } catch {
            throw fail(error.description)
        }
    }

    /// A file name, joined to the config's folder when relative (Prometheus' `JoinDir`).
    package func filePath() throws(ConfigError) -> String {
        resolve(try string())
    }

    package func resolve(_ name: String) -> String {
        if name.isEmpty || name.hasPrefix("/") || directory.isEmpty || directory == "." { return name }
        return directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }

    // MARK: Collections

    /// The items of a sequence; null is the empty sequence.
    package func sequence() throws(ConfigError) -> [ConfigCursor] {
        switch node.kind {
        case .null: return []
        case .sequence(let items): return items.enumerated().map { element($0.offset, $0.element) }
        default: throw fail("expected a sequence, got \(node.kindName)")
        }
    }

    package func stringList() throws(ConfigError) -> [String] {
        var out: [String] = []
        for item in try sequence() { out.append(try item.string()) }
        return out
    }

    /// A mapping of strings to strings, in document order; null is empty.
    package func stringPairs() throws(ConfigError) -> [(String, String)] {
        switch node.kind {
        case .null: return []
        case .mapping(let pairs):
            var out: [(String, String)] = []
            for pair in pairs {
                let value = child(pair.key, pair.value)
                out.append((pair.key, value.isNull ? "" : try value.string()))
            }
            return out
        default: throw fail("expected a mapping, got \(node.kindName)")
        }
    }

    package func stringMap() throws(ConfigError) -> [String: String] {
        var out: [String: String] = [:]
        for (key, value) in try stringPairs() { out[key] = value }
        return out
    }

    /// A label set (`labels:`, `external_labels:`) with Prometheus' name checks.
    package func labels(_ validation: LabelNameValidationScheme = .utf8) throws(ConfigError) -> Labels {
        var out: [Label] = []
        if case .mapping(let pairs) = node.kind {
            for pair in pairs where !validation.isValid(pair.key) {
                throw ConfigError(.invalidValue, file: file, line: pair.keyLine, column: pair.keyColumn,
                                  keyPath: child(pair.key, pair.value).path,
                                  message: "\(goQuote(pair.key)) is not a valid label name")
            }
        }
        for (name, value) in try stringPairs() { out.append(Label(name: name, value: value)) }
        return Labels(out)
    }

    /// Opens a mapping for keyed reads; call `finish()` to reject unknown keys.
    package func mapping(_ typeName: String) throws(ConfigError) -> MappingReader {
        switch node.kind {
        case .mapping, .null: return MappingReader(self, typeName: typeName)
        default: throw fail("expected a mapping (\(typeName)), got \(node.kindName)")
        }
    }
}

/// Label-name rule for config-supplied names (Prometheus' `metric_name_validation_scheme`).
package typealias LabelNameValidationScheme = LabelNameValidation

/// Keyed access to one mapping that remembers which keys were read.
package final class MappingReader {
    package let cursor: ConfigCursor
    private let typeName: String
    private var seen: Set<String> = []

    init(_ cursor: ConfigCursor, typeName: String) {
        self.cursor = cursor
        self.typeName = typeName
    }

    /// The value of `key`, or nil when absent or null. Marks the key as known.
    package func take(_ key: String) -> ConfigCursor? {
        seen.insert(key)
        guard case .mapping(let pairs) = cursor.node.kind,
              let pair = pairs.first(where: { $0.key == key }) else { return nil }
        let child = cursor.child(key, pair.value)
        return child.isNull ? nil : child
    }

    /// True when `key` is present with a null value (`key:` or `key: null`); marks it known.
    /// Go's YAML decoder resets such fields to their zero value, which differs from a default.
    package func isExplicitNull(_ key: String) -> Bool {
        seen.insert(key)
        guard case .mapping(let pairs) = cursor.node.kind, let pair = pairs.first(where: { $0.key == key }) else { return false }
        return pair.value.kind == .null
    }

    /// Marks `keys` as accepted without reading them.
    package func ignore(_ keys: String...) { seen.formUnion(keys) }

    /// Throws for the first key that was never taken.
    package func finish() throws(ConfigError) {
        guard case .mapping(let pairs) = cursor.node.kind else { return }
        for pair in pairs where !seen.contains(pair.key) {
            throw ConfigError(.unknownField, file: cursor.file, line: pair.keyLine, column: pair.keyColumn,
                              keyPath: cursor.child(pair.key, pair.value).path,
                              message: "field \(pair.key) not found in type \(typeName)")
        }
    }

    // Typed conveniences: absent or null keys return nil.
    package func string(_ key: String) throws(ConfigError) -> String? { try take(key)?.string() }
    package func bool(_ key: String) throws(ConfigError) -> Bool? { try take(key)?.bool() }
    package func uint64(_ key: String) throws(ConfigError) -> UInt64? { try take(key)?.uint64() }
    package func int(_ key: String) throws(ConfigError) -> Int? { try take(key)?.int() }
    package func duration(_ key: String) throws(ConfigError) -> PrometheusDuration? { try take(key)?.duration() }
    package func filePath(_ key: String) throws(ConfigError) -> String? { try take(key)?.filePath() }
    package func stringList(_ key: String) throws(ConfigError) -> [String]? { try take(key)?.stringList() }
    package func stringMap(_ key: String) throws(ConfigError) -> [String: String]? { try take(key)?.stringMap() }
    /// A raw node kept for later modelling (nil when absent or null).
    package func raw(_ key: String) -> YAMLNode? { take(key)?.node }
}

/// A setting that loads but does nothing in Pharos (yet), with its position, for
/// `pharos check config` and the startup log. `description` has ConfigError's one-line shape.
package struct ConfigNotice: Sendable, Hashable, CustomStringConvertible {
    package var file: String
    package var line: Int
    package var column: Int
    package var keyPath: String
    package var message: String

    package var description: String {
        ConfigError(.invalidConfig, file: file, line: line, column: column, keyPath: keyPath, message: message).description
    }
}

/// The shared sink of notices during one decode.
package final class ConfigNotices {
    package var items: [ConfigNotice] = []
    init() {}
}
