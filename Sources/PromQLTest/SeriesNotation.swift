import Foundation
import PharosCore
import PromQL

/// One value slot of promqltest series notation.
package enum SeriesValue: Hashable, Sendable {
    case float(Double)
    /// `_`: nothing stored / no point expected.
    case omitted
    /// `stale`: the staleness marker.
    case stale
    /// `{{…}}`: a native histogram, kept as text (Pharos stores floats only so far).
    case histogram(String)
}

/// A series line: `metric{a="b"} 1 2+3x4 _ stale`.
package struct SeriesLine: Hashable, Sendable {
    package var labels: Labels
    package var values: [SeriesValue]
}

/// Parses promqltest series notation (conformance README §1.5).
package enum SeriesNotation {
    /// Parses `<labels> <values…>`; throws `PromQLTestError` on malformed input.
    package static func parse(_ line: String) throws(PromQLTestError) -> SeriesLine {
        let bytes = Array(line.utf8)
        var index = 0
        let labels = try parseLabels(bytes, &index, line)
        let rest = String(decoding: bytes[index...], as: UTF8.self)
        return SeriesLine(labels: labels, values: try parseValues(rest))
    }

    /// Parses the label part and leaves `index` after it.
    static func parseLabels(_ bytes: [UInt8], _ index: inout Int, _ line: String) throws(PromQLTestError) -> Labels {
        func skipSpace() { while index < bytes.count, bytes[index] == 32 || bytes[index] == 9 { index += 1 } }
        skipSpace()
        var pairs: [Label] = []
        let nameStart = index
        while index < bytes.count, isNameByte(bytes[index]) { index += 1 }
        if index > nameStart { pairs.append(Label(name: Labels.metricName, value: String(decoding: bytes[nameStart..<index], as: UTF8.self))) }
        if index < bytes.count, bytes[index] == UInt8(ascii: "{") {
            index += 1
            while true {
                skipSpace()
                guard index < bytes.count else { throw PromQLTestError("series", "unterminated label set", line) }
                if bytes[index] == UInt8(ascii: "}") { index += 1; break }
                let name: String
                if bytes[index] == UInt8(ascii: "\"") {
                    name = try parseQuoted(bytes, &index, line)
                } else {
                    let start = index
                    while index < bytes.count, isNameByte(bytes[index]) { index += 1 }
                    guard index > start else { throw PromQLTestError("series", "expected a label name", line) }
                    name = String(decoding: bytes[start..<index], as: UTF8.self)
                }
                skipSpace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: "=") else {
                    throw PromQLTestError("series", "expected \"=\" after label \(name)", line)
                }
                index += 1
                skipSpace()
                let value = try parseQuoted(bytes, &index, line)
                pairs.append(Label(name: name, value: value))
                skipSpace()
                if index < bytes.count, bytes[index] == UInt8(ascii: ",") { index += 1 }
            }
        }
        guard !pairs.isEmpty || line.contains("{") else { throw PromQLTestError("series", "expected a metric name or label set", line) }
        return Labels(pairs)
    }

    private static func isNameByte(_ b: UInt8) -> Bool {
        (b >= 97 && b <= 122) || (b >= 65 && b <= 90) || (b >= 48 && b <= 57) || b == 95 || b == 58
    }

    private static func parseQuoted(_ bytes: [UInt8], _ index: inout Int, _ line: String) throws(PromQLTestError) -> String {
        guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw PromQLTestError("series", "expected a quoted string", line) }
        index += 1
        var out: [UInt8] = []
        while index < bytes.count {
            let b = bytes[index]
            if b == UInt8(ascii: "\"") {
                index += 1
                return String(decoding: out, as: UTF8.self)
            }
            if b == UInt8(ascii: "\\"), index + 1 < bytes.count {
                index += 1
                switch bytes[index] {
                case UInt8(ascii: "n"): out.append(10)
                case UInt8(ascii: "t"): out.append(9)
                default: out.append(bytes[index])
                }
            } else {
                out.append(b)
            }
            index += 1
        }
        throw PromQLTestError("series", "unterminated string", line)
    }

    /// Expands the value tokens.
    static func parseValues(_ text: String) throws(PromQLTestError) -> [SeriesValue] {
        var values: [SeriesValue] = []
        for token in tokens(text) {
            if token.hasPrefix("{{") {
                guard let close = token.range(of: "}}") else { throw PromQLTestError("series", "unterminated histogram", token) }
                let literal = String(token[..<close.upperBound])
                let rest = token[close.upperBound...]
                if rest.isEmpty {
                    values.append(.histogram(literal))
                } else if rest.hasPrefix("x"), let n = Int(rest.dropFirst()) {
                    values += Array(repeating: .histogram(literal), count: n + 1)
                } else if let x = rest.lastIndex(of: "x"), let n = Int(rest[rest.index(after: x)...]) {
                    // {{A}}+{{B}}xN: histogram arithmetic is not modelled; keep N+1 slots.
                    values += Array(repeating: .histogram(literal), count: n + 1)
                } else {
                    throw PromQLTestError("series", "malformed histogram token", token)
                }
                continue
            }
            values += try expand(token)
        }
        return values
    }

    /// Splits on whitespace, keeping `{{ … }}` histogram literals (which contain spaces) whole.
    private static func tokens(_ text: String) -> [String] {
        var out: [String] = []
        var current = ""
        var depth = 0
        var previous: Character = " "
        for ch in text {
            if ch == "{" && previous == "{" { depth += 1 }
            if ch == "}" && previous == "}" && depth > 0 { depth -= 1 }
            if (ch == " " || ch == "\t") && depth == 0 {
                if !current.isEmpty { out.append(current) }
                current = ""
            } else {
                current.append(ch)
            }
            previous = ch
        }
        if !current.isEmpty { out.append(current) }
        return out
    }

    private static func expand(_ token: String) throws(PromQLTestError) -> [SeriesValue] {
        if token == "_" { return [.omitted] }
        if token == "stale" { return [.stale] }
        if token.hasPrefix("_x") {
            guard let n = Int(token.dropFirst(2)), n >= 0 else { throw PromQLTestError("series", "bad repetition", token) }
            return Array(repeating: .omitted, count: n)
        }
        if let value = number(token) { return [.float(value)] }
        // a+bxN, a-bxN, axN
        guard let x = token.lastIndex(of: "x"), let n = Int(token[token.index(after: x)...]), n >= 0 else {
            throw PromQLTestError("series", "invalid value", token)
        }
        let body = String(token[..<x])
        if let value = number(body) { return Array(repeating: .float(value), count: n + 1) }
        // Find the operator that splits start and increment (not a leading sign, not an exponent sign).
        let chars = Array(body)
        var split: Int?
        for i in stride(from: chars.count - 1, to: 0, by: -1) where chars[i] == "+" || chars[i] == "-" {
            let prev = chars[i - 1]
            if prev == "e" || prev == "E" { continue }
            split = i
            break
        }
        guard let at = split, let start = number(String(chars[..<at])), let step = number(String(chars[(at + 1)...])) else {
            throw PromQLTestError("series", "invalid value", token)
        }
        let increment = chars[at] == "-" ? -step : step
        // Repeated addition, as the Prometheus grammar does (the rounding matches).
        var current = start
        var out: [SeriesValue] = []
        for _ in 0...n {
            out.append(.float(current))
            current += increment
        }
        return out
    }

    /// A float in promqltest syntax: decimal, `Inf`, `NaN` (case-insensitive); no hex.
    static func number(_ text: String) -> Double? {
        switch text.lowercased() {
        case "inf", "+inf": return .infinity
        case "-inf": return -.infinity
        case "nan", "+nan", "-nan": return .nan
        default: break
        }
        guard !text.isEmpty, text.allSatisfy({ $0.isASCII && ($0.isNumber || "+-.eE".contains($0)) }) else { return nil }
        return Double(text)
    }
}

/// Why a promqltest script or series line could not be read: `where: what: text`.
package struct PromQLTestError: Error, Sendable, CustomStringConvertible {
    package var location: String
    package var message: String
    package var text: String

    package init(_ location: String, _ message: String, _ text: String) {
        self.location = location
        self.message = message
        self.text = text
    }

    package var description: String { "\(location): \(message): \(text)" }
}
