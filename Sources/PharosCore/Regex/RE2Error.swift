/// A regular expression that does not parse, with Go's `regexp/syntax` wording.
///
/// `description` is Go's `error parsing regexp: <code>: `<expr>``, so callers that quote
/// Prometheus' messages can embed it unchanged.
package struct RE2Error: Error, Sendable, Hashable, CustomStringConvertible {
    /// What was wrong; the texts are Go's `syntax.ErrorCode` strings.
    package struct Code: Sendable, Hashable, CustomStringConvertible {
        package let text: String
        package var description: String { text }

        package static let invalidCharClass = Code(text: "invalid character class")
        package static let invalidCharRange = Code(text: "invalid character class range")
        package static let invalidEscape = Code(text: "invalid escape sequence")
        package static let invalidNamedCapture = Code(text: "invalid named capture")
        package static let invalidPerlOp = Code(text: "invalid or unsupported Perl syntax")
        package static let invalidRepeatOp = Code(text: "invalid nested repetition operator")
        package static let invalidRepeatSize = Code(text: "invalid repeat count")
        package static let missingBracket = Code(text: "missing closing ]")
        package static let missingParen = Code(text: "missing closing )")
        package static let missingRepeatArgument = Code(text: "missing argument to repetition operator")
        package static let trailingBackslash = Code(text: "trailing backslash at end of expression")
        package static let unexpectedParen = Code(text: "unexpected )")
        package static let nestingDepth = Code(text: "expression nests too deeply")
        package static let large = Code(text: "expression too large")
    }

    package let code: Code
    /// The offending part of the expression, as Go reports it (sometimes the whole pattern).
    package let expression: String

    package init(_ code: Code, _ expression: String) {
        self.code = code
        self.expression = expression
    }

    package var description: String { "error parsing regexp: \(code.text): `\(expression)`" }
}
