import PharosCore
import PromQLParser

/// What a range kernel sees besides the window's samples.
struct RangeWindowContext {
    /// The step's evaluation time (before offset).
    var stepTime: Timestamp
    var rangeStart: Timestamp
    var rangeEnd: Timestamp
    /// Scalar arguments at this step, in argument order (the matrix argument excluded).
    var scalars: [Double]
}

typealias RangeKernel = (ArraySlice<Sample>, RangeWindowContext) throws(QueryError) -> Double?

/// A range-vector argument: series to slide windows over, and where each window ends.
private struct RangeSource {
    /// Iterators are made one series at a time as the evaluation reaches it (no copies of
    /// live iterators); `dropNames` is empty when no series carries the flag.
    var series: [any Series]
    var dropNames: [Bool] = []

    func dropName(_ index: Int) -> Bool { dropNames.isEmpty ? false : dropNames[index] }
    var range: Int64
    var offset: Int64
    var pinned: Timestamp?
    var position: PositionRange
    var isSelector: Bool
    var anchored = false
    var smoothed = false
}

extension Evaluator {
    static func rangeKernel(named name: String) -> RangeKernel? {
        switch name {
        case "rate": return { s, c in RangeKernels.extrapolatedRate(s, rangeStart: c.rangeStart, rangeEnd: c.rangeEnd, isCounter: true, isRate: true) }
        case "increase": return { s, c in RangeKernels.extrapolatedRate(s, rangeStart: c.rangeStart, rangeEnd: c.rangeEnd, isCounter: true, isRate: false) }
        case "delta": return { s, c in RangeKernels.extrapolatedRate(s, rangeStart: c.rangeStart, rangeEnd: c.rangeEnd, isCounter: false, isRate: false) }
        case "irate": return { s, _ in RangeKernels.instantValue(s, isRate: true) }
        case "idelta": return { s, _ in RangeKernels.instantValue(s, isRate: false) }
        case "deriv": return { s, _ in RangeKernels.deriv(s) }
        case "predict_linear": return { s, c in RangeKernels.predictLinear(s, at: c.stepTime, duration: c.scalars[0]) }
        case "resets": return { s, _ in RangeKernels.resets(s) }
        case "changes": return { s, _ in RangeKernels.changes(s) }
        case "sum_over_time": return { s, _ in RangeKernels.sumOverTime(s) }
        case "avg_over_time": return { s, _ in RangeKernels.avgOverTime(s) }
        case "count_over_time": return { s, _ in RangeKernels.countOverTime(s) }
        case "present_over_time": return { s, _ in RangeKernels.presentOverTime(s) }
        case "first_over_time": return { s, _ in RangeKernels.firstOverTime(s) }
        case "last_over_time": return { s, _ in RangeKernels.lastOverTime(s) }
        case "max_over_time": return { s, _ in RangeKernels.maxOverTime(s) }
        case "min_over_time": return { s, _ in RangeKernels.minOverTime(s) }
        case "ts_of_max_over_time": return { s, _ in RangeKernels.timestampOfMaxOverTime(s) }
        case "ts_of_min_over_time": return { s, _ in RangeKernels.timestampOfMinOverTime(s) }
        case "ts_of_first_over_time": return { s, _ in RangeKernels.timestampOfFirstOverTime(s) }
        case "ts_of_last_over_time": return { s, _ in RangeKernels.timestampOfLastOverTime(s) }
        case "stdvar_over_time": return { s, _ in RangeKernels.stdvarOverTime(s) }
        case "stddev_over_time": return { s, _ in RangeKernels.stddevOverTime(s) }
        case "quantile_over_time": return { s, c in RangeKernels.quantileOverTime(c.scalars[0], s) }
        case "mad_over_time": return { s, _ in RangeKernels.madOverTime(s) }
        case "double_exponential_smoothing":
            return { s, c throws(QueryError) in try RangeKernels.doubleExponentialSmoothing(s, smoothing: c.scalars[0], trend: c.scalars[1]) }
        default: return nil
        }
    }

    /// Functions whose result keeps the input's metric name.
    private static func keepsMetricName(_ name: String) -> Bool {
        name == "last_over_time" || name == "first_over_time"
    }

    private func rangeSource(_ arg: Expr, _ steps: StepRange) throws(QueryError) -> RangeSource {
        switch arg {
        case .paren(let p): return try rangeSource(p.expr, steps)
        case .stepInvariant(let s): return try rangeSource(s.expr, steps)
        case .matrixSelector(let m):
            let selector = m.vectorSelector
            return RangeSource(series: series(for: selector),
                               range: m.range, offset: selector.offset, pinned: selector.at.map(resolve),
                               position: m.position, isSelector: true, anchored: selector.anchored, smoothed: selector.smoothed)
        case .subquery(let q):
            let pinned = q.at.map(resolve)
            let points = try evalSubqueryPoints(q, firstTime: pinned ?? steps.start, lastTime: pinned ?? steps.end)
            return RangeSource(series: points.map { ArraySeries(labels: $0.labels, samples: $0.samples) }, dropNames: points.map(\.dropName),
                               range: q.range, offset: q.offset, pinned: pinned, position: q.position, isSelector: false)
        default:
            throw QueryError(.execution, "expected range vector argument, got \(arg.type.rawValue)")
        }
    }

