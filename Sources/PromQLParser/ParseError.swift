/// A PromQL parse or type-check failure, printed as Prometheus prints it:
/// `1:15: parse error: unexpected ")"` (line and byte column of the range start, 1-based).
package struct ParseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong, broadly. Extensible: switch with a `default`.
    package struct Kind: Hashable, Sendable, CustomStringConvertible {
        private enum Base: Hashable, Sendable { case lexical, syntax, semantic }
        private let base: Base
        /// The lexer rejected the text (bad character, unterminated string, bad number).
        package static let lexical = Kind(base: .lexical)
        /// Tokens in an order the grammar does not allow.
        package static let syntax = Kind(base: .syntax)
        /// Well-formed but invalid: types, argument counts, duplicate modifiers.
        package static let semantic = Kind(base: .semantic)
        package var description: String { "\(base)" }
    }

    package var kind: Kind
    /// The byte range the error refers to.
    package var position: PositionRange
    /// Prometheus' message, without the position prefix.
    package var message: String
    /// 1-based line of `position.start`.
    package var line: Int
    /// 1-based byte column of `position.start` in its line.
    package var column: Int

    package init(kind: Kind, position: PositionRange, message: String, in input: [UInt8]) {
        self.kind = kind
        self.position = position
        self.message = message
        var line = 1
        var lastBreak = -1
        let end = min(max(position.start, 0), input.count)
        for i in 0..<end where input[i] == UInt8(ascii: "\n") {
            line += 1
            lastBreak = i
        }
        self.line = line
        self.column = end - lastBreak
    }

    package var description: String { "\(line):\(column): parse error: \(message)" }
}
