/// One classic-histogram bucket: the `le` upper bound and the cumulative count.
package struct ClassicBucket: Hashable, Sendable {
    package var upperBound: Double
    package var count: Double

    package init(upperBound: Double, count: Double) {
        self.upperBound = upperBound
        self.count = count
    }
}

/// `histogram_quantile` over classic buckets, plus what the engine needs for annotations.
package struct BucketQuantileResult: Hashable, Sendable {
    package var value: Double
    /// Counts decreased with a rising `le` and were raised to form a monotonic envelope: the
    /// engine emits Prometheus' "input to histogram_quantile needed to be fixed for monotonicity" info.
    package var forcedMonotonicity: Bool
    /// Counts differed only by floating-point noise (relative 1e-12) and were equalised silently.
    package var fixedPrecision: Bool
    /// When monotonicity was forced: the lowest and highest `le` of the raised buckets and the
    /// largest amount a count was raised by, for the info's "from buckets … to …, with a max
    /// diff of …" detail. Zero otherwise.
    package var minBucket = 0.0
    package var maxBucket = 0.0
    package var maxDiff = 0.0

    package init(value: Double, forcedMonotonicity: Bool = false, fixedPrecision: Bool = false) {
        self.value = value
        self.forcedMonotonicity = forcedMonotonicity
        self.fixedPrecision = fixedPrecision
    }
}

/// What `ensureMonotonic` changed.
private struct MonotonicityFix {
    var forced = false
    var fixedPrecision = false
    var minBucket = 0.0
    var maxBucket = 0.0
    var maxDiff = 0.0
}

extension InstantKernels {
    /// Relative difference below which two neighbouring bucket counts are considered equal.
    package static let smallDeltaTolerance = 1e-12

    /// `histogram_quantile(q, …)` for one classic histogram, with Prometheus' rules:
    /// buckets are sorted by `le` and equal bounds merged; the highest bound must be +Inf and
    /// there must be at least two buckets and one observation, else NaN; NaN q → NaN,
    /// q < 0 → -Inf, q > 1 → +Inf; counts are made monotonic first; the value is interpolated
    /// linearly inside the bucket holding rank `q·count`, from 0 for the lowest bucket when its
    /// bound is positive (its bound itself when ≤ 0); a rank in the +Inf bucket returns the
    /// second-highest bound.
    package static func histogramQuantile(_ q: Double, buckets input: [ClassicBucket]) -> BucketQuantileResult {
        func plain(_ value: Double) -> BucketQuantileResult { BucketQuantileResult(value: value) }
        if q.isNaN { return plain(.nan) }
        if q < 0 { return plain(-.infinity) }
        if q > 1 { return plain(.infinity) }
        guard var buckets = prepared(input) else { return plain(.nan) }
        let fix = ensureMonotonic(&buckets)
        guard buckets.count >= 2 else { return plain(.nan) }
        let observations = buckets[buckets.count - 1].count
        guard observations != 0 else { return plain(.nan) }
        var rank = q * observations
        // First bucket (excluding +Inf) whose count reaches the rank; the +Inf index when none.
        var low = 0, high = buckets.count - 1
        while low < high {
            let mid = (low + high) / 2
            if buckets[mid].count >= rank { high = mid } else { low = mid + 1 }
        }
        let b = low
        func result(_ value: Double) -> BucketQuantileResult {
            var result = BucketQuantileResult(value: value, forcedMonotonicity: fix.forced, fixedPrecision: fix.fixedPrecision)
            result.minBucket = fix.minBucket
            result.maxBucket = fix.maxBucket
            result.maxDiff = fix.maxDiff
            return result
        }
        if b == buckets.count - 1 { return result(buckets[buckets.count - 2].upperBound) }
        if b == 0 && buckets[0].upperBound <= 0 { return result(buckets[0].upperBound) }
        var bucketStart = 0.0
        let bucketEnd = buckets[b].upperBound
        var count = buckets[b].count
        if b > 0 {
            bucketStart = buckets[b - 1].upperBound
            count -= buckets[b - 1].count
            rank -= buckets[b - 1].count
        }
        return result(bucketStart + (bucketEnd - bucketStart) * (rank / count))
    }

    /// `histogramQuantile(_:buckets:)` over (upperBound, count) pairs.
    package static func histogramQuantile(_ q: Double, buckets: [(upperBound: Double, count: Double)]) -> BucketQuantileResult {
        histogramQuantile(q, buckets: buckets.map { ClassicBucket(upperBound: $0.upperBound, count: $0.count) })
    }

