import PharosCore

// Numbers, durations and quoted strings, scanned with Prometheus' rules.
extension Lexer {
    /// A number, or failing that a duration such as `1h30m`. The first byte is a digit or `.`.
    mutating func scanNumberOrDuration() -> String? {
        if scanNumber() {
            emit(.number)
            return nil
        }
        if acceptRemainingDuration() {
            emit(.duration)
            return nil
        }
        let shown = goQuote(String(decoding: input[start..<min(pos, input.count)], as: UTF8.self))
        return "bad number or duration syntax: \(shown)"
    }

    private mutating func acceptRemainingDuration() -> Bool {
        func unit(_ set: String) -> (UInt8) -> Bool { { set.utf8.contains($0) } }
        guard accept(unit("smhdwy")) else { return false }
        _ = accept(unit("s"))
        while accept(isDigit) {
            while accept(isDigit) {}
            guard accept(unit("smhdw")) else { return false }
            _ = accept(unit("s"))
        }
        // On failure the offending byte is part of the reported text, as in Prometheus.
        if let next = current, isAlphaNumeric(next) {
            pos += 1
            return false
        }
        return true
    }

    /// Scans a number literal shape; the value is checked by the parser.
    private mutating func scanNumber() -> Bool {
        let initial = pos
        var hex = false
        if accept({ $0 == UInt8(ascii: "0") }) && accept({ $0 == UInt8(ascii: "x") || $0 == UInt8(ascii: "X") }) {
            _ = accept({ $0 == UInt8(ascii: "_") })
            hex = true
        }
        let isHex = hex
        let digit: (UInt8) -> Bool = { (c: UInt8) -> Bool in
            if isDigit(c) { return true }
            let lower = c | 0x20
            return isHex && lower >= 0x61 && lower <= 0x66
        }
        let isDot: (UInt8) -> Bool = { $0 == UInt8(ascii: ".") }
        let isExp: (UInt8) -> Bool = { $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }
        let isUnderscore: (UInt8) -> Bool = { $0 == UInt8(ascii: "_") }
        let anti: (UInt8) -> Bool = { isDot($0) || isUnderscore($0) || isExp($0) }
        _ = accept(isDot)
        _ = accept(digit)
        var dotSeen = false
        var expSeen = false
        while let c = current, digit(c) || isDot(c) || isUnderscore(c) || isExp(c) {
            if isDot(c), dotSeen {
                pos += 1
                return false
            }
            if isExp(c), expSeen {
                pos += 1
                return false
            }
            if accept(isDot) {
                dotSeen = true
                if accept({ isUnderscore($0) || isDot($0) }) { return false }
                if hex { return false }
                continue
            }
            if accept(isExp) {
                expSeen = true
                _ = accept({ $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "-") })
                if accept(anti) || current == nil { return false }
                continue
            }
            if accept(isUnderscore) {
                if accept(anti) || current == nil { return false }
                continue
            }
            while accept(digit) {}
        }
        if pos == initial { return false }
        return !(current.map(isAlphaNumeric) ?? false)
    }

    /// A `"` or `'` string; the opening quote is consumed. Escapes are validated here.
    mutating func scanString(quote: UInt8) -> String? {
        while true {
            guard let c = current else { return "unterminated quoted string" }
            if c == UInt8(ascii: "\n") { return "unterminated quoted string" }
            if c == quote {
                pos += 1
                emit(.string)
                return nil
            }
            if c == UInt8(ascii: "\\") {
                pos += 1
                if let message = scanEscape(quote: quote) { return message }
                continue
            }
            if c < 0x80 {
                pos += 1
                continue
            }
            let (scalar, width) = decodeScalar(input, at: pos)
            if scalar == nil { return "invalid UTF-8 rune" }
            pos += width
        }
    }

    mutating func scanRawString() -> String? {
        while true {
            guard let c = current else { return "unterminated raw string" }
            if c == UInt8(ascii: "`") {
                pos += 1
                emit(.string)
                return nil
            }
            if c < 0x80 {
                pos += 1
                continue
            }
            let (scalar, width) = decodeScalar(input, at: pos)
            if scalar == nil { return "invalid UTF-8 rune" }
            pos += width
        }
    }

    private mutating func scanEscape(quote: UInt8) -> String? {
        guard let c = current else { return "escape sequence not terminated" }
        pos += 1
        var count: Int
        var base: UInt32
        var maxValue: UInt32
        var digitByte: UInt8? = c
        switch c {
        case UInt8(ascii: "a"), UInt8(ascii: "b"), UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"),
             UInt8(ascii: "t"), UInt8(ascii: "v"), UInt8(ascii: "\\"), quote:
            return nil
        case UInt8(ascii: "0")...UInt8(ascii: "7"):
            (count, base, maxValue) = (3, 8, 255)
        case UInt8(ascii: "x"):
            (count, base, maxValue) = (2, 16, 255)
            digitByte = current; pos += 1
        case UInt8(ascii: "u"):
            (count, base, maxValue) = (4, 16, 0x10FFFF)
            digitByte = current; pos += 1
        case UInt8(ascii: "U"):
            (count, base, maxValue) = (8, 16, 0x10FFFF)
            digitByte = current; pos += 1
        default:
            let (scalar, _) = decodeScalar(input, at: pos - 1)
            return "unknown escape sequence \(goUnicodeFormat(scalar))"
        }
        var value: UInt32 = 0
        while count > 0 {
            let d = digitByte.map(digitValue) ?? 16
            if d >= base {
                if digitByte == nil { return "escape sequence not terminated" }
                let (scalar, _) = decodeScalar(input, at: pos - 1)
                return "illegal character \(goUnicodeFormat(scalar)) in escape sequence"
            }
            value = value * base + d
            count -= 1
            if count > 0 {
                digitByte = current
                pos += 1
            }
        }
        if value > maxValue || (0xD800..<0xE000).contains(value) {
            return "escape sequence is an invalid Unicode code point"
        }
        return nil
    }
}

func digitValue(_ c: UInt8) -> UInt32 {
    switch c {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(c - 48)
    case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt32(c - 97 + 10)
    case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt32(c - 65 + 10)
    default: return 16
    }
}

/// Decodes one UTF-8 scalar at `offset`; nil scalar (width 1) for invalid bytes.
func decodeScalar(_ bytes: [UInt8], at offset: Int) -> (Unicode.Scalar?, Int) {
    let b0 = bytes[offset]
    if b0 < 0x80 { return (Unicode.Scalar(b0), 1) }
    let width: Int
    var value: UInt32
    switch b0 {
    case 0xC2...0xDF: width = 2; value = UInt32(b0 & 0x1F)
    case 0xE0...0xEF: width = 3; value = UInt32(b0 & 0x0F)
    case 0xF0...0xF4: width = 4; value = UInt32(b0 & 0x07)
    default: return (nil, 1)
    }
    guard offset + width <= bytes.count else { return (nil, 1) }
    for i in 1..<width {
        let b = bytes[offset + i]
        guard b & 0xC0 == 0x80 else { return (nil, 1) }
        value = value << 6 | UInt32(b & 0x3F)
    }
    let minimum: UInt32 = width == 2 ? 0x80 : width == 3 ? 0x800 : 0x10000
    guard value >= minimum, let scalar = Unicode.Scalar(value) else { return (nil, 1) }
    return (scalar, width)
}
