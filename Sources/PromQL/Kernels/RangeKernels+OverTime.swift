import PharosCore

/// The `*_over_time` family. Every kernel returns `nil` for an empty window (no output sample).
extension RangeKernels {
    /// `sum_over_time`: compensated sum (the bare sum once it overflows to ±Inf).
    package static func sumOverTime(_ samples: ArraySlice<Sample>) -> Double? {
        guard !samples.isEmpty else { return nil }
        return KahanSum.sum(samples.lazy.map(\.value))
    }

    /// `avg_over_time`: compensated direct mean, switching to an incremental mean once the
    /// running sum would overflow (Prometheus 3.x).
    package static func avgOverTime(_ samples: ArraySlice<Sample>) -> Double? {
        guard let first = samples.first else { return nil }
        var sum = first.value, count = 1.0
        var mean = 0.0, c = 0.0
        var incremental = false
        for sample in samples.dropFirst() {
            count += 1
            if !incremental {
                let (newSum, newC) = KahanSum.add(sample.value, to: sum, compensation: c)
                if !newSum.isInfinite {
                    (sum, c) = (newSum, newC)
                    continue
                }
                incremental = true
                mean = sum / (count - 1)
                c /= count - 1
            }
            let q = (count - 1) / count
            (mean, c) = KahanSum.add(sample.value / count, to: q * mean, compensation: q * c)
        }
        return incremental ? mean + c : sum / count + c / count
    }

    /// `count_over_time`.
    package static func countOverTime(_ samples: ArraySlice<Sample>) -> Double? {
        samples.isEmpty ? nil : Double(samples.count)
    }

    /// `present_over_time`: 1 when the window holds any sample.
    package static func presentOverTime(_ samples: ArraySlice<Sample>) -> Double? {
        samples.isEmpty ? nil : 1
    }

    /// `first_over_time`.
    package static func firstOverTime(_ samples: ArraySlice<Sample>) -> Double? { samples.first?.value }

    /// `last_over_time`.
    package static func lastOverTime(_ samples: ArraySlice<Sample>) -> Double? { samples.last?.value }

    /// `max_over_time`: NaN only loses to a number (NaN results only when all values are NaN).
    package static func maxOverTime(_ samples: ArraySlice<Sample>) -> Double? {
        select(samples) { current, best in current > best || best.isNaN }?.value
    }

    /// `min_over_time`: NaN only loses to a number.
    package static func minOverTime(_ samples: ArraySlice<Sample>) -> Double? {
        select(samples) { current, best in current < best || best.isNaN }?.value
    }

    /// `ts_of_max_over_time`: timestamp in seconds of the last occurrence of the maximum.
    package static func timestampOfMaxOverTime(_ samples: ArraySlice<Sample>) -> Double? {
        select(samples) { current, best in current >= best || best.isNaN }.map { Double($0.timestamp) / 1000 }
    }

    /// `ts_of_min_over_time`: timestamp in seconds of the last occurrence of the minimum.
    package static func timestampOfMinOverTime(_ samples: ArraySlice<Sample>) -> Double? {
        select(samples) { current, best in current <= best || best.isNaN }.map { Double($0.timestamp) / 1000 }
    }

    /// `ts_of_first_over_time`: the first sample's timestamp in seconds.
    package static func timestampOfFirstOverTime(_ samples: ArraySlice<Sample>) -> Double? {
        samples.first.map { Double($0.timestamp) / 1000 }
    }

    /// `ts_of_last_over_time`: the last sample's timestamp in seconds.
    package static func timestampOfLastOverTime(_ samples: ArraySlice<Sample>) -> Double? {
        samples.last.map { Double($0.timestamp) / 1000 }
    }

    /// `stdvar_over_time`: population variance (compensated Welford).
    package static func stdvarOverTime(_ samples: ArraySlice<Sample>) -> Double? {
        guard !samples.isEmpty else { return nil }
        var count = 0.0, mean = 0.0, cMean = 0.0, aux = 0.0, cAux = 0.0
        for sample in samples {
            count += 1
            let delta = sample.value - (mean + cMean)
            (mean, cMean) = KahanSum.add(delta / count, to: mean, compensation: cMean)
            (aux, cAux) = KahanSum.add(delta * (sample.value - (mean + cMean)), to: aux, compensation: cAux)
        }
        return (aux + cAux) / count
    }

    /// `stddev_over_time`: population standard deviation.
    package static func stddevOverTime(_ samples: ArraySlice<Sample>) -> Double? {
        stdvarOverTime(samples).map { $0.squareRoot() }
    }

    /// `quantile_over_time(q, v)` with the `quantile` aggregation's interpolation
    /// (q < 0 → -Inf, q > 1 → +Inf, NaN q → NaN). The engine emits the invalid-quantile warning.
    package static func quantileOverTime(_ q: Double, _ samples: ArraySlice<Sample>) -> Double? {
        guard !samples.isEmpty else { return nil }
        return InstantKernels.quantile(q, samples.map(\.value))
    }

    /// `mad_over_time`: median of the absolute deviations from the median. Any NaN sample
    /// makes the result NaN (Prometheus 3.x `functions.test`).
    package static func madOverTime(_ samples: ArraySlice<Sample>) -> Double? {
        guard !samples.isEmpty else { return nil }
        let values = samples.map(\.value)
        if values.contains(where: \.isNaN) { return .nan }
        let median = InstantKernels.quantile(0.5, values)
        return InstantKernels.quantile(0.5, values.map { abs($0 - median) })
    }

    /// The sample that wins `better(current, best)` over a left-to-right scan seeded with the
    /// first sample (Prometheus' `compareOverTime`).
    private static func select(_ samples: ArraySlice<Sample>, _ better: (Double, Double) -> Bool) -> Sample? {
        guard var best = samples.first else { return nil }
        for sample in samples where better(sample.value, best.value) { best = sample }
        return best
    }
}
