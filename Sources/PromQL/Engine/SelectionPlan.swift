import PharosCore
import PromQLParser

/// Every selector of a query with the time range its samples are needed for, found before
/// evaluation so that all selection (the only async work) happens up front.
struct SelectionPlan {
    private(set) var selectors: [VectorSelector: (min: Timestamp, max: Timestamp)] = [:]
    private(set) var minTime: Timestamp = .max
    private(set) var maxTime: Timestamp = .min

    init(_ expr: Expr, steps: StepRange, lookback: Int64, defaultSubqueryStep: Int64) {
        visit(expr, low: steps.start, high: steps.end, lookback: lookback, queryStart: steps.start, queryEnd: steps.end)
        if minTime > maxTime { (minTime, maxTime) = (steps.start, steps.end) }
    }

    private static func pinned(_ at: AtModifier?, _ start: Timestamp, _ end: Timestamp) -> Timestamp? {
        switch at {
        case .timestamp(let t): return t
        case .start: return start
        case .end: return end
        case nil: return nil
        }
    }

    private mutating func add(_ selector: VectorSelector, low: Timestamp, high: Timestamp) {
        let known = selectors[selector]
        selectors[selector] = (min(known?.min ?? low, low), max(known?.max ?? high, high))
        minTime = min(minTime, low)
        maxTime = max(maxTime, high)
    }

    private mutating func visit(_ expr: Expr, low: Timestamp, high: Timestamp, lookback: Int64,
                                queryStart: Timestamp, queryEnd: Timestamp) {
        func recurse(_ child: Expr, _ low: Timestamp, _ high: Timestamp) {
            visit(child, low: low, high: high, lookback: lookback, queryStart: queryStart, queryEnd: queryEnd)
        }
        switch expr {
        case .number, .string: return
        case .vectorSelector(let s):
            let t = Self.pinned(s.at, queryStart, queryEnd)
            add(s, low: (t ?? low) - s.offset - lookback, high: (t ?? high) - s.offset + (s.smoothed ? lookback : 0))
        case .matrixSelector(let m):
            let s = m.vectorSelector
            let t = Self.pinned(s.at, queryStart, queryEnd)
            // Extended (anchored/smoothed) windows also read one sample either side, within the lookback.
            let before = s.anchored || s.smoothed ? lookback : 0, after = s.smoothed ? lookback : 0
            add(s, low: (t ?? low) - s.offset - m.range - before, high: (t ?? high) - s.offset + after)
        case .subquery(let q):
            let t = Self.pinned(q.at, queryStart, queryEnd)
            recurse(q.expr, (t ?? low) - q.offset - q.range, (t ?? high) - q.offset)
        case .call(let c) where c.function.name == "info":
            // Info series are read at the times the first argument reads; select over its range.
            let before = selectors
            recurse(c.args[0], low, high)
            var infoLow = Timestamp.max, infoHigh = Timestamp.min
            for (selector, range) in selectors where before[selector] == nil {
                infoLow = min(infoLow, range.min)
                infoHigh = max(infoHigh, range.max)
            }
            if infoLow <= infoHigh { add(InfoFunction.selector(for: c), low: infoLow, high: infoHigh) }
        case .call(let c): c.args.forEach { recurse($0, low, high) }
        case .aggregate(let a):
            recurse(a.expr, low, high)
            if let p = a.parameter { recurse(p, low, high) }
        case .binary(let b):
            recurse(b.lhs, low, high)
            recurse(b.rhs, low, high)
        case .unary(let u): recurse(u.expr, low, high)
        case .paren(let p): recurse(p.expr, low, high)
        case .stepInvariant(let s): recurse(s.expr, low, high)
        }
    }
}
