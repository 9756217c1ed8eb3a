import PharosCore
import PromQLParser

/// A forward-only reader of one series that remembers the newest sample at or before a time.
struct LookbackCursor {
    private var iterator: any SampleIterator
    private var pending: Sample?
    private var exhausted = false
    private var started = false
    private(set) var last: Sample?
    private let lookback: Int64

    /// `lookback`: samples at or before `time - lookback` are never wanted for any `time`
    /// passed to `advance`, so the first call may skip them without decoding them one by one.
    init(_ iterator: any SampleIterator, lookback: Int64) {
        self.iterator = iterator
        self.lookback = lookback
    }

    /// Consumes samples up to and including `time`; `last` is then the newest of them (or,
    /// after skipping, nil when none is newer than `time - lookback`).
    mutating func advance(to time: Timestamp) {
        if !started {
            started = true
            let (skipTo, overflow) = time.subtractingReportingOverflow(lookback)
            if !overflow, skipTo < .max {
                if iterator.seek(to: skipTo + 1) {
                    let (t, v) = iterator.current
                    pending = Sample(timestamp: t, value: v)
                } else {
                    exhausted = true
                }
            }
        }
        if let next = pending {
            guard next.timestamp <= time else { return }
            last = next
            pending = nil
        }
        guard !exhausted else { return }
        let (newest, next) = iterator.advance(through: time)
        if let newest { last = newest }
        pending = next
        if next == nil { exhausted = true }
    }
}

/// Slides a window `(end - range, end]` along one series; stale markers never enter it.
struct WindowReader {
    private var iterator: any SampleIterator
    /// The first sample after `fetchedThrough`, already taken from the iterator.
    private var pending: Sample?
    private var exhausted = false
    private var started = false
    /// Non-stale samples read so far; the current window is `buffer[head..<tail]`.
    private var buffer: [Sample] = []
    private var head = 0
    private var tail = 0
    private var fetchedThrough = Timestamp.min
    private let lastEnd: Timestamp?

    /// `lastEnd`: the end of the last window that will be asked for, when known; the reader
    /// then takes every sample it needs from the iterator in one call.
    init(_ iterator: any SampleIterator, lastEnd: Timestamp? = nil) {
        self.iterator = iterator
        self.lastEnd = lastEnd
    }

    /// The non-stale samples in `(end - range, end]`; `end - range` and `end` must not
    /// decrease between calls.
    mutating func samples(end: Timestamp, range: Int64) -> ArraySlice<Sample> {
        let (start, overflow) = end.subtractingReportingOverflow(range)
        if !started {
            started = true
            // Samples at or before the first window's start are never needed: skip them.
            if !overflow, start < .max {
                if iterator.seek(to: start + 1) {
                    let (t, v) = iterator.current
                    pending = Sample(timestamp: t, value: v)
                } else {
                    exhausted = true
                }
            }
        }
        if end > fetchedThrough {
            let target = Swift.max(end, lastEnd ?? end)
            if let next = pending, next.timestamp <= target {
                pending = nil
                if !next.value.isStaleMarker { buffer.append(next) }
            }
            if pending == nil && !exhausted {
                pending = iterator.appendSamples(through: target, to: &buffer)
                if pending == nil { exhausted = true }
            }
            fetchedThrough = target
        }
        while tail < buffer.count, buffer[tail].timestamp <= end { tail += 1 }
        while !overflow, head < tail, buffer[head].timestamp <= start { head += 1 }
        if head > 1024, head * 2 > buffer.count {
            buffer.removeFirst(head)
            tail -= head
            head = 0
        }
        return buffer[head..<tail]
    }
}

extension Evaluator {
    func series(for selector: VectorSelector) -> [any Series] { selected[selector] ?? [] }

    /// One vector per step: each series' newest non-stale sample in `(t - lookback, t]`.
    func evalVectorSelector(_ selector: VectorSelector, _ steps: StepRange) throws(QueryError) -> [Vector] {
        let count = steps.stepCount
        var out = Array(repeating: Vector(), count: count)
        let pinned = selector.at.map(resolve)
        let lookback = options.lookbackDelta
        var total = 0
        for series in series(for: selector) {
            try checkInterrupts()
            if selector.smoothed {
                var iterator = series.makeIterator()
                var samples: [Sample] = []
                while iterator.next() {
                    let (t, v) = iterator.current
                    if !v.isStaleMarker { samples.append(Sample(timestamp: t, value: v)) }
                }
                for index in 0..<count {
                    let time = (pinned ?? steps.time(index)) - selector.offset
                    guard let value = ExtendedRange.smoothedValue(samples, at: time, lookback: lookback) else { continue }
                    out[index].append(VectorElement(labels: series.labels, value: value, timestamp: time))
                    total += 1
                }
                continue
            }
            var cursor = LookbackCursor(series.makeIterator(), lookback: lookback)
            for index in 0..<count {
                let time = (pinned ?? steps.time(index)) - selector.offset
                cursor.advance(to: time)
                guard let sample = cursor.last, sample.timestamp > time - lookback, !sample.value.isStaleMarker else { continue }
                out[index].append(VectorElement(labels: series.labels, value: sample.value, timestamp: sample.timestamp))
                total += 1
            }
        }
        if total > options.maxSamples { throw tooManySamples() }
        return out
    }

