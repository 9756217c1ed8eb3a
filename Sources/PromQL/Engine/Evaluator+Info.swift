import PharosCore
import PromQLParser

/// The experimental `info(v, {…})` function: adds data labels of info series (default
/// `target_info`) that share the identifying labels `instance` and `job` with each sample.
enum InfoFunction {
    static let identifyingLabels: Set<String> = ["instance", "job"]

    /// The matchers that pick info series: the second argument's, with `__name__="target_info"`
    /// when it names no metric, or `__name__=~".+_info"` when it only excludes names.
    static func infoMatchers(_ call: Call) -> [LabelMatcher] {
        var matchers: [LabelMatcher] = []
        if call.args.count > 1, case .vectorSelector(let s) = unwrap(call.args[1]) { matchers = s.matchers }
        let names = matchers.filter { $0.name == Labels.metricName }
        if names.isEmpty {
            matchers.append(.equal(Labels.metricName, "target_info"))
        } else if names.allSatisfy({ $0.type == .notEqual || $0.type == .regexNoMatch }) {
            matchers.append(try! LabelMatcher(.regexMatch, Labels.metricName, ".+_info"))
        }
        return matchers
    }

    /// The synthetic selector the engine selects info series with (unique per call).
    static func selector(for call: Call) -> VectorSelector {
        VectorSelector(name: nil, matchers: infoMatchers(call), position: PositionRange(start: call.position.start, end: -call.position.end - 1))
    }

    static func unwrap(_ expr: Expr) -> Expr {
        switch expr {
        case .paren(let p): return unwrap(p.expr)
        case .stepInvariant(let s): return unwrap(s.expr)
        default: return expr
        }
    }
}

extension Evaluator {
    /// The time the first selector under `expr` reads at, for evaluation time `t` (`@`, offsets, subqueries).
    func effectiveTime(_ expr: Expr, _ t: Timestamp) -> Timestamp? {
        switch expr {
        case .vectorSelector(let s): return (s.at.map(resolve) ?? t) - s.offset
        case .matrixSelector(let m): return (m.vectorSelector.at.map(resolve) ?? t) - m.vectorSelector.offset
        case .subquery(let q): return effectiveTime(q.expr, (q.at.map(resolve) ?? t) - q.offset)
        case .number, .string: return nil
        default:
            for child in Self.children(expr) {
                if let time = effectiveTime(child, t) { return time }
            }
            return nil
        }
    }

    private static func children(_ expr: Expr) -> [Expr] {
        switch expr {
        case .call(let c): return c.args
        case .aggregate(let a): return [a.expr]
        case .binary(let b): return [b.lhs, b.rhs]
        case .unary(let u): return [u.expr]
        case .paren(let p): return [p.expr]
        case .stepInvariant(let s): return [s.expr]
        default: return []
        }
    }

    func evalInfo(_ call: Call, _ steps: StepRange) throws(QueryError) -> [Vector] {
        let base = try evalVectors(call.args[0], steps)
        let matchers = InfoFunction.infoMatchers(call)
        let nameMatchers = matchers.filter { $0.name == Labels.metricName }
        var dataMatchers: [LabelMatcher] = []
        if call.args.count > 1, case .vectorSelector(let s) = InfoFunction.unwrap(call.args[1]) {
            dataMatchers = s.matchers.filter { $0.name != Labels.metricName }
        }
        let dataNames = Set(dataMatchers.map(\.name))
        let infoSeries: [(Labels, [Sample])] = series(for: InfoFunction.selector(for: call)).map { series in
            var iterator = series.makeIterator()
            var samples: [Sample] = []
            while iterator.next() { samples.append(Sample(timestamp: iterator.current.timestamp, value: iterator.current.value)) }
            return (series.labels, samples)
        }
        var out: [Vector] = []
        for (step, vector) in base.enumerated() {
            let time = effectiveTime(call.args[0], steps.time(step)) ?? steps.time(step)
            let active = infoSeries.compactMap { info in activeTimestamp(info.1, at: time).map { (info.0, $0) } }
            var result = Vector()
            for element in vector {
                if nameMatchers.allSatisfy({ $0.matches(element.labels[Labels.metricName]) }) {
                    result.append(element)
                    continue
                }
                let candidates = active.filter { info in
                    InfoFunction.identifyingLabels.allSatisfy { info.0[$0] == element.labels[$0] }
                }
                // Per info metric name, only the most recently updated series counts (churn).
                var newest: [String: Timestamp] = [:]
                for (labels, time) in candidates { newest[labels[Labels.metricName]] = max(newest[labels[Labels.metricName]] ?? .min, time) }
                let matching = candidates.filter { newest[$0.0[Labels.metricName]] == $0.1 }.map(\.0)
                if matching.isEmpty {
                    if dataMatchers.allSatisfy(\.matchesEmpty) { result.append(element) }
                    continue
                }
                var builder = LabelsBuilder(element.labels)
                var added: [String: String] = [:]
                for info in matching {
                    for label in info where label.name != Labels.metricName && !InfoFunction.identifyingLabels.contains(label.name) {
                        guard dataNames.isEmpty || dataNames.contains(label.name), !element.labels.has(label.name) else { continue }
                        if let existing = added[label.name], existing != label.value {
                            throw QueryError(.execution, "conflicting label: \(label.name) has values \(goQuote(existing)) and \(goQuote(label.value)) in info series")
                        }
                        added[label.name] = label.value
                        builder.set(label.name, label.value)
                    }
                }
                var enriched = element
                enriched.labels = builder.labels()
                result.append(enriched)
            }
            out.append(try checked(result))
        }
        return out
    }

    /// The timestamp of the series' newest sample at or before `time` when it is within the
    /// lookback and not stale, else nil.
    private func activeTimestamp(_ samples: [Sample], at time: Timestamp) -> Timestamp? {
        var low = 0, high = samples.count
        while low < high {
            let mid = (low + high) / 2
            if samples[mid].timestamp <= time { low = mid + 1 } else { high = mid }
        }
        guard low > 0 else { return nil }
        let sample = samples[low - 1]
        return sample.timestamp > time - options.lookbackDelta && !sample.value.isStaleMarker ? sample.timestamp : nil
    }
}