    /// `histogram_fraction(lower, upper, …)` for one classic histogram: the share of
    /// observations in (lower, upper], interpolating linearly inside a bucket. The lowest
    /// bucket starts at 0 when its bound is positive, else at -Inf; a bound inside a bucket
    /// of infinite width contributes nothing from that bucket. NaN when the buckets are not
    /// usable (no +Inf bucket, no observations) or a bound is NaN; 0 when `lower >= upper`.
    package static func histogramFraction(lower: Double, upper: Double, buckets input: [ClassicBucket]) -> Double {
        guard var buckets = prepared(input) else { return .nan }
        _ = ensureMonotonic(&buckets)
        let total = buckets[buckets.count - 1].count
        if total == 0 || lower.isNaN || upper.isNaN { return .nan }
        if lower >= upper { return 0 }
        var rank = 0.0
        var lowerRank: Double?, upperRank: Double?
        var previousBound = buckets[0].upperBound > 0 ? 0 : -Double.infinity
        var previousCount = 0.0
        for bucket in buckets {
            let bucketLower = previousBound, bucketUpper = bucket.upperBound
            let count = bucket.count - previousCount
            func rankAt(_ v: Double) -> Double {
                if bucketLower == -.infinity { return rank + count }
                if bucketUpper == .infinity { return rank }
                return rank + count * (v - bucketLower) / (bucketUpper - bucketLower)
            }
            if lowerRank == nil && bucketLower >= lower { lowerRank = rank }
            if upperRank == nil && bucketLower >= upper { upperRank = rank }
            if lowerRank != nil && upperRank != nil { break }
            if lowerRank == nil && bucketLower < lower && bucketUpper > lower { lowerRank = rankAt(lower) }
            if upperRank == nil && bucketLower < upper && bucketUpper > upper { upperRank = rankAt(upper) }
            if lowerRank != nil && upperRank != nil { break }
            rank += count
            previousBound = bucketUpper
            previousCount = bucket.count
        }
        let low = Swift.min(lowerRank ?? total, total)
        let high = Swift.min(upperRank ?? total, total)
        return (high - low) / total
    }

    /// Sorted by bound with equal bounds merged; `nil` when empty or the top bound is not +Inf.
    private static func prepared(_ input: [ClassicBucket]) -> [ClassicBucket]? {
        guard !input.isEmpty else { return nil }
        let sorted = input.sorted { $0.upperBound < $1.upperBound }
        guard sorted[sorted.count - 1].upperBound == .infinity else { return nil }
        var merged: [ClassicBucket] = []
        merged.reserveCapacity(sorted.count)
        for bucket in sorted {
            if let last = merged.last, last.upperBound == bucket.upperBound {
                merged[merged.count - 1].count += bucket.count
            } else {
                merged.append(bucket)
            }
        }
        return merged
    }

    /// Equalises counts that differ only by float noise, then raises any decrease to the
    /// running maximum.
    private static func ensureMonotonic(_ buckets: inout [ClassicBucket]) -> MonotonicityFix {
        var fix = MonotonicityFix()
        var previous = buckets[0].count
        for i in buckets.indices.dropFirst() {
            let current = buckets[i].count
            if current == previous { continue }
            if almostEqual(previous, current, tolerance: smallDeltaTolerance) {
                buckets[i].count = previous
                fix.fixedPrecision = true
                continue
            }
            if current < previous {
                let bound = buckets[i].upperBound
                if !fix.forced {
                    (fix.minBucket, fix.maxBucket) = (bound, bound)
                } else {
                    fix.minBucket = Swift.min(fix.minBucket, bound)
                    fix.maxBucket = Swift.max(fix.maxBucket, bound)
                }
                fix.maxDiff = Swift.max(fix.maxDiff, previous - current)
                buckets[i].count = previous
                fix.forced = true
                continue
            }
            previous = current
        }
        return fix
    }

    /// Prometheus' `almost.Equal`: relative comparison, absolute near zero, NaN equals NaN.
    package static func almostEqual(_ a: Double, _ b: Double, tolerance: Double) -> Bool {
        if a.isNaN && b.isNaN { return true }
        if a == b { return true }
        let minNormal = Double.leastNormalMagnitude
        let absSum = Swift.abs(a) + Swift.abs(b)
        let diff = Swift.abs(a - b)
        if a == 0 || b == 0 || absSum < minNormal { return diff < tolerance * minNormal }
        return diff / Swift.min(absSum, Double.greatestFiniteMagnitude) < tolerance
    }
}
