import PharosConfig

/// Why a rule file, a rule or an evaluation was rejected. The one error type of Rules.
///
/// `description` is one line, `file:line:column: what`, where `what` keeps Prometheus' rulefmt
/// wording so messages read like promtool's, e.g.
/// `rules.yml:5:15: group "api", rule 1, "job:up:sum": could not parse expression: 1:6: parse error: unexpected ")"`.
/// The position is left out when unknown.
package struct RuleError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Extensible kind: new kinds may be added without breaking callers.
    package struct Kind: Hashable, Sendable, CustomStringConvertible {
        private enum Base: Hashable, Sendable { case io, syntax, unknownField, invalidRule, evaluation, limit }
        private let base: Base
        /// The file could not be read (or a glob could not be expanded).
        package static let io = Kind(base: .io)
        /// Not well-formed YAML, or a value of the wrong type.
        package static let syntax = Kind(base: .syntax)
        /// A key rulefmt does not define (Go's strict `KnownFields`).
        package static let unknownField = Kind(base: .unknownField)
        /// A rule or group that breaks rulefmt's validation.
        package static let invalidRule = Kind(base: .invalidRule)
        /// The rule's query failed or its result broke a rule invariant (duplicate labelsets…).
        package static let evaluation = Kind(base: .evaluation)
        /// The group's `limit` was exceeded.
        package static let limit = Kind(base: .limit)
        package var description: String { "\(base)" }
    }

    package var kind: Kind
    package var file: String
    /// 1-based; 0 when unknown.
    package var line: Int
    package var column: Int
    package var message: String

    package init(_ kind: Kind, file: String = "", line: Int = 0, column: Int = 0, message: String) {
        self.kind = kind
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    package init(_ error: ConfigError) {
        let kind: Kind = error.kind == .unknownField ? .unknownField : error.kind == .io ? .io : .syntax
        let message = error.keyPath.isEmpty ? error.message : error.keyPath + ": " + error.message
        self.init(kind, file: error.file, line: error.line, column: error.column, message: message)
    }

    package var description: String {
        var out = file
        if line > 0 { out += out.isEmpty ? "\(line):\(column)" : ":\(line):\(column)" }
        if !out.isEmpty { out += ": " }
        return out + message
    }
}
