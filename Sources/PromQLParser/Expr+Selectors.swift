import PharosCore

extension Expr {
    /// The matchers of every vector selector in the expression, range selectors' included, in
    /// depth-first order (Prometheus' `parser.ExtractSelectors`, which `/api/v1/query_exemplars`
    /// uses to pick series). Empty for expressions without selectors, such as `1 + 1`.
    package var selectors: [[LabelMatcher]] {
        var found: [[LabelMatcher]] = []
        collectSelectors(into: &found)
        return found
    }

    private func collectSelectors(into found: inout [[LabelMatcher]]) {
        switch self {
        case .number, .string:
            break
        case .vectorSelector(let selector):
            found.append(selector.matchers)
        case .matrixSelector(let selector):
            found.append(selector.vectorSelector.matchers)
        case .subquery(let subquery):
            subquery.expr.collectSelectors(into: &found)
        case .call(let call):
            for argument in call.args { argument.collectSelectors(into: &found) }
        case .aggregate(let aggregate):
            aggregate.parameter?.collectSelectors(into: &found)
            aggregate.expr.collectSelectors(into: &found)
        case .binary(let binary):
            binary.lhs.collectSelectors(into: &found)
            binary.rhs.collectSelectors(into: &found)
        case .unary(let unary):
            unary.expr.collectSelectors(into: &found)
        case .paren(let paren):
            paren.expr.collectSelectors(into: &found)
        case .stepInvariant(let wrapper):
            wrapper.expr.collectSelectors(into: &found)
        }
    }
}
