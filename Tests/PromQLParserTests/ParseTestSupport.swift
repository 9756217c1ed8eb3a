import PharosCore
@testable import PromQLParser

/// Parses or returns the error, so tests can switch on the outcome without typed-throws noise.
func parseResult(_ text: String) -> Result<Expr, ParseError> {
    Result { () throws(ParseError) -> Expr in try parseExpr(text) }
}

func parsed(_ text: String) -> Expr? { try? parseResult(text).get() }

func parseErrorText(_ text: String) -> String? {
    if case .failure(let error) = parseResult(text) { return error.description }
    return nil
}

func pos(_ start: Int, _ end: Int) -> PositionRange { PositionRange(start: start, end: end) }

func selector(_ name: String, _ range: PositionRange, _ extra: [LabelMatcher] = [], offset: Int64 = 0,
              at: AtModifier? = nil) -> VectorSelector {
    VectorSelector(name: name, matchers: extra + [.equal("__name__", name)], offset: offset, at: at, position: range)
}

func number(_ value: Double, _ range: PositionRange) -> Expr { .number(NumberLiteral(value: value, position: range)) }
