/// Why a configuration (or a file it references) was rejected. The one error type of PharosConfig.
///
/// `description` is one line, `file:line:column: key.path: message`, e.g.
/// `prometheus.yml:14:5: scrape_configs[2].scrape_interval: invalid duration "5x": unknown unit "x" (use ms, s, m, h, d, w, y)`.
/// Parts that are unknown are left out (no position for I/O errors, no key path for syntax errors).
package struct ConfigError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Extensible kind: new kinds may be added without breaking callers.
    package struct Kind: Hashable, Sendable, CustomStringConvertible {
        private enum Base: Hashable, Sendable { case io, syntax, invalidValue, unknownField, invalidConfig }
        private let base: Base
        /// The file could not be read.
        package static let io = Kind(base: .io)
        /// The text is not well-formed YAML or JSON.
        package static let syntax = Kind(base: .syntax)
        /// A value has the wrong type or format (a duration, a number, a label name…).
        package static let invalidValue = Kind(base: .invalidValue)
        /// A key that the section does not define.
        package static let unknownField = Kind(base: .unknownField)
        /// Values that are each fine but not together (timeout above interval, duplicate jobs…).
        package static let invalidConfig = Kind(base: .invalidConfig)
        package var description: String { "\(base)" }
    }

    package var kind: Kind
    /// The file as the caller named it.
    package var file: String
    /// 1-based line and column of the offending node; 0 when unknown.
    package var line: Int
    package var column: Int
    /// `scrape_configs[2].scrape_interval`; empty for the document itself.
    package var keyPath: String
    /// What was wrong and, where it helps, how to fix it.
    package var message: String

    package init(_ kind: Kind, file: String, line: Int = 0, column: Int = 0, keyPath: String = "", message: String) {
        self.kind = kind
        self.file = file
        self.line = line
        self.column = column
        self.keyPath = keyPath
        self.message = message
    }

    package var description: String {
        var out = file
        if line > 0 { out += ":\(line):\(column)" }
        out += ": "
        if !keyPath.isEmpty { out += keyPath + ": " }
        return out + message
    }
}
