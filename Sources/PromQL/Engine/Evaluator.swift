import PharosCore
import PromQLParser

/// Evaluates one parsed query over a step range against series selected up front.
///
/// Not thread-safe: one evaluator per query. Vector selectors read their series once per
/// evaluation with a forward-only iterator; range functions slide a window along each series.
final class Evaluator {
    let options: EngineOptions
    /// The query's own start and end (what `@ start()` / `@ end()` mean, also inside subqueries).
    let queryStart: Timestamp
    let queryEnd: Timestamp
    /// The query's step in ms (0 for instant queries), what `step()` reports.
    let queryStep: Int64
    let selected: [VectorSelector: [any Series]]
    let positions: QueryPositions
    var annotations = Annotations()
    private let deadline: ContinuousClock.Instant
    private var checks = 0

    init(options: EngineOptions, queryStart: Timestamp, queryEnd: Timestamp, queryStep: Int64,
         selected: [VectorSelector: [any Series]], positions: QueryPositions) {
        self.options = options
        self.queryStart = queryStart
        self.queryEnd = queryEnd
        self.queryStep = queryStep
        self.selected = selected
        self.positions = positions
        self.deadline = ContinuousClock.now.advanced(by: options.timeout)
    }

    /// Throws on timeout or cancellation; cheap enough to call per series.
    func checkInterrupts() throws(QueryError) {
        checks &+= 1
        if checks & 63 != 0 { return }
        if Task.isCancelled { throw QueryError(.canceled, "query was canceled in query execution") }
        if ContinuousClock.now > deadline { throw QueryError(.timeout, "query timed out in query execution") }
    }

    /// The labels that go when a function or operator drops the metric name.
    var nameLabels: [String] {
        options.enableTypeAndUnitLabels ? [Labels.metricName, "__type__", "__unit__"] : [Labels.metricName]
    }

    /// `labels` without the `nameLabels`; the usual `__name__`-only case allocates no name set.
    func removingNameLabels(_ labels: Labels) -> Labels {
        options.enableTypeAndUnitLabels ? labels.removing(nameLabels) : labels.removingMetricName()
    }

    func tooManySamples() -> QueryError {
        QueryError(.execution, "query processing would load too many samples into memory in query execution")
    }

    /// Resolves an `@` modifier to its timestamp.
    func resolve(_ at: AtModifier) -> Timestamp {
        switch at {
        case .timestamp(let t): return t
        case .start: return queryStart
        case .end: return queryEnd
        }
    }

    func eval(_ expr: Expr, _ steps: StepRange) throws(QueryError) -> EvalValue {
        try checkInterrupts()
        switch expr {
        case .number(let n):
            return .scalar(Array(repeating: n.value, count: steps.stepCount))
        case .string(let s):
            return .string(s.value)
        case .paren(let p):
            return try eval(p.expr, steps)
        case .stepInvariant(let s):
            return try eval(s.expr, steps)
        case .unary(let u):
            let inner = try eval(u.expr, steps)
            guard u.op == .sub else { return inner }
            switch inner {
            case .scalar(let values): return .scalar(values.map { -$0 })
            case .vector(let vectors):
                return .vector(vectors.map { vector in
                    vector.map { element in
                        var negated = droppingName(element)
                        negated.value = -negated.value
                        return negated
                    }
                })
            default: throw QueryError(.execution, "unary expression only allowed on expressions of type scalar or instant vector")
            }
        case .vectorSelector(let selector):
            return .vector(try evalVectorSelector(selector, steps))
        case .matrixSelector(let matrix):
            return .matrix(try evalMatrixSelector(matrix, at: steps.start))
        case .subquery(let subquery):
            let time = subquery.at.map(resolve) ?? steps.start
            return .matrix(try evalSubqueryWindow(subquery, at: time))
        case .binary(let binary):
            return try evalBinary(binary, steps)
        case .aggregate(let aggregate):
            return try evalAggregate(aggregate, steps)
        case .call(let call):
            return try evalCall(call, steps)
        }
    }

    /// Evaluates an expression that must yield one vector per step.
    func evalVectors(_ expr: Expr, _ steps: StepRange) throws(QueryError) -> [Vector] {
        switch try eval(expr, steps) {
        case .vector(let vectors): return vectors
        case .scalar(let values):
            return values.enumerated().map { [VectorElement(labels: .empty, value: $0.element, timestamp: steps.time($0.offset))] }
        default: throw QueryError(.execution, "expected instant vector, got \(expr.type.rawValue)")
        }
    }

    /// Evaluates an expression that must yield one scalar per step.
    func evalScalars(_ expr: Expr, _ steps: StepRange) throws(QueryError) -> [Double] {
        switch try eval(expr, steps) {
        case .scalar(let values): return values
        default: throw QueryError(.execution, "expected scalar, got \(expr.type.rawValue)")
        }
    }
}
