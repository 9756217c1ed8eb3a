// Go's quoting and unquoting rules, which Prometheus' messages and strings follow.

/// Go's `%q` of a string: double quotes, backslash escapes for controls, printable Unicode kept.
package func goQuote(_ s: String) -> String {
    var out = "\""
    for scalar in s.unicodeScalars { appendEscaped(scalar, quote: "\"", to: &out) }
    return out + "\""
}

/// Go's `%.Nq`: quotes at most `limit` scalars of `s`.
func goQuote(_ s: String, limit: Int) -> String {
    var out = "\""
    for scalar in s.unicodeScalars.prefix(limit) { appendEscaped(scalar, quote: "\"", to: &out) }
    return out + "\""
}

/// Go's `%q` of a rune (nil = EOF/invalid, shown as U+FFFD).
func goQuoteRune(_ scalar: Unicode.Scalar?) -> String {
    var out = "'"
    appendEscaped(scalar ?? "\u{FFFD}", quote: "'", to: &out)
    return out + "'"
}

/// Go's `%#U`: `U+0071 'q'`.
func goUnicodeFormat(_ scalar: Unicode.Scalar?) -> String {
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

/// Unquotes a lexed string token (`"…"`, `'…'` or backticks) with Go's escapes.
/// The lexer has validated escapes, so this only fails on malformed input it never emits.
func goUnquote(_ bytes: ArraySlice<UInt8>) -> String? {
    guard bytes.count >= 2, let quote = bytes.first, bytes.last == quote else { return nil }
    let body = bytes.dropFirst().dropLast()
    if quote == UInt8(ascii: "`") { return String(decoding: body, as: UTF8.self) }
    if !body.contains(UInt8(ascii: "\\")) { return String(decoding: body, as: UTF8.self) }
    var out: [UInt8] = []
    out.reserveCapacity(body.count)
    var i = body.startIndex
    func hexValue(_ from: Int, _ count: Int) -> UInt32? {
        guard from + count <= body.endIndex else { return nil }
        var v: UInt32 = 0
        for j in from..<(from + count) {
            let d = digitValue(body[j])
            if d >= 16 { return nil }
            v = v * 16 + d
        }
        return v
    }
    func appendScalar(_ v: UInt32) -> Bool {
        guard let s = Unicode.Scalar(v) else { return false }
        out.append(contentsOf: Array(String(s).utf8))
        return true
    }
    while i < body.endIndex {
        let c = body[i]
        guard c == UInt8(ascii: "\\") else {
            out.append(c)
            i += 1
            continue
        }
        i += 1
        guard i < body.endIndex else { return nil }
        let e = body[i]
        i += 1
        switch e {
        case UInt8(ascii: "a"): out.append(0x07)
        case UInt8(ascii: "b"): out.append(0x08)
        case UInt8(ascii: "f"): out.append(0x0C)
        case UInt8(ascii: "n"): out.append(0x0A)
        case UInt8(ascii: "r"): out.append(0x0D)
        case UInt8(ascii: "t"): out.append(0x09)
        case UInt8(ascii: "v"): out.append(0x0B)
        case UInt8(ascii: "\\"), UInt8(ascii: "'"), UInt8(ascii: "\""): out.append(e)
        case UInt8(ascii: "0")...UInt8(ascii: "7"):
            guard i + 2 <= body.endIndex else { return nil }
            var v = UInt32(e - 48)
            for j in i..<(i + 2) {
                let d = digitValue(body[j])
                if d >= 8 { return nil }
                v = v * 8 + d
            }
            guard v <= 255 else { return nil }
            out.append(UInt8(v))
            i += 2
        case UInt8(ascii: "x"):
            guard let v = hexValue(i, 2) else { return nil }
            out.append(UInt8(v))
            i += 2
        case UInt8(ascii: "u"):
            guard let v = hexValue(i, 4), appendScalar(v) else { return nil }
            i += 4
        case UInt8(ascii: "U"):
            guard let v = hexValue(i, 8), appendScalar(v) else { return nil }
            i += 8
        default: return nil
        }
    }
    return String(decoding: out, as: UTF8.self)
}
