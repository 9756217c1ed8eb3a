import PharosCore
import PromQLParser

/// Replaces experimental duration expressions that depend on `step()`/`range()` with
/// milliseconds for one query, before planning and evaluation.
enum DurationResolver {
    static func resolve(_ expr: Expr, step: Int64, range: Int64) throws(QueryError) -> Expr {
        func ms(_ duration: DurationExpr) throws(QueryError) -> Int64 {
            guard let seconds = duration.seconds(step: Double(step) / 1000, range: Double(range) / 1000), seconds.isFinite else {
                throw QueryError(.execution, "invalid duration expression: division by zero")
            }
            // As Go: float seconds → integer nanoseconds (truncating) → milliseconds.
            return Int64(seconds * 1e9) / 1_000_000
        }
        func walk(_ node: Expr) throws(QueryError) -> Expr { try resolve(node, step: step, range: range) }
        switch expr {
        case .number, .string: return expr
        case .vectorSelector(var s):
            if let offset = s.offsetExpr { s.offset = try ms(offset); s.offsetExpr = nil }
            return .vectorSelector(s)
        case .matrixSelector(var m):
            if let offset = m.vectorSelector.offsetExpr { m.vectorSelector.offset = try ms(offset); m.vectorSelector.offsetExpr = nil }
            if let range = m.rangeExpr { m.range = try ms(range); m.rangeExpr = nil }
            if m.range <= 0 { throw QueryError(.execution, "range selector duration must be greater than 0") }
            return .matrixSelector(m)
        case .subquery(var q):
            q.expr = try walk(q.expr)
            if let offset = q.offsetExpr { q.offset = try ms(offset); q.offsetExpr = nil }
            if let range = q.rangeExpr { q.range = try ms(range); q.rangeExpr = nil }
            if let stepExpr = q.stepExpr { q.step = try ms(stepExpr); q.stepExpr = nil }
            return .subquery(q)
        case .call(var c):
            var args: [Expr] = []
            for arg in c.args { args.append(try walk(arg)) }
            c.args = args
            return .call(c)
        case .aggregate(var a):
            a.expr = try walk(a.expr)
            if let parameter = a.parameter { a.parameter = try walk(parameter) }
            return .aggregate(a)
        case .binary(var b):
            b.lhs = try walk(b.lhs)
            b.rhs = try walk(b.rhs)
            return .binary(b)
        case .unary(var u):
            u.expr = try walk(u.expr)
            return .unary(u)
        case .paren(var p):
            p.expr = try walk(p.expr)
            return .paren(p)
        case .stepInvariant(var s):
            s.expr = try walk(s.expr)
            return .stepInvariant(s)
        }
    }
}