    /// The range vector of a matrix selector at one evaluation time (instant queries).
    func evalMatrixSelector(_ matrix: MatrixSelector, at time: Timestamp) throws(QueryError) -> [EvalSeries] {
        let selector = matrix.vectorSelector
        let end = (selector.at.map(resolve) ?? time) - selector.offset
        var out: [EvalSeries] = []
        var total = 0
        for series in series(for: selector) {
            try checkInterrupts()
            var reader = WindowReader(series.makeIterator())
            let samples = reader.samples(end: end, range: matrix.range)
            total += samples.count
            if total > options.maxSamples { throw tooManySamples() }
            if !samples.isEmpty { out.append(EvalSeries(labels: series.labels, samples: Array(samples))) }
        }
        return out
    }

    /// Evaluates a subquery's inner expression on its own aligned steps, as series of points,
    /// covering every window the outer steps `firstTime…lastTime` need.
    func evalSubqueryPoints(_ subquery: SubqueryExpr, firstTime: Timestamp, lastTime: Timestamp) throws(QueryError) -> [EvalSeries] {
        let interval = max(1, subquery.step == 0 ? options.defaultSubqueryStep : subquery.step)
        let low = firstTime - subquery.offset - subquery.range
        var start = interval * (low / interval)
        if start <= low { start += interval }
        let end = lastTime - subquery.offset
        guard start <= end else { return [] }
        let inner = StepRange(start: start, end: end, interval: interval)
        switch try eval(subquery.expr, inner) {
        case .scalar(let values):
            return [EvalSeries(labels: .empty, samples: values.enumerated().map { Sample(timestamp: inner.time($0.offset), value: $0.element) })]
        case .vector(let vectors):
            return try regroup(vectors, inner)
        default:
            throw QueryError(.execution, "subquery is only allowed on instant vector or scalar")
        }
    }

    /// A subquery's range vector at one evaluation time (instant queries).
    func evalSubqueryWindow(_ subquery: SubqueryExpr, at time: Timestamp) throws(QueryError) -> [EvalSeries] {
        let points = try evalSubqueryPoints(subquery, firstTime: time, lastTime: time)
        let end = time - subquery.offset
        return points.compactMap { series in
            let kept = series.samples.filter { $0.timestamp > end - subquery.range && $0.timestamp <= end && !$0.value.isStaleMarker }
            return kept.isEmpty ? nil : EvalSeries(labels: series.labels, samples: kept, dropName: series.dropName)
        }
    }

    /// Turns one vector per step into series of points, sorted by labels.
    func regroup(_ vectors: [Vector], _ steps: StepRange) throws(QueryError) -> [EvalSeries] {
        var index: [Labels: Int] = [:]
        var out: [EvalSeries] = []
        var total = 0
        // Vectors usually list the same series in the same order at every step: try the
        // series at the same position last time before hashing the label set.
        var hints: [Int] = []
        for (step, vector) in vectors.enumerated() {
            let time = steps.time(step)
            for (position, element) in vector.enumerated() {
                let sample = Sample(timestamp: time, value: element.value)
                if position < hints.count, out[hints[position]].labels == element.labels {
                    out[hints[position]].samples.append(sample)
                    out[hints[position]].dropName = out[hints[position]].dropName || element.dropName
                } else if let at = index[element.labels] {
                    if position < hints.count { hints[position] = at } else { hints.append(at) }
                    out[at].samples.append(sample)
                    out[at].dropName = out[at].dropName || element.dropName
                } else {
                    index[element.labels] = out.count
                    if position < hints.count { hints[position] = out.count } else { hints.append(out.count) }
                    out.append(EvalSeries(labels: element.labels, samples: [sample], dropName: element.dropName))
                }
                total += 1
            }
        }
        if total > options.maxSamples { throw tooManySamples() }
        out.sort { $0.labels < $1.labels }
        return out
    }
}
