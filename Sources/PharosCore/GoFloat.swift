/// Go's float-to-text conversion as Prometheus uses it: `strconv.FormatFloat(value, verb, -1, 64)`
/// with the shortest decimal digits that parse back to the same `Double`.
///
/// - `'g'` (`%v`/`%g` of a float64, the text exposition format, `/federate`, PromQL messages):
///   exponent form when the decimal exponent is below -4 or at least 6 (`1e+06`, `1.5e-05`,
///   `123456`, `0.0001`).
/// - `'e'`: always `d[.ddd]e±XX`, with at least two exponent digits.
/// - `'f'` (`count_values` labels, the PromQL printer's numbers): never an exponent
///   (`1e+21` → `1000000000000000000000`).
///
/// Non-finite values are spelled `NaN`, `+Inf` and `-Inf` for every verb (what `strconv` and
/// `fmt` print); negative zero is `-0`. All functions are pure and thread-safe; the result of a
/// short text (≤ 15 bytes) is a small string that needs no allocation.
package enum GoFloat {
    /// The `fmt` byte of `strconv.FormatFloat`.
    package enum Verb: Sendable {
        case g, e, f
    }

    /// Go's `strconv.FormatFloat(value, verb, -1, 64)`.
    package static func format(_ value: Double, _ verb: Verb = .g) -> String {
        if let special = nonFinite(value) { return special }
        return ShortestDecimal(value).text(verb)
    }

    /// The Prometheus HTTP API's text of a sample value (`jsonutil.MarshalFloat`): `'e'` when
    /// `0 < |value| < 1e-6` or `|value| >= 1e21`, `'f'` otherwise (`1000000`, `1e-07`, `1.5e+21`).
    package static func apiValue(_ value: Double) -> String {
        if let special = nonFinite(value) { return special }
        let magnitude = value.magnitude
        let verb: Verb = magnitude != 0 && (magnitude < 1e-6 || magnitude >= 1e21) ? .e : .f
        return ShortestDecimal(value).text(verb)
    }

    /// Prometheus' `labels.FormatOpenMetricsFloat`: `'g'` plus `.0` when the text has neither a
    /// decimal point nor an exponent (`1` → `1.0`, `1e+06` and `+Inf` unchanged), as used for
    /// normalised `le`/`quantile` label values.
    package static func openMetrics(_ value: Double) -> String {
        let text = format(value)
        guard value.isFinite else { return text }
        let hasPointOrExponent = text.utf8.contains { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "e") }
        return hasPointOrExponent ? text : text + ".0"
    }

    private static func nonFinite(_ value: Double) -> String? {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Inf" : "+Inf" }
        return nil
    }
}

/// A finite double as its shortest round-trip decimal: `±0.d₁d₂…dₙ × 10^point`, with the digits
/// held in an integer (at most 17 significant digits fit in a `UInt64`) and no trailing zeros.
struct ShortestDecimal {
    var negative: Bool
    /// The significant digits, without trailing zeros; 0 for zero.
    var digits: UInt64
    /// How many digits `digits` has (1 for zero).
    var count: Int
    /// Where the decimal point goes, counted from before the first digit.
    var point: Int

    /// `value` must be finite.
    init(_ value: Double) {
        negative = value.sign == .minus
        let magnitude = value.magnitude
        if magnitude == 0 {
            (digits, count, point) = (0, 1, 1)
        } else if magnitude < 0x1p53, magnitude == magnitude.rounded(.towardZero) {
            // Below 2^53 neighbouring doubles are at most 1 apart, so an integer's own digits
            // are its shortest round-trip digits.
            (digits, count, point) = Self.integer(UInt64(magnitude))
        } else {
            (digits, count, point) = Self.parse(magnitude.description)
        }
        while count > 1, digits % 10 == 0 {
            digits /= 10
            count -= 1
        }
    }

    private static func integer(_ value: UInt64) -> (UInt64, Int, Int) {
        var length = 1
        var rest = value / 10
        while rest > 0 {
            length += 1
            rest /= 10
        }
        return (value, length, length)
    }

