import Foundation
import PharosCore
import PromQLParser

extension Evaluator {
    func evalCall(_ call: Call, _ steps: StepRange) throws(QueryError) -> EvalValue {
        let name = call.function.name
        let args = call.args
        switch name {
        case "time":
            return .scalar((0..<steps.stepCount).map { Double(steps.time($0)) / 1000 })
        case "pi":
            return .scalar(Array(repeating: Double.pi, count: steps.stepCount))
        case "vector":
            let values = try evalScalars(args[0], steps)
            return .vector(values.map { [VectorElement(labels: .empty, value: $0)] })
        case "scalar":
            let vectors = try evalVectors(args[0], steps)
            return .scalar(vectors.map { $0.count == 1 ? $0[0].value : .nan })
        case "timestamp":
            return .vector(try evalTimestamp(args[0], steps))
        case "absent":
            let vectors = try evalVectors(args[0], steps)
            let labels = absentLabels(args[0])
            return .vector(vectors.map { $0.isEmpty ? [VectorElement(labels: labels, value: 1)] : [] })
        case "info":
            return .vector(try evalInfo(call, steps))
        case "absent_over_time":
            return .vector(try evalAbsentOverTime(call, steps))
        case "step", "range", "start", "end":
            let value: Int64
            switch name {
            case "step": value = queryStep
            case "range": value = queryEnd - queryStart
            case "start": value = queryStart
            default: value = queryEnd
            }
            return .scalar(Array(repeating: Double(value) / 1000, count: steps.stepCount))
        case "min_of", "max_of":
            let a = try evalScalars(args[0], steps), b = try evalScalars(args[1], steps)
            return .scalar(zip(a, b).map { name == "min_of" ? InstantKernels.goMin($0, $1) : InstantKernels.goMax($0, $1) })
        case "sort", "sort_desc", "sort_by_label", "sort_by_label_desc":
            if steps.start != steps.end {
                warn("sort is ineffective for range queries since results are always ordered by labels", call.position)
                return .vector(try evalVectors(args[0], steps))
            }
            if name == "sort" || name == "sort_desc" {
                return .vector(try evalVectors(args[0], steps).map { sortByValue($0, descending: name == "sort_desc") })
            }
            let names = try args.dropFirst().map { arg throws(QueryError) in try stringArgument(arg) }
            return .vector(try evalVectors(args[0], steps).map { sortByLabels($0, names, descending: name == "sort_by_label_desc") })
        case "label_replace":
            return .vector(try evalLabelReplace(args, steps))
        case "label_join":
            return .vector(try evalLabelJoin(args, steps))
        case "histogram_quantile":
            return .vector(try evalHistogramQuantile(call, steps))
        case "histogram_fraction":
            return .vector(try evalHistogramFraction(call, steps))
        case "histogram_count", "histogram_sum", "histogram_avg", "histogram_stddev", "histogram_stdvar":
            // Native histograms only; float samples produce nothing.
            return .vector(try evalVectors(args[0], steps).map { _ in [] })
        case "round":
            let vectors = try evalVectors(args[0], steps)
            let nearest = args.count > 1 ? try evalScalars(args[1], steps) : Array(repeating: 1, count: steps.stepCount)
            return .vector(mapValues(vectors) { value, step in InstantKernels.round(value, toNearest: nearest[step]) })
        case "clamp":
            let vectors = try evalVectors(args[0], steps)
            let low = try evalScalars(args[1], steps), high = try evalScalars(args[2], steps)
            return .vector(mapValues(vectors) { value, step in InstantKernels.clamp(value, min: low[step], max: high[step]) })
        case "clamp_min":
            let vectors = try evalVectors(args[0], steps)
            let low = try evalScalars(args[1], steps)
            return .vector(mapValues(vectors) { value, step in InstantKernels.clampMin(value, min: low[step]) })
        case "clamp_max":
            let vectors = try evalVectors(args[0], steps)
            let high = try evalScalars(args[1], steps)
            return .vector(mapValues(vectors) { value, step in InstantKernels.clampMax(value, max: high[step]) })
        default:
            break
        }
        if let function = InstantKernels.mathFunction(named: name) {
            return .vector(mapValues(try evalVectors(args[0], steps)) { value, _ in function(value) })
        }
        if let function = InstantKernels.dateFunction(named: name) {
            if args.isEmpty {
                return .vector((0..<steps.stepCount).map { step in
                    [VectorElement(labels: .empty, value: function(Double(steps.time(step)) / 1000))]
                })
            }
            return .vector(mapValues(try evalVectors(args[0], steps)) { value, _ in function(value) })
        }
        if args.contains(where: { $0.type == .matrix }) {
            return .vector(try evalRangeFunction(call, steps))
        }
        throw QueryError(.badData, "unknown function with name \"\(name)\"")
    }

