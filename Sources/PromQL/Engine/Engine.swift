import PharosCore
import PromQLParser

/// Limits and defaults of query evaluation.
package struct EngineOptions: Sendable {
    /// How far back an instant selector looks for a sample, in ms.
    package var lookbackDelta: Int64 = 300_000
    /// Most samples a query may hold in memory at once (checked per selection and result).
    package var maxSamples: Int = 50_000_000
    package var timeout: Duration = .seconds(120)
    /// Step of subqueries written without one (`x[5m:]`), in ms.
    package var defaultSubqueryStep: Int64 = 60_000
    /// Prometheus 3's `promql-delayed-name-removal` feature: functions and operators mark
    /// `__name__` for removal and the engine drops it only at the end of the query.
    package var enableDelayedNameRemoval = false
    /// Prometheus 3's `type-and-unit-labels` feature: `__type__` and `__unit__` go wherever
    /// `__name__` is dropped.
    package var enableTypeAndUnitLabels = false

    package init(lookbackDelta: Int64 = 300_000, maxSamples: Int = 50_000_000, timeout: Duration = .seconds(120),
                 defaultSubqueryStep: Int64 = 60_000, enableDelayedNameRemoval: Bool = false,
                 enableTypeAndUnitLabels: Bool = false) {
        self.lookbackDelta = lookbackDelta
        self.maxSamples = maxSamples
        self.timeout = timeout
        self.defaultSubqueryStep = defaultSubqueryStep
        self.enableDelayedNameRemoval = enableDelayedNameRemoval
        self.enableTypeAndUnitLabels = enableTypeAndUnitLabels
    }
}

/// The PromQL engine: parses and evaluates instant and range queries over any `Queryable`,
/// with Prometheus 3.x semantics. Stateless apart from its options; safe to share.
package final class Engine: Sendable {
    package let options: EngineOptions

    package init(options: EngineOptions = EngineOptions()) { self.options = options }

    /// Evaluates `expr` (parsed from `source`, used for annotation positions) at one time.
    package func instantQuery(_ expr: Expr, source: String, at time: Timestamp,
                              on storage: any Queryable) async throws(QueryError) -> QueryResult {
        try await run(expr, source: source, steps: StepRange(start: time, end: time, interval: 0), storage: storage) { (value, _) throws(QueryError) -> QueryValue in
            switch value {
            case .scalar(let values): return .scalar(timestamp: time, value: values[0])
            case .string(let text): return .string(timestamp: time, value: text)
            case .vector(let vectors):
                return .vector(vectors[0].map { InstantSample(labels: $0.labels, timestamp: time, value: $0.value) })
            case .matrix(let series):
                return .matrix(series.map { RangeSeries(labels: $0.labels, samples: $0.samples) })
            }
        }
    }

    /// Evaluates `expr` at every step from `start` through `end`; the result is a matrix sorted by labels.
    package func rangeQuery(_ expr: Expr, source: String, start: Timestamp, end: Timestamp, step: Int64,
                            on storage: any Queryable) async throws(QueryError) -> QueryResult {
        guard step > 0 else { throw QueryError(.badData, "zero or negative query resolution step widths are not accepted. Try a positive integer") }
        guard end >= start else { throw QueryError(.badData, "end timestamp must not be before start time") }
        guard expr.type == .scalar || expr.type == .vector else {
            throw QueryError(.badData, "invalid expression type \"\(expr.type.rawValue)\" for range query, must be Scalar or instant Vector")
        }
        let steps = StepRange(start: start, end: end, interval: step)
        return try await run(expr, source: source, steps: steps, storage: storage) { (value, evaluator) throws(QueryError) -> QueryValue in
            switch value {
            case .scalar(let values):
                return .matrix([RangeSeries(labels: .empty, samples: values.enumerated().map { Sample(timestamp: steps.time($0.offset), value: $0.element) })])
            case .vector(let vectors):
                return .matrix(try evaluator.regroupForOutput(vectors, steps))
            default:
                throw QueryError(.execution, "invalid expression type for range query, must be Scalar or instant Vector")
            }
        }
    }

    private func run(_ expr: Expr, source: String, steps: StepRange, storage: any Queryable,
                     _ convert: (EvalValue, Evaluator) throws(QueryError) -> QueryValue) async throws(QueryError) -> QueryResult {
        let expr = try DurationResolver.resolve(expr, step: steps.interval, range: steps.end - steps.start)
        let plan = SelectionPlan(expr, steps: steps, lookback: options.lookbackDelta, defaultSubqueryStep: options.defaultSubqueryStep)
        let options = self.options
        do {
            return try await storage.withQuerier(from: plan.minTime, through: plan.maxTime) { querier in
                var selected: [VectorSelector: [any Series]] = [:]
                var annotations = Annotations()
                for (selector, range) in plan.selectors {
                    let hints = SelectHints(start: range.min, end: range.max, step: steps.interval)
                    var set = try await querier.select(selector.matchers, hints: hints, sorted: true)
                    var list: [any Series] = []
                    while let series = try set.next() { list.append(series) }
                    annotations.merge(set.annotations)
                    selected[selector] = list
                }
                let evaluator = Evaluator(options: options, queryStart: steps.start, queryEnd: steps.end, queryStep: steps.interval,
                                          selected: selected, positions: QueryPositions(source))
                let value = try evaluator.finalize(try evaluator.eval(expr, steps))
                let result = try convert(value, evaluator)
                annotations.merge(evaluator.annotations)
                return QueryResult(value: result, annotations: annotations)
            }
        } catch let error as QueryError {
            throw error
        } catch is CancellationError {
            throw QueryError(.canceled, "query was canceled in query execution")
        } catch {
            throw QueryError(.execution, "\(error)")
        }
    }
}

extension Evaluator {
    /// Applies delayed name removal at the end of the query, then rejects duplicate label sets.
    func finalize(_ value: EvalValue) throws(QueryError) -> EvalValue {
        guard options.enableDelayedNameRemoval else { return value }
        switch value {
        case .vector(let vectors):
            return .vector(try vectors.map { vector throws(QueryError) in
                let cleaned = vector.map { element in
                    guard element.dropName else { return element }
                    var out = element
                    out.labels = removingNameLabels(element.labels)
                    out.dropName = false
                    return out
                }
                if cleaned.hasDuplicateLabelsets {
                    throw QueryError(.execution, "vector cannot contain metrics with the same labelset")
                }
                return cleaned
            })
        case .matrix(let series):
            let cleaned = series.map { item in
                item.dropName ? EvalSeries(labels: removingNameLabels(item.labels), samples: item.samples) : item
            }
            if Set(cleaned.map(\.labels)).count != cleaned.count {
                throw QueryError(.execution, "vector cannot contain metrics with the same labelset")
            }
            return .matrix(cleaned)
        default:
            return value
        }
    }

    /// Regroups per-step vectors into the sorted matrix of a range query.
    func regroupForOutput(_ vectors: [Vector], _ steps: StepRange) throws(QueryError) -> [RangeSeries] {
        try regroup(vectors, steps).map { RangeSeries(labels: $0.labels, samples: $0.samples) }
    }
}
