import Foundation
import PharosCore

/// Prometheus' number formatting for templates (`humanize*`, `convertToFloat`, `floatToTime`).
enum Humanize {
    /// prometheus/common `convertToFloat`: float64, string (`strconv.ParseFloat`), ints, durations.
    static func toFloat(_ v: TemplateValue) throws(TemplateError) -> Double {
        switch v {
        case .float(let f): return f
        case .int(let i): return Double(i)
        case .duration(let d): return Double(d) / 1e9
        case .string(let s): return try parseFloat(s)
        case .nil: throw .function("can't convert <nil> to float")
        default: throw .function("can't convert \(v.typeName) to float")
        }
    }

    /// Go's `strconv.ParseFloat(s, 64)`.
    static func parseFloat(_ s: String) throws(TemplateError) -> Double {
        var body = Substring(s)
        var sign = 1.0
        if body.first == "+" || body.first == "-" {
            if body.first == "-" { sign = -1 }
            body = body.dropFirst()
        }
        switch body.lowercased() {
        case "inf", "infinity": return sign * .infinity
        case "nan": return .nan
        default: break
        }
        let valid = !body.isEmpty && body.allSatisfy { $0.isASCII && ($0.isHexDigit || ".xXpP+-_eE".contains($0)) }
        if valid, let d = Double(String(body).replacingOccurrences(of: "_", with: "")), body.first != "_" {
            if d.isInfinite {
                throw .function("strconv.ParseFloat: parsing \(goQuote(s)): value out of range")
            }
            return sign * d
        }
        throw .function("strconv.ParseFloat: parsing \(goQuote(s)): invalid syntax")
    }

    static func humanize(_ value: Double) -> String {
        var v = value
        if v == 0 || v.isNaN || v.isInfinite { return GoFormat.sprintf("%.4g", [.float(v)]) }
        var prefix = ""
        if abs(v) >= 1 {
            for p in ["k", "M", "G", "T", "P", "E", "Z", "Y"] {
                if abs(v) < 1000 { break }
                prefix = p
                v /= 1000
            }
        } else {
            for p in ["m", "u", "n", "p", "f", "a", "z", "y"] {
                if abs(v) >= 1 { break }
                prefix = p
                v *= 1000
            }
        }
        return GoFormat.sprintf("%.4g", [.float(v)]) + prefix
    }

    static func humanize1024(_ value: Double) -> String {
        var v = value
        if abs(v) <= 1 || v.isNaN || v.isInfinite { return GoFormat.sprintf("%.4g", [.float(v)]) }
        var prefix = ""
        for p in ["ki", "Mi", "Gi", "Ti", "Pi", "Ei", "Zi", "Yi"] {
            if abs(v) < 1024 { break }
            prefix = p
            v /= 1024
        }
        return GoFormat.sprintf("%.4g", [.float(v)]) + prefix
    }

    /// prometheus/common `HumanizeDuration` of seconds: `1d 2h 3m 4s`, `1.234s`, `100ms`.
    static func duration(_ value: Double) -> String {
        var v = value
        if v.isNaN || v.isInfinite { return GoFormat.sprintf("%.4g", [.float(v)]) }
        if v == 0 { return GoFormat.sprintf("%.4gs", [.float(v)]) }
        if abs(v) >= 1 {
            var sign = ""
            if v < 0 {
                sign = "-"
                v = -v
            }
            let d = v >= 0x1p63 ? Int64.max : Int64(v)
            let seconds = d % 60, minutes = d / 60 % 60, hours = d / 3600 % 24, days = d / 86400
            if days != 0 { return "\(sign)\(days)d \(hours)h \(minutes)m \(seconds)s" }
            if hours != 0 { return "\(sign)\(hours)h \(minutes)m \(seconds)s" }
            if minutes != 0 { return "\(sign)\(minutes)m \(seconds)s" }
            return sign + GoFormat.sprintf("%.4gs", [.float(v)])
        }
        var prefix = ""
        for p in ["m", "u", "n", "p", "f", "a", "z", "y"] {
            if abs(v) >= 1 { break }
            prefix = p
            v *= 1000
        }
        return GoFormat.sprintf("%.4g", [.float(v)]) + prefix + "s"
    }

    /// Prometheus' `floatToTime`: seconds → time, at millisecond resolution (via `model.Time`).
    static func floatToTime(_ v: Double) throws(TemplateError) -> TemplateTime {
        let ns = v * 1e9
        if ns >= 0x1p63 || ns < -0x1p63 {
            throw .function("\(GoFormat.formatV(.float(v))) cannot be represented as a nanoseconds timestamp since it overflows int64")
        }
        let ms = Int64(ns) / 1_000_000
        return TemplateTime(seconds: ms / 1000, nanoseconds: Int(ms % 1000) * 1_000_000)
    }
}

/// Go's `net.SplitHostPort`, `net.JoinHostPort` and `net.ParseIP` as far as templates need them.
enum HostPort {
    static func split(_ hostPort: String) -> (String, String)? {
        let chars = Array(hostPort)
        guard let i = chars.lastIndex(of: ":") else { return nil }
        var host: String
        var j = 0, k = 0
        if chars.first == "[" {
            guard let end = chars.firstIndex(of: "]") else { return nil }
            if end + 1 == chars.count { return nil }
            if end + 1 != i { return nil }
            host = String(chars[1..<end])
            j = 1
            k = end + 1
        } else {
            host = String(chars[..<i])
            if host.contains(":") { return nil }
        }
        if chars[j...].contains("[") { return nil }
        if chars[k...].contains("]") { return nil }
        return (host, String(chars[(i + 1)...]))
    }

    static func join(_ host: String, _ port: String) -> String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    static func isIP(_ s: String) -> Bool {
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        if parts.count == 4, parts.allSatisfy({ p in !p.isEmpty && p.count <= 3 && p.allSatisfy(\.isASCII) && (Int(p).map { $0 <= 255 } ?? false) && !(p.count > 1 && p.first == "0") }) {
            return true
        }
        guard s.contains(":") else { return false }
        var addr = in6_addr()
        return inet_pton(AF_INET6, s, &addr) == 1
    }
}

/// Title-casing as `golang.org/x/text/cases.Title` (American English) does for ordinary text:
/// the first letter of each word upper-cased; with `lowerRest` the rest lower-cased.
enum TextCase {
    static func title(_ s: String, lowerRest: Bool) -> String {
        var out = ""
        var inWord = false
        for c in s {
            let isWordChar = c.isLetter || c.isNumber || c == "'" || c == "’" || c == "_"
            if isWordChar {
                if !inWord {
                    out += String(c).uppercased()
                } else {
                    out += lowerRest ? String(c).lowercased() : String(c)
                }
                inWord = true
            } else {
                out.append(c)
                inWord = false
            }
        }
        return out
    }
}
