/// Running `sum` of floats for the `sum` aggregation: compensated, value is `sum + c`.
///
/// Start with the group's first float; `add` every further one; read `value` at the end.
package struct SumAccumulator: Sendable, Hashable {
    private var sum: Double
    private var compensation = 0.0

    package init(first: Double) { sum = first }

    package mutating func add(_ value: Double) {
        (sum, compensation) = KahanSum.add(value, to: sum, compensation: compensation)
    }

    /// Prometheus adds the compensation unconditionally for `sum` (Inf + 0 stays Inf).
    package var value: Double { sum + compensation }
}

/// Running mean for the `avg` aggregation, after Prometheus 3.x: a compensated direct sum as
/// long as it stays finite, then an incremental mean (so huge inputs do not overflow).
package struct MeanAccumulator: Sendable, Hashable {
    private var sum: Double
    private var mean: Double
    private var compensation = 0.0
    private var count = 1.0
    private var incremental = false

    package init(first: Double) {
        sum = first
        mean = first
    }

    package mutating func add(_ value: Double) {
        count += 1
        if !incremental {
            let (newSum, newC) = KahanSum.add(value, to: sum, compensation: compensation)
            if !newSum.isInfinite {
                sum = newSum
                compensation = newC
                return
            }
            incremental = true
            mean = sum / (count - 1)
            compensation /= count - 1
        }
        if mean.isInfinite {
            // Inf plus a same-signed Inf, or plus any finite value, keeps the mean as it is;
            // the subtraction below would turn it into NaN.
            if value.isInfinite && (mean > 0) == (value > 0) { return }
            if value.isFinite { return }
        }
        let current = mean + compensation
        (mean, compensation) = KahanSum.add(value / count - current / count, to: mean, compensation: compensation)
    }

    package var value: Double {
        incremental ? mean + compensation : (sum + compensation) / count
    }
}

/// Welford's running variance for the `stddev`/`stdvar` aggregations, as Prometheus 3.x's
/// `aggregation` does it (plain, uncompensated; a NaN or ±Inf first value makes the result NaN).
/// The `*_over_time` variants use the compensated `RangeKernels.variance` instead.
package struct VarianceAccumulator: Sendable, Hashable {
    private var count = 1.0
    private var mean: Double
    private var squares: Double

    package init(first: Double) {
        mean = first
        squares = first.isFinite ? 0 : .nan
    }

    package mutating func add(_ value: Double) {
        count += 1
        let delta = value - mean
        mean += delta / count
        squares += delta * (value - mean)
    }

    /// Population variance (`stdvar`).
    package var variance: Double { squares / count }
    /// Population standard deviation (`stddev`).
    package var standardDeviation: Double { variance.squareRoot() }
}
