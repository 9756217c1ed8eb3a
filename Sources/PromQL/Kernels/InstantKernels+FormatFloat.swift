/// Go's float formatting where PromQL turns values into label values: `count_values`
/// (`strconv.FormatFloat(v, 'f', -1, 64)`) and `histogram_quantiles`' quantile label
/// (`labels.FormatOpenMetricsFloat`).
extension InstantKernels {
    /// Go's `strconv.FormatFloat(v, 'f', -1, 64)`: the shortest round-tripping digits, never in
    /// exponent form (`1e+21` → "1000000000000000000000", `1e-7` → "0.0000001", `100` → "100");
    /// NaN, +Inf and -Inf as "NaN", "+Inf", "-Inf".
    package static func formatFloatPositional(_ value: Double) -> String {
        if let special = specialSpelling(value) { return special }
        let (digits, point) = shortestDigits(value)
        return (value.sign == .minus ? "-" : "") + positional(digits, point)
    }

    /// Go's `strconv.FormatFloat(v, 'g', -1, 64)`: shortest digits, in exponent form (`1e+06`,
    /// `1.5e-05`) when the decimal exponent is below -4 or at least 6.
    package static func formatFloatShortest(_ value: Double) -> String {
        if let special = specialSpelling(value) { return special }
        let (digits, point) = shortestDigits(value)
        let sign = value.sign == .minus ? "-" : ""
        let exponent = point - 1
        guard exponent < -4 || exponent >= 6 else { return sign + positional(digits, point) }
        let mantissa = digits.count > 1 ? "\(digits.first!)." + digits.dropFirst() : digits
        let magnitude = String(Swift.abs(exponent))
        return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + (magnitude.count < 2 ? "0" : "") + magnitude
    }

    /// Prometheus' `labels.FormatOpenMetricsFloat`: like `formatFloatShortest`, but integral
    /// values get a ".0" (`1` → "1.0", `0` → "0.0"), as in `histogram_quantiles`' `q` label.
    package static func formatOpenMetricsFloat(_ value: Double) -> String {
        let text = formatFloatShortest(value)
        if specialSpelling(value) != nil || text.contains(where: { $0 == "e" || $0 == "." }) { return text }
        return text + ".0"
    }

    private static func specialSpelling(_ value: Double) -> String? {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        return nil
    }

    /// The shortest round-tripping decimal digits of |value| (no leading or trailing zeros,
    /// "0" for zero) and the position of the decimal point relative to their start.
    private static func shortestDigits(_ value: Double) -> (digits: String, point: Int) {
        if value == 0 { return ("0", 1) }
        var text = "\(Swift.abs(value))"   // Swift prints the shortest round-trip digits
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            exponent = Int(text[text.index(after: e)...]) ?? 0
            text = String(text[..<e])
        }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        var digits = String(parts[0]) + (parts.count > 1 ? String(parts[1]) : "")
        var point = parts[0].count + exponent
        while digits.count > 1, digits.first == "0" {
            digits.removeFirst()
            point -= 1
        }
        while digits.count > 1, digits.last == "0" { digits.removeLast() }
        return (digits, point)
    }

    private static func positional(_ digits: String, _ point: Int) -> String {
        if point <= 0 { return "0." + String(repeating: "0", count: -point) + digits }
        if point >= digits.count { return digits + String(repeating: "0", count: point - digits.count) }
        let split = digits.index(digits.startIndex, offsetBy: point)
        return digits[..<split] + "." + digits[split...]
    }
}
