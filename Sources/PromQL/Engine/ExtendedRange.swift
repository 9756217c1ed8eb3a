import PharosCore

/// Engine side of the experimental `anchored` and `smoothed` selectors: which functions accept
/// them, the extended windows (the last sample before the range and, when smoothed, the first
/// one after it), and smoothed instant selectors. The rate math is `RangeKernels.extendedRate`.
enum ExtendedRange {
    static let anchoredFunctions: Set<String> = ["changes", "delta", "increase", "rate", "resets"]
    static let smoothedFunctions: Set<String> = ["delta", "increase", "rate"]

    /// Prometheus' error for a function the modifier does not support, or nil.
    static func unsupported(_ function: String, anchored: Bool, smoothed: Bool) -> QueryError? {
        if smoothed && !smoothedFunctions.contains(function) {
            return QueryError(.execution, "smoothed modifier can only be used with: delta, increase, rate - not with \(function)")
        }
        if anchored && !anchoredFunctions.contains(function) {
            return QueryError(.execution, "anchored modifier can only be used with: changes, delta, increase, rate, resets - not with \(function)")
        }
        return nil
    }

    /// The slice of `samples` (non-stale, time-ordered) an extended window covers, and whether
    /// any of them lies inside `(rangeStart, rangeEnd]`; nil when the window is empty.
    static func window(_ samples: [Sample], rangeStart: Timestamp, rangeEnd: Timestamp, lookback: Int64,
                       smoothed: Bool) -> (samples: ArraySlice<Sample>, hasInside: Bool)? {
        let firstInside = partition(samples) { $0.timestamp > rangeStart }
        let firstAfter = partition(samples) { $0.timestamp > rangeEnd }
        var low = firstInside, high = firstAfter
        if low > 0, samples[low - 1].timestamp > rangeStart - lookback { low -= 1 }
        if smoothed, high < samples.count, samples[high].timestamp <= rangeEnd + lookback { high += 1 }
        return low < high ? (samples[low..<high], firstInside < firstAfter) : nil
    }

    /// A smoothed instant selector's value at `time`: interpolated between the neighbouring
    /// samples (within the lookback), or the latest one when nothing follows.
    static func smoothedValue(_ samples: [Sample], at time: Timestamp, lookback: Int64) -> Double? {
        let after = partition(samples) { $0.timestamp > time }
        guard after > 0, samples[after - 1].timestamp > time - lookback else { return nil }
        let before = samples[after - 1]
        if before.timestamp == time || after == samples.count || samples[after].timestamp > time + lookback {
            return before.value
        }
        return interpolate(before, samples[after], time, false)
    }

    private static func partition(_ samples: [Sample], _ isAfter: (Sample) -> Bool) -> Int {
        var low = 0, high = samples.count
        while low < high {
            let mid = (low + high) / 2
            if isAfter(samples[mid]) { high = mid } else { low = mid + 1 }
        }
        return low
    }

    private static func interpolate(_ p1: Sample, _ p2: Sample, _ t: Timestamp, _ isCounter: Bool) -> Double {
        let y1 = isCounter && p2.value < p1.value ? 0 : p1.value
        return y1 + (p2.value - y1) * Double(t - p1.timestamp) / Double(p2.timestamp - p1.timestamp)
    }
}
