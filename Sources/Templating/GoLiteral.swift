import Foundation

/// Go literal syntax: quoted strings and numbers.
enum GoLiteral {
    static func unquote(_ text: String, quote: Character = "\"") -> String? {
        var chars = Array(text.unicodeScalars)
        guard chars.count >= 2, Character(chars.first!) == quote, Character(chars.last!) == quote else { return nil }
        chars = Array(chars.dropFirst().dropLast())
        var out = String.UnicodeScalarView()
        var i = 0
        func hexValue(_ count: Int) -> UInt32? {
            guard i + count <= chars.count else { return nil }
            let s = String(String.UnicodeScalarView(chars[i..<i + count]))
            i += count
            return UInt32(s, radix: 16)
        }
        var bytes: [UInt8] = []
        func flushBytes() {
            if !bytes.isEmpty { out.append(contentsOf: String(decoding: bytes, as: UTF8.self).unicodeScalars); bytes = [] }
        }
        while i < chars.count {
            let c = chars[i]
            i += 1
            guard c == "\\" else { flushBytes(); out.append(c); continue }
            guard i < chars.count else { return nil }
            let e = chars[i]
            i += 1
            switch e {
            case "n": flushBytes(); out.append("\n")
            case "t": flushBytes(); out.append("\t")
            case "r": flushBytes(); out.append("\r")
            case "a": flushBytes(); out.append("\u{07}")
            case "b": flushBytes(); out.append("\u{08}")
            case "f": flushBytes(); out.append("\u{0C}")
            case "v": flushBytes(); out.append("\u{0B}")
            case "\\": flushBytes(); out.append("\\")
            case "\"", "'": flushBytes(); out.append(e)
            case "x":
                guard let v = hexValue(2) else { return nil }
                bytes.append(UInt8(v))
            case "u", "U":
                guard let v = hexValue(e == "u" ? 4 : 8), let s = Unicode.Scalar(v) else { return nil }
                flushBytes(); out.append(s)
            case "0"..."7":
                guard i + 2 <= chars.count, let v = UInt8(String(String.UnicodeScalarView([e] + chars[i..<i + 2])), radix: 8) else { return nil }
                i += 2
                bytes.append(v)
            default: return nil
            }
        }
        flushBytes()
        return String(out)
    }

    static func number(_ text: String) -> NumberConstant? {
        var s = text.replacingOccurrences(of: "_", with: "")
        var negative = false
        if s.hasPrefix("+") { s.removeFirst() } else if s.hasPrefix("-") { negative = true; s.removeFirst() }
        let lower = s.lowercased()
        var intValue: Int?
        if lower.hasPrefix("0x") { intValue = Int(lower.dropFirst(2), radix: 16) }
        else if lower.hasPrefix("0o") { intValue = Int(lower.dropFirst(2), radix: 8) }
        else if lower.hasPrefix("0b") { intValue = Int(lower.dropFirst(2), radix: 2) }
        else if lower.count > 1, lower.hasPrefix("0"), lower.allSatisfy(\.isNumber) { intValue = Int(lower.dropFirst(), radix: 8) }
        else if lower.allSatisfy(\.isNumber) { intValue = Int(lower) }
        if let v = intValue { return .int(negative ? -v : v) }
        if lower.hasPrefix("0x"), lower.contains("p"), let d = Double(lower) { return .float(negative ? -d : d) }
        guard lower.contains(where: { ".ep".contains($0) }), !lower.hasPrefix("0x") else { return nil }
        guard let d = Double(lower) else { return nil }
        return .float(negative ? -d : d)
    }
}