    func evalRangeFunction(_ call: Call, _ steps: StepRange) throws(QueryError) -> [Vector] {
        let name = call.function.name
        guard let kernel = Self.rangeKernel(named: name) else {
            throw QueryError(.badData, "function \"\(name)\" is not supported")
        }
        guard let matrixIndex = call.args.firstIndex(where: { $0.type == .matrix }) else {
            throw QueryError(.execution, "function \"\(name)\" needs a range vector argument")
        }
        var scalarArgs: [[Double]] = []
        for (index, arg) in call.args.enumerated() where index != matrixIndex {
            scalarArgs.append(try evalScalars(arg, steps))
        }
        if name == "quantile_over_time" {
            for q in scalarArgs[0] where q.isNaN || q < 0 || q > 1 {
                warn("quantile value should be between 0 and 1, got \(GoFloat.format(q))", call.args[0].position)
            }
        }
        let source = try rangeSource(call.args[matrixIndex], steps)
        if source.anchored || source.smoothed {
            if let error = ExtendedRange.unsupported(name, anchored: source.anchored, smoothed: source.smoothed) { throw error }
        }
        let count = steps.stepCount
        var out = Array(repeating: Vector(), count: count)
        let keepsName = Self.keepsMetricName(name)
        let counterCheck = source.isSelector && (name == "rate" || name == "increase")
        var total = 0
        var outputLabels: [Labels] = []
        outputLabels.reserveCapacity(source.series.count)
        let lastEnd = (source.pinned ?? steps.time(count - 1)) - source.offset
        // Room for every series in each step's vector, within ~2M elements over all steps.
        let reserve = min(source.series.count, max(16, 2_000_000 / count))
        // The last metric name found to look like a counter: checked once, not per series.
        var checkedName: String?
        for (index, input) in source.series.enumerated() {
            try checkInterrupts()
            var reader = WindowReader(input.makeIterator(), lastEnd: lastEnd)
            var extendedSamples: [Sample] = []
            if source.anchored || source.smoothed {
                var iterator = input.makeIterator()
                while iterator.next() {
                    let (t, v) = iterator.current
                    if !v.isStaleMarker { extendedSamples.append(Sample(timestamp: t, value: v)) }
                }
            }
            var labels = input.labels
            var dropName = source.dropName(index)
            if !keepsName {
                if options.enableDelayedNameRemoval { dropName = true } else { labels = removingNameLabels(labels) }
            }
            outputLabels.append(labels)
            var produced = false
            for step in 0..<count {
                let stepTime = steps.time(step)
                let end = (source.pinned ?? stepTime) - source.offset
                let value: Double?
                if source.anchored || source.smoothed {
                    guard let (window, hasInside) = ExtendedRange.window(extendedSamples, rangeStart: end - source.range, rangeEnd: end,
                                                                         lookback: options.lookbackDelta, smoothed: source.smoothed) else { continue }
                    switch name {
                    case "rate", "increase", "delta":
                        // Only samples after the window: nothing to interpolate from.
                        if source.smoothed, let firstSample = window.first, firstSample.timestamp > end { continue }
                        value = RangeKernels.extendedRate(window, rangeStart: end - source.range, rangeEnd: end, smoothed: source.smoothed,
                                                          isCounter: name != "delta", isRate: name == "rate")
                    default:
                        guard hasInside else { continue }
                        value = try kernel(window, RangeWindowContext(stepTime: stepTime, rangeStart: end - source.range,
                                                                      rangeEnd: end, scalars: scalarArgs.isEmpty ? [] : scalarArgs.map { $0[step] }))
                    }
                } else {
                    let window = reader.samples(end: end, range: source.range)
                    // Like Prometheus, the limit bounds samples held at once: the output so far
                    // plus the window being read (windows are not kept after their step).
                    if total + window.count > options.maxSamples { throw tooManySamples() }
                    let context = RangeWindowContext(stepTime: stepTime, rangeStart: end - source.range,
                                                     rangeEnd: end, scalars: scalarArgs.isEmpty ? [] : scalarArgs.map { $0[step] })
                    value = try kernel(window, context)
                }
                guard let value else { continue }
                if out[step].capacity == 0 { out[step].reserveCapacity(reserve) }
                out[step].append(VectorElement(labels: labels, value: value, timestamp: stepTime, dropName: dropName))
                total += 1
                produced = true
            }
            if counterCheck, produced, let metric = input.labels.metricName, metric != checkedName {
                if ["_total", "_sum", "_count", "_bucket"].contains(where: { metric.hasSuffix($0) }) {
                    checkedName = metric
                } else {
                    info("metric might not be a counter, name does not end in _total/_sum/_count/_bucket: \(goQuote(metric))", source.position)
                }
            }
        }
        // Output labels are fixed per input series: only check steps when two series collide.
        // Distinct inputs that share one metric name stay distinct without it: skip hashing.
        let firstName = source.series.first?.labels.metricName
        let oneName = source.series.allSatisfy { $0.labels.metricName == firstName }
        if !options.enableDelayedNameRemoval, !keepsName, source.series.count > 1, !(oneName && source.isSelector && !options.enableTypeAndUnitLabels) {
            var seen = Set<Labels>(minimumCapacity: outputLabels.count)
            let collide = outputLabels.contains { !seen.insert($0).inserted }
            if collide { return try out.map { vector throws(QueryError) in try checked(vector) } }
        }
        return out
    }

    /// `absent_over_time(v[r])`: 1 at steps where no series has a sample in its window.
    func evalAbsentOverTime(_ call: Call, _ steps: StepRange) throws(QueryError) -> [Vector] {
        let source = try rangeSource(call.args[0], steps)
        let count = steps.stepCount
        var present = Array(repeating: false, count: count)
        for input in source.series {
            var reader = WindowReader(input.makeIterator(), lastEnd: (source.pinned ?? steps.time(count - 1)) - source.offset)
            for step in 0..<count {
                let end = (source.pinned ?? steps.time(step)) - source.offset
                if !reader.samples(end: end, range: source.range).isEmpty { present[step] = true }
            }
        }
        let labels = absentLabels(call.args[0])
        return present.map { $0 ? [] : [VectorElement(labels: labels, value: 1)] }
    }
}
