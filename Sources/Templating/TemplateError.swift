/// The one error of the Templating module.
///
/// `description` is Go's text exactly: parse errors `template: NAME:LINE: unexpected …`,
/// execution errors `template: NAME:LINE:COL: executing "NAME" at <.x>: …`, and a function's
/// own failure (wrapped by the executor in `error calling NAME: …`).
package struct TemplateError: Error, Sendable, CustomStringConvertible, Equatable {
    package struct Kind: Hashable, Sendable, CustomStringConvertible {
        private enum Base: Hashable, Sendable { case parse, execution, function, argument }
        private let base: Base
        /// The text is not a valid template (lexing or parsing failed).
        package static let parse = Kind(base: .parse)
        /// Executing the template failed.
        package static let execution = Kind(base: .execution)
        /// A function failed; the executor turns it into an execution error.
        package static let function = Kind(base: .function)
        /// A function was given an argument of the wrong type (Go's `wrong type for value; …`);
        /// the executor reports it without the `error calling` prefix, as Go's argument check does.
        package static let argument = Kind(base: .argument)
        package var description: String {
            switch base {
            case .parse: "parse"
            case .execution: "execution"
            case .function: "function"
            case .argument: "argument"
            }
        }
    }

    /// What failed; switch on it to tell bad input (`.parse`) from a failed run.
    package var kind: Kind
    /// The whole message, in Go's words.
    package var message: String
    /// For `.argument` errors: which argument (0-based) had the wrong type, and the Go type wanted.
    package var argument: ArgumentProblem?

    package struct ArgumentProblem: Sendable, Equatable {
        package var index: Int
        package var expected: String
    }

    package init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    /// A function's failure (`strconv.ParseFloat: parsing "x": invalid syntax`).
    package static func function(_ message: String) -> TemplateError { TemplateError(.function, message) }

    /// Go's `wrong type for value; expected string; got int`.
    package static func wrongType(expected: String, got value: TemplateValue, argument index: Int? = nil) -> TemplateError {
        var e = TemplateError(.argument, "wrong type for value; expected \(expected); got \(value.typeName)")
        e.argument = index.map { ArgumentProblem(index: $0, expected: expected) }
        return e
    }

    package var description: String { message }
}
