import PharosCore

/// Pure per-window kernels of PromQL's range-vector functions, with Prometheus 3.x semantics.
///
/// Every kernel takes one series' float samples inside one window: already without staleness
/// markers, in increasing time order, timestamps in ms. Windows are left-open `(start, end]`.
/// A `nil` result means "no output sample for this series at this step" (Prometheus drops the
/// element); the engine owns annotations, histogram handling and label bookkeeping.
/// All functions are stateless and safe to call from any thread.
package enum RangeKernels {
    /// `rate` (`isCounter && isRate`), `increase` (`isCounter`) and `delta` (neither).
    ///
    /// Needs two samples. Counter resets add the pre-reset value; the result is extrapolated to
    /// the window bounds when the first/last sample is within 110% of the average sample
    /// interval of the bound, else by half an interval; counters never extrapolate below zero.
    /// `rangeStart`/`rangeEnd` are the window bounds in ms (already shifted by offset/@).
    package static func extrapolatedRate(
        _ samples: ArraySlice<Sample>, rangeStart: Int64, rangeEnd: Int64, isCounter: Bool, isRate: Bool
    ) -> Double? {
        guard samples.count > 1, let first = samples.first, let last = samples.last else { return nil }
        var result = last.value - first.value
        if isCounter {
            samples.withUnsafeBufferPointer { buffer in
                // Resets are rare: find one with plain compares before the (serially
                // dependent) accumulation, which then runs in the same order as always.
                var index = 1
                while index < buffer.count && !(buffer[index].value < buffer[index - 1].value) { index += 1 }
                guard index < buffer.count else { return }
                var previous = buffer[0].value
                for index in 1..<buffer.count {
                    let value = buffer[index].value
                    if value < previous { result += previous }
                    previous = value
                }
            }
        }
        var durationToStart = Double(first.timestamp - rangeStart) / 1000
        var durationToEnd = Double(rangeEnd - last.timestamp) / 1000
        let sampledInterval = Double(last.timestamp - first.timestamp) / 1000
        let averageInterval = sampledInterval / Double(samples.count - 1)
        let threshold = averageInterval * 1.1
        if durationToStart >= threshold { durationToStart = averageInterval / 2 }
        if isCounter, result > 0, first.value >= 0 {
            // The counter cannot have started below zero: stop extrapolating at its zero point.
            let durationToZero = sampledInterval * (first.value / result)
            if durationToZero < durationToStart { durationToStart = durationToZero }
        }
        if durationToEnd >= threshold { durationToEnd = averageInterval / 2 }
        var factor = (sampledInterval + durationToStart + durationToEnd) / sampledInterval
        if isRate { factor /= Double(rangeEnd - rangeStart) / 1000 }
        return result * factor
    }

    /// `irate` (`isRate`) and `idelta`: the last two samples only. `nil` with fewer than two
    /// samples or when both share a timestamp. For `irate` a decrease counts as a counter reset
    /// and the last value is used as the increase.
    package static func instantValue(_ samples: ArraySlice<Sample>, isRate: Bool) -> Double? {
        guard samples.count > 1 else { return nil }
        let last = samples[samples.endIndex - 1], previous = samples[samples.endIndex - 2]
        let interval = last.timestamp - previous.timestamp
        guard interval != 0 else { return nil }
        var result = last.value
        if !isRate || !(last.value < previous.value) {
            result = last.value - previous.value
        }
        if isRate { result /= Double(interval) / 1000 }
        return result
    }

    /// Least-squares fit over (seconds since `interceptTime`, value); returns the slope per
    /// second and the value at `interceptTime`. Constant input gives slope 0 (or NaN/NaN when
    /// the constant is ±Inf). Requires at least one sample.
    package static func linearRegression(_ samples: ArraySlice<Sample>, interceptTime: Int64) -> (slope: Double, intercept: Double) {
        var n = 0.0
        var sumX = 0.0, cX = 0.0, sumY = 0.0, cY = 0.0
        var sumXY = 0.0, cXY = 0.0, sumX2 = 0.0, cX2 = 0.0
        let initialY = samples.first?.value ?? .nan
        var constantY = true
        for sample in samples {
            if constantY && sample.value != initialY { constantY = false }
            n += 1
            let x = Double(sample.timestamp - interceptTime) / 1e3
            (sumX, cX) = KahanSum.add(x, to: sumX, compensation: cX)
            (sumY, cY) = KahanSum.add(sample.value, to: sumY, compensation: cY)
            (sumXY, cXY) = KahanSum.add(x * sample.value, to: sumXY, compensation: cXY)
            (sumX2, cX2) = KahanSum.add(x * x, to: sumX2, compensation: cX2)
        }
        if constantY {
            return initialY.isInfinite ? (.nan, .nan) : (0, initialY)
        }
        sumX += cX
        sumY += cY
        sumXY += cXY
        sumX2 += cX2
        let covXY = sumXY - sumX * sumY / n
        let varX = sumX2 - sumX * sumX / n
        let slope = covXY / varX
        return (slope, sumY / n - slope * sumX / n)
    }

    /// `deriv`: per-second slope of the least-squares line, fitted around the first sample's
    /// time for precision. `nil` with fewer than two samples.
    package static func deriv(_ samples: ArraySlice<Sample>) -> Double? {
        guard samples.count > 1, let first = samples.first else { return nil }
        return linearRegression(samples, interceptTime: first.timestamp).slope
    }

    /// `predict_linear(v, duration)`: the fitted value `duration` seconds after `evaluationTime`
    /// (the step's timestamp, not the window end when an offset applies). `nil` with fewer than
    /// two samples.
    package static func predictLinear(_ samples: ArraySlice<Sample>, at evaluationTime: Int64, duration: Double) -> Double? {
        guard samples.count > 1 else { return nil }
        let (slope, intercept) = linearRegression(samples, interceptTime: evaluationTime)
        return slope * duration + intercept
    }

    /// `resets`: how often a value is lower than its predecessor. `nil` for an empty window.
    package static func resets(_ samples: ArraySlice<Sample>) -> Double? {
        guard var previous = samples.first?.value else { return nil }
        var count = 0
        for sample in samples.dropFirst() {
            if sample.value < previous { count += 1 }
            previous = sample.value
        }
        return Double(count)
    }

    /// `changes`: how often a value differs from its predecessor (NaN to NaN is no change).
    /// `nil` for an empty window.
    package static func changes(_ samples: ArraySlice<Sample>) -> Double? {
        guard var previous = samples.first?.value else { return nil }
        var count = 0
        for sample in samples.dropFirst() {
            if sample.value != previous && !(sample.value.isNaN && previous.isNaN) { count += 1 }
            previous = sample.value
        }
        return Double(count)
    }

    /// `double_exponential_smoothing` (formerly `holt_winters`).
    ///
    /// Throws `QueryError.execution` unless `0 < smoothing < 1` and `0 < trend < 1`, with
    /// Prometheus' wording. `nil` with fewer than two samples.
    package static func doubleExponentialSmoothing(_ samples: ArraySlice<Sample>, smoothing: Double, trend: Double) throws(QueryError) -> Double? {
        guard smoothing > 0, smoothing < 1 else {
            throw QueryError(.execution, "invalid smoothing factor. Expected: 0 < sf < 1, got: \(goFixed(smoothing))")
        }
        guard trend > 0, trend < 1 else {
            throw QueryError(.execution, "invalid trend factor. Expected: 0 < tf < 1, got: \(goFixed(trend))")
        }
        guard samples.count > 1 else { return nil }
        let values = samples.map(\.value)
        var s0 = 0.0, s1 = values[0]
        var b = values[1] - values[0]
        for i in 1..<values.count {
            let x = smoothing * values[i]
            if i > 1 {
                b = trend * (s1 - s0) + (1 - trend) * b
            }
            let y = (1 - smoothing) * (s1 + b)
            (s0, s1) = (s1, x + y)
        }
        return s1
    }

    /// Go's `%f`: six decimals, `NaN`, `+Inf`, `-Inf`.
    private static func goFixed(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        let negative = value < 0
        let scaled = (abs(value) * 1_000_000).rounded(.toNearestOrEven)
        guard scaled < 9e18 else { return String(value) }
        let integer = Int64(scaled)
        let whole = integer / 1_000_000, fraction = integer % 1_000_000
        let digits = String(fraction)
        return (negative ? "-" : "") + "\(whole)." + String(repeating: "0", count: 6 - digits.count) + digits
    }
}
