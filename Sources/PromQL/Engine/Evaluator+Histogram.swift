import PharosCore
import PromQLParser

extension Evaluator {
    /// Classic histogram buckets of one step, grouped by labels without `le`; `nil` entries
    /// had a malformed `le` (already warned about).
    private func bucketGroups(_ vector: Vector, _ position: PositionRange) -> [(labels: Labels, dropName: Bool, buckets: [ClassicBucket])] {
        var index: [Labels: Int] = [:]
        var groups: [(labels: Labels, dropName: Bool, buckets: [ClassicBucket])] = []
        for element in vector {
            let le = element.labels["le"]
            guard let bound = InstantKernels.parseGoFloat(le) else {
                warn("bucket label \"le\" is missing or has a malformed value of \(goQuote(le)) for metric name \(goQuote(element.labels[Labels.metricName]))", position)
                continue
            }
            let key = element.labels.removing(["le"])
            let bucket = ClassicBucket(upperBound: bound, count: element.value)
            if let at = index[key] {
                groups[at].buckets.append(bucket)
            } else {
                index[key] = groups.count
                groups.append((key, element.dropName, [bucket]))
            }
        }
        return groups
    }

    private func outputLabels(_ labels: Labels) -> (Labels, Bool) {
        options.enableDelayedNameRemoval ? (labels, true) : (removingNameLabels(labels), false)
    }

    func evalHistogramQuantile(_ call: Call, _ steps: StepRange) throws(QueryError) -> [Vector] {
        let qs = try evalScalars(call.args[0], steps)
        let vectors = try evalVectors(call.args[1], steps)
        var out: [Vector] = []
        for (step, vector) in vectors.enumerated() {
            let q = qs[step]
            if q.isNaN || q < 0 || q > 1 {
                warn("quantile value should be between 0 and 1, got \(GoFloat.format(q))", call.args[0].position)
            }
            var result = Vector()
            for group in bucketGroups(vector, call.args[1].position) {
                let computed = InstantKernels.histogramQuantile(q, buckets: group.buckets)
                if computed.forcedMonotonicity {
                    info("input to histogram_quantile needed to be fixed for monotonicity (see https://prometheus.io/docs/prometheus/latest/querying/functions/#histogram_quantile) for metric name \(goQuote(group.labels[Labels.metricName]))", call.args[1].position)
                }
                let (labels, dropName) = outputLabels(group.labels)
                result.append(VectorElement(labels: labels, value: computed.value, timestamp: steps.time(step), dropName: dropName))
            }
            out.append(try checked(result))
        }
        return out
    }

    func evalHistogramFraction(_ call: Call, _ steps: StepRange) throws(QueryError) -> [Vector] {
        let lows = try evalScalars(call.args[0], steps)
        let highs = try evalScalars(call.args[1], steps)
        let vectors = try evalVectors(call.args[2], steps)
        var out: [Vector] = []
        for (step, vector) in vectors.enumerated() {
            var result = Vector()
            for group in bucketGroups(vector, call.args[2].position) {
                let value = InstantKernels.histogramFraction(lower: lows[step], upper: highs[step], buckets: group.buckets)
                let (labels, dropName) = outputLabels(group.labels)
                result.append(VectorElement(labels: labels, value: value, timestamp: steps.time(step), dropName: dropName))
            }
            out.append(try checked(result))
        }
        return out
    }
}
