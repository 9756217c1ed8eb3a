/// Which label names are accepted: Prometheus' `metric_name_validation_scheme` (`utf8` or
/// `legacy`), used by config decoding and relabeling.
package enum LabelNameValidation: String, Sendable, Hashable {
    /// Prometheus 3's default: any non-empty UTF-8 string.
    case utf8
    /// `[a-zA-Z_][a-zA-Z0-9_]*`, Prometheus 2's rule (`metric_name_validation_scheme: legacy`).
    case legacy

    /// Whether `name` is allowed under this scheme.
    package func isValid(_ name: String) -> Bool {
        switch self {
        case .utf8: !name.isEmpty
        case .legacy: Labels.isValidLegacyName(name)
        }
    }
}
