extension InstantKernels {
    /// Parses a float the way Go's `strconv.ParseFloat(s, 64)` accepts it, for the `le` label of
    /// classic histogram buckets (and `quantile` labels): decimal with optional sign and
    /// exponent, hexadecimal only with a `p` exponent, `inf`/`infinity` (any case, optional
    /// sign) and `nan` (any case, no sign). `nil` where Go returns an error — including values
    /// that overflow to ±Inf, NaN payloads and surrounding whitespace — so the caller can skip
    /// the series with Prometheus' "bad bucket label" warning.
    package static func parseGoFloat(_ text: String) -> Double? {
        let lower = text.lowercased()
        var unsigned = Substring(lower)
        if let first = unsigned.first, first == "+" || first == "-" { unsigned = unsigned.dropFirst() }
        switch unsigned {
        case "inf", "infinity": return text.hasPrefix("-") ? -.infinity : .infinity
        case "nan": return unsigned.count == lower.count ? .nan : nil
        default: break
        }
        guard let first = unsigned.first, first.isASCII, first.isNumber || first == "." else { return nil }
        if unsigned.hasPrefix("0x") && !unsigned.contains("p") { return nil }
        guard !lower.contains("_"), let value = Double(text), value.isFinite else { return nil }
        return value
    }
}
