import PharosCore
import PromQL
import PromQLParser

/// The reference harness's step-invariance variants (conformance README §1.9.1): the query
/// with `@ t` on every selector and subquery lacking one, run at several other times.
enum StepInvariance {
    /// Functions whose value depends on the evaluation time itself.
    private static let timeDependent: Set<String> = [
        "time", "timestamp", "predict_linear", "day_of_month", "day_of_week", "day_of_year", "days_in_month",
        "hour", "minute", "month", "year", "start", "end", "range", "step",
    ]

    /// Whether the variants apply to `expr`.
    static func applies(to expr: Expr) -> Bool {
        !ExprFacts.any(expr) { node in
            if case .call(let c) = node { return timeDependent.contains(c.function.name) }
            return false
        }
    }

    /// The evaluation times to re-run at, for an eval written at `t`.
    static func times(for t: Timestamp) -> [Timestamp] {
        t == 0 ? [-1000, 0, 1000] : [-10 * t, 0, t / 5, t, 10 * t]
    }

    /// `expr` with `@ time` pinned on selectors and subqueries (not inside pinned subqueries).
    static func pinned(_ expr: Expr, at time: Timestamp) -> Expr {
        func pin(_ node: Expr) -> Expr { pinned(node, at: time) }
        switch expr {
        case .number, .string: return expr
        case .vectorSelector(var s):
            if s.at == nil { s.at = .timestamp(time) }
            return .vectorSelector(s)
        case .matrixSelector(var m):
            if m.vectorSelector.at == nil { m.vectorSelector.at = .timestamp(time) }
            return .matrixSelector(m)
        case .subquery(var q):
            if q.at == nil { q.at = .timestamp(time) }
            return .subquery(q)
        case .call(var c):
            c.args = c.args.map(pin)
            return .call(c)
        case .aggregate(var a):
            a.expr = pin(a.expr)
            a.parameter = a.parameter.map(pin)
            return .aggregate(a)
        case .binary(var b):
            b.lhs = pin(b.lhs)
            b.rhs = pin(b.rhs)
            return .binary(b)
        case .unary(var u):
            u.expr = pin(u.expr)
            return .unary(u)
        case .paren(var p):
            p.expr = pin(p.expr)
            return .paren(p)
        case .stepInvariant(var s):
            s.expr = pin(s.expr)
            return .stepInvariant(s)
        }
    }
}
