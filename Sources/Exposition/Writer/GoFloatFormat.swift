/// Formats doubles like Go's `strconv.FormatFloat(v, 'g', -1, 64)` with expfmt's special
/// cases, so text written here matches what Prometheus' `/federate` writes.
///
/// Shortest round-trip digits; exponent form when the decimal exponent is below -4 or at least
/// 6 (`1e+06`, `1.5e-05`, exponent with at least two digits); `NaN`, `+Inf`, `-Inf`.
package enum GoFloatFormat {
    package static func format(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Inf" : "+Inf" }
        if value == 0 { return value.sign == .minus ? "-0" : "0" }
        let (digits, pointPosition) = shortestDigits(value.magnitude)
        var out = value < 0 ? "-" : ""
        let exponent = pointPosition - 1
        if exponent < -4 || exponent >= 6 {
            out.append(digits.first!)
            if digits.count > 1 {
                out.append(".")
                out.append(contentsOf: digits.dropFirst())
            }
            out.append(exponent < 0 ? "e-" : "e+")
            let magnitude = String(abs(exponent))
            if magnitude.count < 2 { out.append("0") }
            out.append(magnitude)
        } else if pointPosition <= 0 {
            out.append("0.")
            out.append(String(repeating: "0", count: -pointPosition))
            out.append(contentsOf: digits)
        } else if pointPosition >= digits.count {
            out.append(contentsOf: digits)
            out.append(String(repeating: "0", count: pointPosition - digits.count))
        } else {
            let split = digits.index(digits.startIndex, offsetBy: pointPosition)
            out.append(contentsOf: digits[..<split])
            out.append(".")
            out.append(contentsOf: digits[split...])
        }
        return out
    }

    /// Prometheus' `formatOpenMetricsFloat`: `format` plus `.0` when the result has neither a
    /// decimal point nor an exponent (`1` → `1.0`, `1e+06` stays, `+Inf` stays).
    package static func openMetrics(_ value: Double) -> String {
        let text = format(value)
        guard value.isFinite else { return text }
        return text.contains(where: { $0 == "." || $0 == "e" }) ? text : text + ".0"
    }

    /// The shortest round-trip decimal digits of a positive finite value (no leading or
    /// trailing zeros) and the position of the decimal point relative to the first digit
    /// (value = 0.d1d2… × 10^pointPosition). Swift's `description` already prints shortest digits.
    static func shortestDigits(_ value: Double) -> (digits: String, pointPosition: Int) {
        let text = value.description
        var mantissa = Substring(text)
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = text[..<e]
            exponent = Int(text[text.index(after: e)...]) ?? 0
        }
        var digits = ""
        var pointPosition = 0
        var sawPoint = false
        for character in mantissa {
            if character == "." {
                sawPoint = true
            } else {
                digits.append(character)
                if !sawPoint { pointPosition += 1 }
            }
        }
        pointPosition += exponent
        while digits.first == "0" {
            digits.removeFirst()
            pointPosition -= 1
        }
        while digits.last == "0" { digits.removeLast() }
        return (digits, pointPosition)
    }
}
