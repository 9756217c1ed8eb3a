// Go's quoting (`strconv.Quote`, `%q`): the one quoting rule for label values, names and
// strings in Pharos' messages, as Prometheus prints them.

/// Go's `%q` of a string: double quotes, backslash escapes for controls, printable Unicode kept.
package func goQuote(_ s: String) -> String {
    var out = "\""
    for scalar in s.unicodeScalars { appendEscaped(scalar, quote: "\"", to: &out) }
    return out + "\""
}

/// Go's `%.Nq`: quotes at most `limit` scalars of `s`.
package func goQuote(_ s: String, limit: Int) -> String {
    var out = "\""
    for scalar in s.unicodeScalars.prefix(limit) { appendEscaped(scalar, quote: "\"", to: &out) }
    return out + "\""
}

/// Go's `%q` of a rune (nil = EOF/invalid, shown as U+FFFD).
package func goQuoteRune(_ scalar: Unicode.Scalar?) -> String {
    var out = "'"
    appendEscaped(scalar ?? "\u{FFFD}", quote: "'", to: &out)
    return out + "'"
}

/// Go's `%#U`: `U+0071 'q'`.
package func goUnicodeFormat(_ scalar: Unicode.Scalar?) -> String {
    let s = scalar ?? "\u{FFFD}"
    var hex = String(s.value, radix: 16, uppercase: true)
    while hex.count < 4 { hex = "0" + hex }
    return isPrintable(s) ? "U+\(hex) '\(s)'" : "U+\(hex)"
}

private func isPrintable(_ s: Unicode.Scalar) -> Bool {
    if s.value < 0x20 || s.value == 0x7F || (0x80..<0xA0).contains(s.value) { return false }
    switch s.properties.generalCategory {
    case .control, .format, .surrogate, .privateUse, .unassigned, .lineSeparator, .paragraphSeparator:
        return false
    case .spaceSeparator:
        return s == " "
    default:
        return true
    }
}

private func appendEscaped(_ scalar: Unicode.Scalar, quote: Character, to out: inout String) {
    switch scalar {
    case "\u{07}": out += "\\a"
    case "\u{08}": out += "\\b"
    case "\u{0C}": out += "\\f"
    case "\n": out += "\\n"
    case "\r": out += "\\r"
    case "\t": out += "\\t"
    case "\u{0B}": out += "\\v"
    case "\\": out += "\\\\"
    default:
        if Character(scalar) == quote {
            out += "\\" + String(quote)
        } else if isPrintable(scalar) {
            out.unicodeScalars.append(scalar)
        } else if scalar.value < 0x80 {
            out += "\\x" + hexDigits(scalar.value, 2)
        } else if scalar.value <= 0xFFFF {
            out += "\\u" + hexDigits(scalar.value, 4)
        } else {
            out += "\\U" + hexDigits(scalar.value, 8)
        }
    }
}

private func hexDigits(_ v: UInt32, _ width: Int) -> String {
    var s = String(v, radix: 16)
    while s.count < width { s = "0" + s }
    return s
}
