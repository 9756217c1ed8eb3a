/// Kahan-Babuška (Neumaier) compensated summation, as Prometheus uses for `sum`, `avg`,
/// `*_over_time` and the least-squares fits of `deriv`/`predict_linear`.
///
/// Keep a running `sum` and a separate compensation `c`; the exact result is `sum + c`
/// (callers add `c` once at the end). Once the sum overflows to ±Inf the compensation is reset
/// to zero so that `sum + c` stays infinite instead of turning into NaN.
package enum KahanSum {
    /// Adds `increment` to the pair (`sum`, `compensation`) and returns the new pair.
    @inlinable
    package static func add(_ increment: Double, to sum: Double, compensation: Double) -> (sum: Double, compensation: Double) {
        let total = sum + increment
        var c = compensation
        if total.isInfinite {
            c = 0
        } else if abs(sum) >= abs(increment) {
            c += (sum - total) + increment
        } else {
            c += (increment - total) + sum
        }
        return (total, c)
    }

    /// The compensated sum of `values` (`sum + c`, or the bare sum once it is infinite).
    package static func sum(_ values: some Sequence<Double>) -> Double {
        var sum = 0.0, c = 0.0
        for value in values { (sum, c) = add(value, to: sum, compensation: c) }
        return sum.isInfinite ? sum : sum + c
    }
}