    /// Reads Swift's shortest round-trip `description` of a positive finite value
    /// (`123.45`, `0.0001`, `1e-05`, `1.5e+21`).
    private static func parse(_ text: String) -> (UInt64, Int, Int) {
        var digits: UInt64 = 0
        var count = 0
        var point = 0
        var sawPoint = false
        var exponent = 0
        var exponentSign = 1
        var inExponent = false
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                let digit = Int(byte &- UInt8(ascii: "0"))
                if inExponent {
                    exponent = exponent * 10 + digit
                } else if count == 0 && digit == 0 {
                    if sawPoint { point -= 1 }  // a leading zero after the point moves it left
                } else {
                    digits = digits &* 10 &+ UInt64(digit)
                    count += 1
                    if !sawPoint { point += 1 }
                }
            case UInt8(ascii: "."): sawPoint = true
            case UInt8(ascii: "e"), UInt8(ascii: "E"): inExponent = true
            case UInt8(ascii: "-"): exponentSign = -1
            default: break  // "+"
            }
        }
        return (digits, count, point + exponentSign * exponent)
    }

    /// The text for a `strconv` verb.
    func text(_ verb: GoFloat.Verb) -> String {
        switch verb {
        case .e: return exponential()
        case .f: return positional()
        case .g:
            let exponent = point - 1
            return exponent < -4 || exponent >= 6 ? exponential() : positional()
        }
    }

    /// `d[.ddd]e±XX`.
    private func exponential() -> String {
        let exponent = point - 1
        let magnitude = exponent.magnitude
        let exponentLength = magnitude < 100 ? 2 : 3
        let sign = negative ? 1 : 0
        let length = sign + count + (count > 1 ? 1 : 0) + 2 + exponentLength
        return String(unsafeUninitializedCapacity: length) { out in
            if negative { out[0] = UInt8(ascii: "-") }
            // Digit i goes to sign + i, after the first one shifted by the point.
            var rest = digits
            var i = count - 1
            while i >= 0 {
                out[sign + i + (i > 0 ? 1 : 0)] = UInt8(ascii: "0") &+ UInt8(rest % 10)
                rest /= 10
                i -= 1
            }
            if count > 1 { out[sign + 1] = UInt8(ascii: ".") }
            var at = sign + count + (count > 1 ? 1 : 0)
            out[at] = UInt8(ascii: "e")
            out[at + 1] = exponent < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+")
            at += 2
            var value = magnitude
            for position in stride(from: at + exponentLength - 1, through: at, by: -1) {
                out[position] = UInt8(ascii: "0") &+ UInt8(value % 10)
                value /= 10
            }
            return length
        }
    }

    /// `ddd.ddd`, `0.000ddd` or `ddd000`.
    private func positional() -> String {
        let sign = negative ? 1 : 0
        let length: Int
        if point <= 0 {
            length = sign + 2 - point + count
        } else if point >= count {
            length = sign + point
        } else {
            length = sign + count + 1
        }
        return String(unsafeUninitializedCapacity: length) { out in
            if negative { out[0] = UInt8(ascii: "-") }
            let zero = UInt8(ascii: "0")
            let first: Int  // where digit 0 goes
            if point <= 0 {
                out[sign] = zero
                out[sign + 1] = UInt8(ascii: ".")
                for position in (sign + 2)..<(sign + 2 - point) { out[position] = zero }
                first = sign + 2 - point
            } else {
                first = sign
                if point >= count {
                    for position in (sign + count)..<length { out[position] = zero }
                } else {
                    out[sign + point] = UInt8(ascii: ".")
                }
            }
            let pointGap = point > 0 && point < count ? point : Int.max  // digits from here on sit after the "."
            var rest = digits
            var i = count - 1
            while i >= 0 {
                out[first + i + (i >= pointGap ? 1 : 0)] = zero &+ UInt8(rest % 10)
                rest /= 10
                i -= 1
            }
            return length
        }
    }
}
