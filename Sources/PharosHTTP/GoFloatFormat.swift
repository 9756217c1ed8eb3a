import PharosCore

/// The Prometheus HTTP API's float text (`PharosCore.GoFloat`).
package enum GoFloatFormat {
    /// A sample value in API JSON: Go's `'e'` format when `0 < |v| < 1e-6` or `|v| >= 1e21`,
    /// `'f'` otherwise (`1000000`, `1e-07`, `1.5e+21`), `NaN`, `+Inf`, `-Inf`.
    package static func apiValue(_ value: Double) -> String { GoFloat.apiValue(value) }
}
