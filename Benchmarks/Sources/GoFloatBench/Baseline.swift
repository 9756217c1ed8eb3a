// Frozen copies of three of the five float formatters that `PharosCore.GoFloat` replaced
// (main at 1b72bbe: Exposition's GoFloatFormat, PharosHTTP's GoFloatFormat, PromQL's
// formatGoFloatG), kept only so GoFloatBench can compare the new one with them. Not used
// anywhere else; do not fix or extend them.

/// Formats doubles like Go's `strconv.FormatFloat(v, 'g', -1, 64)` with expfmt's special
/// cases, so text written here matches what Prometheus' `/federate` writes.
///
/// Shortest round-trip digits; exponent form when the decimal exponent is below -4 or at least
/// 6 (`1e+06`, `1.5e-05`, exponent with at least two digits); `NaN`, `+Inf`, `-Inf`.
enum BaselineExpositionFormat {
    static func format(_ value: Double) -> String {
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

/// Formats doubles the way the Prometheus HTTP API writes sample values.
///
/// Prometheus uses Go's `strconv.AppendFloat(f, fmt, -1, 64)` with `fmt = 'e'` when
/// `0 < |f| < 1e-6` or `|f| >= 1e21`, and `'f'` otherwise: the shortest digits that round-trip,
/// `1000000` rather than `1e+06`, `1e-07`, `1.5e+21`, and `NaN`, `+Inf`, `-Inf` for the
/// non-finite values. Pure and thread-safe.
enum BaselineAPIFormat {
    /// The API's text for `value`.
    static func apiValue(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Inf" : "+Inf" }
        let magnitude = value.magnitude
        if magnitude != 0 && (magnitude < 1e-6 || magnitude >= 1e21) {
            return exponential(value)
        }
        return fixed(value)
    }

    /// Go's `'f'` format with precision -1: shortest round-trip digits, no exponent.
    static func fixed(_ value: Double) -> String {
        let (negative, digits, exponent) = decompose(value)
        var out = negative ? "-" : ""
        // The value is 0.d1d2d3… × 10^exponent.
        if exponent <= 0 {
            out += "0." + String(repeating: "0", count: -exponent) + digits
        } else if exponent >= digits.count {
            out += digits + String(repeating: "0", count: exponent - digits.count)
        } else {
            let split = digits.index(digits.startIndex, offsetBy: exponent)
            out += digits[..<split] + "." + digits[split...]
        }
        return out
    }

    /// Go's `'e'` format with precision -1: `d[.ddd]e±XX`, at least two exponent digits.
    static func exponential(_ value: Double) -> String {
        let (negative, digits, exponent) = decompose(value)
        var out = negative ? "-" : ""
        out.append(digits.first!)
        if digits.count > 1 { out += "." + digits.dropFirst() }
        let power = exponent - 1
        out += power < 0 ? "e-" : "e+"
        let absPower = power.magnitude
        if absPower < 10 { out += "0" }
        out += String(absPower)
        return out
    }

    /// Shortest round-trip decimal digits (no leading or trailing zeros, "0" for zero) and the
    /// exponent `e` such that |value| = 0.digits × 10^e. Built on Swift's shortest round-trip
    /// `description`, which uses the same digit-generation guarantee as Go.
    private static func decompose(_ value: Double) -> (negative: Bool, digits: String, exponent: Int) {
        let negative = value.sign == .minus  // Go prints -0 as "-0"
        if value == 0 { return (negative, "0", 1) }
        let text = value.magnitude.description  // e.g. "123.45", "1e-07", "1.5e+21", "100.0"
        var mantissa = Substring(text)
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = text[..<e]
            exponent = Int(text[text.index(after: e)...])!
        }
        var integerPart = mantissa
        var fractionPart: Substring = ""
        if let dot = mantissa.firstIndex(of: ".") {
            integerPart = mantissa[..<dot]
            fractionPart = mantissa[mantissa.index(after: dot)...]
        }
        var digits = String(integerPart) + fractionPart
        exponent += integerPart.count
        // Strip leading zeros (each moves the point right) and trailing zeros.
        while digits.count > 1, digits.first == "0" {
            digits.removeFirst()
            exponent -= 1
        }
        while digits.count > 1, digits.last == "0" { digits.removeLast() }
        return (negative, digits, exponent)
    }
}

/// Go's `strconv.FormatFloat(f, 'g', -1, 64)` as `%g`-style shortest text (for messages).
func baselineMessageFormat(_ value: Double) -> String {
    if value.isNaN { return "NaN" }
    if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
    var text = "\(value)"
    if text.hasSuffix(".0") { text.removeLast(2) }
    if let e = text.firstIndex(of: "e") {
        var exponent = String(text[text.index(after: e)...])
        var sign = "+"
        if exponent.hasPrefix("-") { sign = "-"; exponent.removeFirst() }
        if exponent.count < 2 { exponent = "0" + exponent }
        var mantissa = String(text[..<e])
        if mantissa.hasSuffix(".0") { mantissa.removeLast(2) }
        text = mantissa + "e" + sign + exponent
    }
    return text
}
