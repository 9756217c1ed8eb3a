import PharosCore
import PromQL
import PromQLParser

/// Facts about a parsed query the runner uses to classify evals.
enum ExprFacts {
    static let nativeHistogramFunctions: Set<String> = [
        "histogram_count", "histogram_sum", "histogram_avg", "histogram_stddev", "histogram_stdvar",
    ]

    static func children(_ expr: Expr) -> [Expr] {
        switch expr {
        case .number, .string, .vectorSelector: return []
        case .matrixSelector(let m): return [.vectorSelector(m.vectorSelector)]
        case .subquery(let s): return [s.expr]
        case .call(let c): return c.args
        case .aggregate(let a): return [a.expr] + (a.parameter.map { [$0] } ?? [])
        case .binary(let b): return [b.lhs, b.rhs]
        case .unary(let u): return [u.expr]
        case .paren(let p): return [p.expr]
        case .stepInvariant(let s): return [s.expr]
        }
    }

    static func any(_ expr: Expr, _ predicate: (Expr) -> Bool) -> Bool {
        predicate(expr) || children(expr).contains { any($0, predicate) }
    }

    static func usesExperimental(_ expr: Expr) -> Bool {
        any(expr) { node in
            switch node {
            case .call(let c): return c.function.experimental
            case .aggregate(let a): return a.op == .limitk || a.op == .limitRatio
            default: return false
            }
        }
    }

    static func usesNativeHistogramFunction(_ expr: Expr) -> Bool {
        any(expr) { node in
            if case .call(let c) = node { return nativeHistogramFunctions.contains(c.function.name) }
            return false
        }
    }

    /// The matcher lists of every selector.
    static func selectors(_ expr: Expr) -> [[LabelMatcher]] {
        var out: [[LabelMatcher]] = []
        func walk(_ node: Expr) {
            if case .vectorSelector(let s) = node { out.append(s.matchers) }
            children(node).forEach(walk)
        }
        walk(expr)
        return out
    }

    /// Text markers of experimental syntax, for queries the parser does not accept.
    static func looksExperimental(_ query: String) -> Bool {
        let markers = ["anchored", "smoothed", "fill(", "fill_left(", "fill_right(", "step()", "range()", "start()",
                       "end()", "min_of(", "max_of(", "info(", "limitk", "limit_ratio", "[-", "offset -(", "offset (", ">/", "</"]
        if markers.contains(where: { query.contains($0) }) { return true }
        // Duration arithmetic inside brackets: `[5m+1m]`, `[2*5m]`.
        var inBracket = false
        for ch in query {
            if ch == "[" { inBracket = true } else if ch == "]" { inBracket = false }
            else if inBracket, "+*/()".contains(ch) { return true }
        }
        return false
    }
}
