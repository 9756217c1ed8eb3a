import PharosCore

/// Exposition's float texts, both `PharosCore.GoFloat`: sample values like expfmt, so text
/// written here matches what Prometheus' `/federate` writes, and normalised label values.
package enum GoFloatFormat {
    /// Go's `strconv.FormatFloat(v, 'g', -1, 64)`: `1e+06`, `1.5e-05`, `123456`, `NaN`, `+Inf`, `-Inf`.
    package static func format(_ value: Double) -> String { GoFloat.format(value) }

    /// Prometheus' `formatOpenMetricsFloat` for `le` and `quantile` values: `format` plus `.0`
    /// when the text has neither a decimal point nor an exponent (`1` → `1.0`).
    package static func openMetrics(_ value: Double) -> String { GoFloat.openMetrics(value) }
}
