import PharosCore

// Go's unquoting rules for PromQL string literals (quoting lives in PharosCore's GoQuote).

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
