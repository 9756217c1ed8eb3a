/// The one error type of the Exposition module: exposition text, snappy blocks and
/// remote-write protobuf bodies all report through it.
///
/// `description` is one line, `where: what`: `line 212, column 18: expected a value after the
/// label set, got "#"` for text (line and column are 1-based, columns count bytes), or
/// `at byte 123: truncated varint` for binary bodies. `offset` is always the byte offset into
/// the input where the problem was found.
package struct ExpositionError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong, extensible without breaking callers (switch with a default).
    package struct Kind: Hashable, Sendable, CustomStringConvertible {
        private enum Base: Hashable, Sendable { case syntax, limit, snappy, protobuf }
        private let base: Base
        /// Malformed exposition text (bad token, bad escape, invalid UTF-8, missing `# EOF`, …).
        package static let syntax = Kind(base: .syntax)
        /// A configured limit (line length, decoded size) was exceeded.
        package static let limit = Kind(base: .limit)
        /// A corrupt or truncated snappy block.
        package static let snappy = Kind(base: .snappy)
        /// A corrupt or truncated protobuf message.
        package static let protobuf = Kind(base: .protobuf)
        package var description: String { "\(base)" }
    }

    package var kind: Kind
    package var message: String
    /// Byte offset into the input.
    package var offset: Int
    /// 1-based line for text inputs; nil for binary inputs.
    package var line: Int?
    /// 1-based byte column for text inputs; nil for binary inputs.
    package var column: Int?

    package init(_ kind: Kind, _ message: String, offset: Int, line: Int? = nil, column: Int? = nil) {
        self.kind = kind
        self.message = message
        self.offset = offset
        self.line = line
        self.column = column
    }

    package var description: String {
        if let line, let column { return "line \(line), column \(column): \(message)" }
        return "at byte \(offset): \(message)"
    }
}