    /// Applies `transform` to every element's value and drops the metric name; `nil` drops the element.
    func mapValues(_ vectors: [Vector], _ transform: (Double, Int) -> Double?) -> [Vector] {
        vectors.enumerated().map { step, vector in
            vector.compactMap { element in
                guard let value = transform(element.value, step) else { return nil }
                var out = droppingName(element)
                out.value = value
                return out
            }
        }
    }

    func stringArgument(_ expr: Expr) throws(QueryError) -> String {
        switch expr {
        case .string(let s): return s.value
        case .paren(let p): return try stringArgument(p.expr)
        case .stepInvariant(let s): return try stringArgument(s.expr)
        default: throw QueryError(.execution, "expected string literal argument")
        }
    }

    /// `timestamp(v)`: a selector's own sample times; other expressions give the step time.
    private func evalTimestamp(_ arg: Expr, _ steps: StepRange) throws(QueryError) -> [Vector] {
        var unwrapped = arg
        while true {
            if case .paren(let p) = unwrapped { unwrapped = p.expr; continue }
            if case .stepInvariant(let s) = unwrapped { unwrapped = s.expr; continue }
            break
        }
        let vectors: [Vector]
        if case .vectorSelector(let selector) = unwrapped {
            vectors = try evalVectorSelector(selector, steps)
        } else {
            vectors = try evalVectors(arg, steps).enumerated().map { step, vector in
                vector.map { var e = $0; e.timestamp = steps.time(step); return e }
            }
        }
        return vectors.map { vector in
            vector.map { element in
                var out = droppingName(element)
                out.value = Double(element.timestamp) / 1000
                return out
            }
        }
    }

    /// The labels `absent` reports: the selector's equality matchers, unless a name repeats.
    func absentLabels(_ arg: Expr) -> Labels {
        var unwrapped = arg
        while true {
            if case .paren(let p) = unwrapped { unwrapped = p.expr; continue }
            if case .stepInvariant(let s) = unwrapped { unwrapped = s.expr; continue }
            break
        }
        let matchers: [LabelMatcher]
        switch unwrapped {
        case .vectorSelector(let s): matchers = s.matchers
        case .matrixSelector(let m): matchers = m.vectorSelector.matchers
        default: return .empty
        }
        var seen: [String: Int] = [:]
        for matcher in matchers where matcher.name != Labels.metricName { seen[matcher.name, default: 0] += 1 }
        var builder = LabelsBuilder()
        for matcher in matchers where matcher.type == .equal && matcher.name != Labels.metricName && seen[matcher.name] == 1 {
            builder.set(matcher.name, matcher.value)
        }
        return builder.labels()
    }

    private func sortByValue(_ vector: Vector, descending: Bool) -> Vector {
        vector.sorted { InstantKernels.valueSortsBefore($0.value, $1.value, descending: descending) }
    }

    private func sortByLabels(_ vector: Vector, _ names: [String], descending: Bool) -> Vector {
        vector.sorted { InstantKernels.labelsSortBefore($0.labels, $1.labels, by: names, descending: descending) }
    }

    private func evalLabelReplace(_ args: [Expr], _ steps: StepRange) throws(QueryError) -> [Vector] {
        let destination = try stringArgument(args[1]), replacement = try stringArgument(args[2])
        let source = try stringArgument(args[3]), pattern = try stringArgument(args[4])
        let replacer = try LabelReplacer(dst: destination, replacement: replacement, src: source, regex: pattern)
        return try evalVectors(args[0], steps).map { vector throws(QueryError) in
            try checked(vector.map { element in
                var out = element
                out.labels = replacer.apply(element.labels)
                if destination == Labels.metricName { out.dropName = false }
                return out
            })
        }
    }

    private func evalLabelJoin(_ args: [Expr], _ steps: StepRange) throws(QueryError) -> [Vector] {
        let destination = try stringArgument(args[1]), separator = try stringArgument(args[2])
        let sources = try args.dropFirst(3).map { arg throws(QueryError) in try stringArgument(arg) }
        try InstantKernels.validateLabelJoin(dst: destination, src: sources)
        return try evalVectors(args[0], steps).map { vector throws(QueryError) in
            var out = Vector()
            for element in vector {
                var next = element
                next.labels = try InstantKernels.labelJoin(element.labels, dst: destination, separator: separator, src: sources)
                if destination == Labels.metricName { next.dropName = false }
                out.append(next)
            }
            return try checked(out)
        }
    }
}
