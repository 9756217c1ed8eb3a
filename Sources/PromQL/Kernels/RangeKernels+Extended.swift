import PharosCore

/// Kernels for the experimental `anchored` and `smoothed` range-selector modifiers
/// (Prometheus 3.x, `extended_vectors.test`).
///
/// For these selectors the engine passes more than the window: every sample in
/// `(rangeStart - lookbackDelta, rangeEnd]`, and for `smoothed` also those after `rangeEnd`
/// (within the lookback delta). Only the last sample at or before `rangeStart` and, for
/// `smoothed`, the first one at or after `rangeEnd` are used from outside the window.
extension RangeKernels {
    /// `rate`/`increase`/`delta` over an `anchored` or `smoothed` selector: no extrapolation.
    /// The left value is the last sample at or before the window start (`anchored`) or the
    /// value interpolated at the start (`smoothed`); the right value is the last sample
    /// (`anchored`) or the value interpolated at the window end (`smoothed`). Counters add
    /// every reset, and interpolation across a reset assumes the counter restarted from 0.
    /// `nil` when no sample lies inside `(rangeStart, rangeEnd]`.
    package static func extendedRate(
        _ samples: ArraySlice<Sample>, rangeStart: Int64, rangeEnd: Int64,
        smoothed: Bool, isCounter: Bool, isRate: Bool
    ) -> Double? {
        let f = Array(samples)
        guard !f.isEmpty else { return nil }
        var last = f.count - 1
        var first = Swift.max(0, searchFirst(in: f, below: last) { $0.timestamp > rangeStart } - 1)
        if smoothed {
            last = searchFirst(in: f, below: last) { $0.timestamp >= rangeEnd }
        }
        guard f[last].timestamp > rangeStart else { return nil }

        var left = f[first].value
        if smoothed && f[first].timestamp < rangeStart {
            left = interpolate(f[first], f[first + 1], at: rangeStart, isCounter: isCounter)
        }
        var right = f[last].value
        if smoothed && last > 0 && f[last].timestamp > rangeEnd {
            right = interpolate(f[last - 1], f[last], at: rangeEnd, isCounter: isCounter)
        }
        var result = right - left
        if isCounter {
            // Resets at the bounds are already handled by the interpolation.
            if f[first].timestamp <= rangeStart { first += 1 }
            if f[last].timestamp >= rangeEnd { last -= 1 }
            var correction = 0.0
            var previous = left
            if first <= last {
                for sample in f[first...last] {
                    if sample.value < previous { correction += previous }
                    previous = sample.value
                }
            }
            if right < previous { correction += previous }
            result += correction
        }
        if isRate { result /= Double(rangeEnd - rangeStart) / 1000 }
        return result
    }

    /// The samples `changes`/`resets` look at for an `anchored` selector: from the last sample
    /// at or before `rangeStart` (or the first sample) to the end; `nil` when no sample lies
    /// inside `(rangeStart, rangeEnd]` (the engine then emits nothing).
    package static func anchoredSamples(_ samples: ArraySlice<Sample>, rangeStart: Int64) -> ArraySlice<Sample>? {
        guard let last = samples.last, last.timestamp > rangeStart else { return nil }
        let inside = samples.firstIndex { $0.timestamp > rangeStart } ?? samples.endIndex
        return samples[Swift.max(samples.startIndex, inside - 1)...]
    }

    /// Linear interpolation between two samples at `t`; for counters a decrease is a reset, so
    /// the line starts from 0.
    private static func interpolate(_ p1: Sample, _ p2: Sample, at t: Int64, isCounter: Bool) -> Double {
        let y1 = isCounter && p2.value < p1.value ? 0 : p1.value
        return y1 + (p2.value - y1) * Double(t - p1.timestamp) / Double(p2.timestamp - p1.timestamp)
    }

    /// Go's `sort.Search(n, pred)` over `f[0..<n]`: the first index where `pred` holds, or `n`.
    private static func searchFirst(in f: [Sample], below n: Int, _ predicate: (Sample) -> Bool) -> Int {
        var low = 0, high = n
        while low < high {
            let mid = (low + high) / 2
            if predicate(f[mid]) { high = mid } else { low = mid + 1 }
        }
        return low
    }
}
