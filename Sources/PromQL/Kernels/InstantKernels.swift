import Foundation

/// Pure element-wise and per-vector kernels of PromQL's instant-vector functions, with
/// Prometheus 3.x (Go `math`) semantics. Stateless and thread-safe.
package enum InstantKernels {
    /// The one-argument element-wise float function called `name` in PromQL (`abs`, `ceil`,
    /// `floor`, `exp`, `ln`, `log2`, `log10`, `sqrt`, `sgn`, the trigonometric and hyperbolic
    /// functions, `deg`, `rad`), or `nil` when `name` is not one of them.
    package static func mathFunction(named name: String) -> (@Sendable (Double) -> Double)? {
        switch name {
        case "abs": return { Swift.abs($0) }
        case "ceil": return { $0.rounded(.up) }
        case "floor": return { $0.rounded(.down) }
        case "exp": return { Foundation.exp($0) }
        case "ln": return { Foundation.log($0) }
        case "log2": return goLog2
        case "log10": return goLog10
        case "sqrt": return { $0.squareRoot() }
        case "sgn": return sgn
        case "sin": return { Foundation.sin($0) }
        case "cos": return { Foundation.cos($0) }
        case "tan": return { Foundation.tan($0) }
        case "asin": return { Foundation.asin($0) }
        case "acos": return { Foundation.acos($0) }
        case "atan": return { Foundation.atan($0) }
        case "sinh": return { Foundation.sinh($0) }
        case "cosh": return { Foundation.cosh($0) }
        case "tanh": return { Foundation.tanh($0) }
        case "asinh": return { Foundation.asinh($0) }
        case "acosh": return { Foundation.acosh($0) }
        case "atanh": return { Foundation.atanh($0) }
        case "deg": return { $0 * 180 / Double.pi }
        case "rad": return { $0 * Double.pi / 180 }
        default: return nil
        }
    }

    /// `pi()`.
    package static let pi = Double.pi

    /// `sgn`: -1, 1, or the input itself for ±0 and NaN.
    @Sendable package static func sgn(_ value: Double) -> Double {
        value < 0 ? -1 : value > 0 ? 1 : value
    }

    /// Go's `math.Log2`: exact for powers of two, `log(frac)/ln2 + exp` otherwise.
    @Sendable package static func goLog2(_ value: Double) -> Double {
        guard value.isFinite, value > 0 else { return Foundation.log2(value) }
        let exponent = Double(value.exponent + 1)
        let fraction = value.significand / 2   // in [0.5, 1), as Go's Frexp
        if fraction == 0.5 { return exponent - 1 }
        return Foundation.log(fraction) * (1 / M_LN2) + exponent
    }

    /// Go's `math.Log10`: `log2(x) * (ln2/ln10)` (so `log10(1000)` is 2.9999999999999996).
    @Sendable package static func goLog10(_ value: Double) -> Double {
        goLog2(value) * (M_LN2 / M_LN10)
    }

    /// `round(v, toNearest)`: ties round up; computed through the inverse of `toNearest`, as
    /// Prometheus does, which is more accurate for fractions such as 0.1.
    package static func round(_ value: Double, toNearest: Double = 1) -> Double {
        let inverse = 1.0 / toNearest
        return (value * inverse + 0.5).rounded(.down) / inverse
    }

    /// `clamp(v, min, max)`; `nil` (drop every element) when `max < min`. NaN inputs or bounds
    /// give NaN, following Go's `math.Max`/`math.Min`.
    package static func clamp(_ value: Double, min lower: Double, max upper: Double) -> Double? {
        guard !(upper < lower) else { return nil }
        return goMax(lower, goMin(upper, value))
    }

    /// `clamp_min(v, min)`.
    package static func clampMin(_ value: Double, min lower: Double) -> Double {
        goMax(lower, goMin(.infinity, value))
    }

    /// `clamp_max(v, max)`.
    package static func clampMax(_ value: Double, max upper: Double) -> Double {
        goMax(-.infinity, goMin(upper, value))
    }

    /// Go's `math.Max`: +Inf wins over NaN, NaN wins over numbers, +0 over -0.
    package static func goMax(_ x: Double, _ y: Double) -> Double {
        if x == .infinity || y == .infinity { return .infinity }
        if x.isNaN || y.isNaN { return .nan }
        if x == 0 && x == y { return x.sign == .minus ? y : x }
        return x > y ? x : y
    }

    /// Go's `math.Min`: -Inf wins over NaN, NaN wins over numbers, -0 over +0.
    package static func goMin(_ x: Double, _ y: Double) -> Double {
        if x == -.infinity || y == -.infinity { return -.infinity }
        if x.isNaN || y.isNaN { return .nan }
        if x == 0 && x == y { return x.sign == .minus ? x : y }
        return x < y ? x : y
    }

    /// The `quantile` aggregation (and `quantile_over_time`): linear interpolation between
    /// the two closest ranks of the sorted values, NaNs sorted first. Empty input or NaN `q`
    /// give NaN; `q < 0` gives -Inf and `q > 1` +Inf.
    package static func quantile(_ q: Double, _ values: [Double]) -> Double {
        if values.isEmpty || q.isNaN { return .nan }
        if q < 0 { return -.infinity }
        if q > 1 { return .infinity }
        let sorted = values.sorted { ($0.isNaN && !$1.isNaN) || $0 < $1 }
        let n = Double(sorted.count)
        let rank = q * (n - 1)
        let lowerIndex = Swift.max(0, rank.rounded(.down))
        let upperIndex = Swift.min(n - 1, lowerIndex + 1)
        let weight = rank - rank.rounded(.down)
        return sorted[Int(lowerIndex)] * (1 - weight) + sorted[Int(upperIndex)] * weight
    }
}
