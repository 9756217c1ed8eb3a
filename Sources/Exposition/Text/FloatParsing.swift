/// Parses numbers the way Prometheus' text parsers do (Go's `strconv.ParseFloat` minus hex
/// floats and underscores), straight from bytes.
package enum FloatParsing {
    private static let powersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]

    /// The value of `bytes[range]`, or nil when it is not a float Prometheus accepts.
    ///
    /// Accepts decimal literals (`1`, `-2.5`, `.5`, `5.`, `1e3`, `1E-3`), `NaN` (no sign) and
    /// `Inf`/`Infinity` with an optional sign, case-insensitive. Finite literals that overflow to
    /// infinity are rejected, as Go reports a range error for them.
    package static func parse(_ bytes: [UInt8], _ range: Range<Int>) -> Double? {
        var index = range.lowerBound
        let end = range.upperBound
        guard index < end else { return nil }
        var negative = false
        let signed = bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-")
        if signed {
            negative = bytes[index] == UInt8(ascii: "-")
            index += 1
            guard index < end else { return nil }
        }
        let first = bytes[index]
        if first | 0x20 == UInt8(ascii: "i") || first | 0x20 == UInt8(ascii: "n") {
            return special(bytes, index..<end, signed: signed, negative: negative)
        }
        // Strict decimal grammar: digits [. digits] [e [sign] digits], at least one mantissa digit.
        var mantissa: UInt64 = 0
        var significant = 0
        var dropped = false
        var decimalExponent = 0
        var sawDigit = false
        var sawPoint = false
        while index < end {
            let byte = bytes[index]
            if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
                sawDigit = true
                if mantissa == 0 && byte == UInt8(ascii: "0") {
                    if sawPoint { decimalExponent -= 1 }
                } else if significant < 19 {
                    mantissa = mantissa &* 10 &+ UInt64(byte &- UInt8(ascii: "0"))
                    significant += 1
                    if sawPoint { decimalExponent -= 1 }
                } else {
                    if byte != UInt8(ascii: "0") { dropped = true }
                    if !sawPoint { decimalExponent += 1 }
                }
            } else if byte == UInt8(ascii: ".") && !sawPoint {
                sawPoint = true
            } else {
                break
            }
            index += 1
        }
        guard sawDigit else { return nil }
        if index < end {
            guard bytes[index] | 0x20 == UInt8(ascii: "e") else { return nil }
            index += 1
            var exponentNegative = false
            if index < end && (bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-")) {
                exponentNegative = bytes[index] == UInt8(ascii: "-")
                index += 1
            }
            guard index < end else { return nil }
            var exponent = 0
            while index < end {
                let byte = bytes[index]
                guard byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") else { return nil }
                if exponent < 100_000 { exponent = exponent * 10 + Int(byte - UInt8(ascii: "0")) }
                index += 1
            }
            decimalExponent += exponentNegative ? -exponent : exponent
        }
        // Clinger's fast path: both operands exact, one correctly rounded operation.
        if !dropped && mantissa < (1 << 53) && decimalExponent >= -22 && decimalExponent <= 22 {
            var value = Double(mantissa)
            if decimalExponent < 0 {
                value /= powersOfTen[-decimalExponent]
            } else {
                value *= powersOfTen[decimalExponent]
            }
            return negative ? -value : value
        }
        if mantissa == 0 { return negative ? -0.0 : 0.0 }
        guard let value = Double(String(decoding: bytes[range], as: UTF8.self)), value.isFinite else { return nil }
        return value
    }

    private static func special(_ bytes: [UInt8], _ range: Range<Int>, signed: Bool, negative: Bool) -> Double? {
        let count = range.count
        func matches(_ word: StaticString) -> Bool {
            guard word.utf8CodeUnitCount == count else { return false }
            return word.withUTF8Buffer { buffer in
                for offset in 0..<count where bytes[range.lowerBound + offset] | 0x20 != buffer[offset] { return false }
                return true
            }
        }
        if matches("inf") || matches("infinity") { return negative ? -.infinity : .infinity }
        if !signed && matches("nan") { return .nan }
        return nil
    }

    /// A decimal integer (optional leading `-` when `allowSign`) with overflow detection.
    static func parseInt64(_ bytes: [UInt8], _ range: Range<Int>, allowSign: Bool) -> Int64? {
        var index = range.lowerBound
        guard index < range.upperBound else { return nil }
        var negative = false
        if allowSign && (bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+")) {
            negative = bytes[index] == UInt8(ascii: "-")
            index += 1
            guard index < range.upperBound else { return nil }
        }
        var value: Int64 = 0
        while index < range.upperBound {
            let byte = bytes[index]
            guard byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") else { return nil }
            let digit = Int64(byte - UInt8(ascii: "0"))
            let (times, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = negative ? times.subtractingReportingOverflow(digit) : times.addingReportingOverflow(digit)
            if overflow1 || overflow2 { return nil }
            value = sum
            index += 1
        }
        return value
    }
}
