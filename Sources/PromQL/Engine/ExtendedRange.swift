import PharosCore

/// The experimental `anchored` and `smoothed` range selectors (Prometheus' extended range
/// semantics): windows that also take the last sample before the range (and, when smoothed,
/// the first one after it), and rate/increase/delta over those boundaries without extrapolation.
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

    /// rate/increase/delta over an extended window: boundary values picked (anchored) or
    /// interpolated at the range bounds (smoothed), plus counter-reset corrections.
    static func rate(_ window: ArraySlice<Sample>, rangeStart: Timestamp, rangeEnd: Timestamp, smoothed: Bool,
                     isCounter: Bool, isRate: Bool) -> Double? {
        let f = Array(window)
        guard !f.isEmpty else { return nil }
        var last = f.count - 1
        let first = max(0, searchFirst(last) { f[$0].timestamp > rangeStart } - 1)
        if smoothed { last = searchFirst(last) { f[$0].timestamp >= rangeEnd } }
        if f[last].timestamp <= rangeStart { return nil }
        if smoothed && f[first].timestamp > rangeEnd { return nil }
        let left = smoothed && f[first].timestamp < rangeStart
            ? interpolate(f[first], f[first + 1], rangeStart, isCounter) : f[first].value
        let right = smoothed && last > 0 && f[last].timestamp > rangeEnd
            ? interpolate(f[last - 1], f[last], rangeEnd, isCounter) : f[last].value
        var result = right - left
        if isCounter {
            var lo = first, hi = last
            if f[lo].timestamp <= rangeStart { lo += 1 }
            if f[hi].timestamp >= rangeEnd { hi -= 1 }
            var previous = left
            if lo <= hi {
                for sample in f[lo...hi] {
                    if sample.value < previous { result += previous }
                    previous = sample.value
                }
            }
            if right < previous { result += previous }
        }
        if isRate { result /= Double(rangeEnd - rangeStart) / 1000 }
        return result
    }

    /// Go's `sort.Search(n, pred)`: the first index in [0, n) where `pred` holds, else n.
    private static func searchFirst(_ n: Int, _ pred: (Int) -> Bool) -> Int {
        var low = 0, high = n
        while low < high {
            let mid = (low + high) / 2
            if pred(mid) { high = mid } else { low = mid + 1 }
        }
        return low
    }

    private static func interpolate(_ p1: Sample, _ p2: Sample, _ t: Timestamp, _ isCounter: Bool) -> Double {
        let y1 = isCounter && p2.value < p1.value ? 0 : p1.value
        return y1 + (p2.value - y1) * Double(t - p1.timestamp) / Double(p2.timestamp - p1.timestamp)
    }
}
