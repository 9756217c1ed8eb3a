import PharosCore

/// Go's float formatting where PromQL turns values into label values: `count_values`
/// (`strconv.FormatFloat(v, 'f', -1, 64)`) and `histogram_quantiles`' quantile label
/// (`labels.FormatOpenMetricsFloat`). All three are `PharosCore.GoFloat`.
extension InstantKernels {
    /// Go's `strconv.FormatFloat(v, 'f', -1, 64)`: the shortest round-tripping digits, never in
    /// exponent form (`1e+21` → "1000000000000000000000", `1e-7` → "0.0000001", `100` → "100");
    /// NaN, +Inf and -Inf as "NaN", "+Inf", "-Inf".
    package static func formatFloatPositional(_ value: Double) -> String { GoFloat.format(value, .f) }

    /// Go's `strconv.FormatFloat(v, 'g', -1, 64)`: shortest digits, in exponent form (`1e+06`,
    /// `1.5e-05`) when the decimal exponent is below -4 or at least 6.
    package static func formatFloatShortest(_ value: Double) -> String { GoFloat.format(value, .g) }

    /// Prometheus' `labels.FormatOpenMetricsFloat`: like `formatFloatShortest`, but integral
    /// values get a ".0" (`1` → "1.0", `0` → "0.0"), as in `histogram_quantiles`' `q` label.
    package static func formatOpenMetricsFloat(_ value: Double) -> String { GoFloat.openMetrics(value) }
}
