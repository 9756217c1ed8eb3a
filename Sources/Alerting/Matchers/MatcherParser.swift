import PharosCore

/// Which of Alertmanager's matcher grammars to accept.
package enum MatcherSyntax: Sendable, Hashable {
    /// `pkg/labels` of Alertmanager ≤ 0.26: `name op value`, values quoted or not.
    case classic
    /// `matcher/parse` of Alertmanager ≥ 0.27: tokens, quoted UTF-8 names and values.
    case utf8
    /// Alertmanager 0.27's default: the classic result when the classic parser accepts the
    /// input (it wins disagreements), else the UTF-8 parser's, else the classic error.
    case fallback
}

/// Why a matcher string was refused; `message` uses Alertmanager's wording
/// (`bad matcher format: …`, `0:3: unexpected end of input, expected …`).
package struct MatcherParseError: Error, Sendable, Hashable, CustomStringConvertible {
    package var input: String
    package var message: String
    package var description: String { message }
}

/// Parses Alertmanager matchers (`{a="b", c=~"d.*"}`, `a!=b`).
///
/// Regexes are fully anchored, as in Alertmanager and Prometheus. The result keeps input order;
/// `LabelMatcher.alertmanagerSorted` gives the order routes and keys use.
package enum MatcherParser {
    /// A comma-separated list, braces optional (`matchers:` items, `source_matchers:`, amtool filters).
    package static func parseMatchers(_ input: String, syntax: MatcherSyntax = .fallback) throws(MatcherParseError) -> [LabelMatcher] {
        switch syntax {
        case .classic: return try classicMatchers(input)
        case .utf8: return try UTF8MatcherParser.matchers(input)
        case .fallback:
            let classic: Result<[LabelMatcher], MatcherParseError>
            do { classic = .success(try classicMatchers(input)) } catch { classic = .failure(error) }
            if case .success(let matchers) = classic { return matchers }
            if let matchers = try? UTF8MatcherParser.matchers(input) { return matchers }
            if case .failure(let error) = classic { throw error }
            return []
        }
    }

    /// Exactly one matcher (amtool's label arguments, silence matchers).
    package static func parseMatcher(_ input: String, syntax: MatcherSyntax = .fallback) throws(MatcherParseError) -> LabelMatcher {
        switch syntax {
        case .classic: return try classicMatcher(input)
        case .utf8: return try UTF8MatcherParser.matcher(input)
        case .fallback:
            if input.hasPrefix("{") || input.hasSuffix("}") {
                throw MatcherParseError(input: input, message: "unexpected open or close brace: \(input)")
            }
            do { return try classicMatcher(input) } catch {
                if let matcher = try? UTF8MatcherParser.matcher(input) { return matcher }
                throw error
            }
        }
    }

    // MARK: Classic (pkg/labels/parse.go)

    static func classicMatchers(_ input: String) throws(MatcherParseError) -> [LabelMatcher] {
        var text = Substring(input)
        if text.hasPrefix("{") { text = text.dropFirst() }
        if text.hasSuffix("}") { text = text.dropLast() }
        var tokens: [String] = []
        var token = ""
        var insideQuotes = false, escaped = false
        for character in text.unicodeScalars {
            switch character {
            case ",":
                if !insideQuotes {
                    tokens.append(token)
                    token = ""
                    continue
                }
            case "\"":
                if !escaped { insideQuotes.toggle() } else { escaped = false }
            case "\\":
                escaped.toggle()
            default:
                escaped = false
            }
            token.unicodeScalars.append(character)
        }
        let last = trimGoSpace(token)
        if !last.isEmpty { tokens.append(last) }
        var out: [LabelMatcher] = []
        for token in tokens { out.append(try classicMatcher(token)) }
        return out
    }

    /// Go's `\s`: tab, newline, form feed, carriage return, space.
    static func isGoSpace(_ scalar: Unicode.Scalar) -> Bool {
        scalar == " " || scalar == "\t" || scalar == "\n" || scalar == "\u{0C}" || scalar == "\r"
    }

    static func trimGoSpace(_ text: String) -> String {
        let scalars = Array(text.unicodeScalars)
        var start = 0, end = scalars.count
        while start < end, isGoSpace(scalars[start]) { start += 1 }
        while end > start, isGoSpace(scalars[end - 1]) { end -= 1 }
        var out = String.UnicodeScalarView()
        out.append(contentsOf: scalars[start..<end])
        return String(out)
    }

    /// `^\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\s*(=~|=|!=|!~)\s*((?s).*?)\s*$`, then the value's quoting rules.
    static func classicMatcher(_ input: String) throws(MatcherParseError) -> LabelMatcher {
        let scalars = Array(input.unicodeScalars)
        var index = 0
        func isNameStart(_ s: Unicode.Scalar) -> Bool {
            (s >= "a" && s <= "z") || (s >= "A" && s <= "Z") || s == "_" || s == ":"
        }
        func isName(_ s: Unicode.Scalar) -> Bool { isNameStart(s) || (s >= "0" && s <= "9") }
        let bad = MatcherParseError(input: input, message: "bad matcher format: \(input)")
        while index < scalars.count, isGoSpace(scalars[index]) { index += 1 }
        guard index < scalars.count, isNameStart(scalars[index]) else { throw bad }
        var name = String.UnicodeScalarView()
        while index < scalars.count, isName(scalars[index]) { name.append(scalars[index]); index += 1 }
        while index < scalars.count, isGoSpace(scalars[index]) { index += 1 }
        func at(_ offset: Int) -> Unicode.Scalar? { index + offset < scalars.count ? scalars[index + offset] : nil }
        let type: MatchType
        switch (at(0), at(1)) {
        case ("=", "~"): type = .regexMatch; index += 2
        case ("=", _): type = .equal; index += 1
        case ("!", "="): type = .notEqual; index += 2
        case ("!", "~"): type = .regexNoMatch; index += 2
        default: throw bad
        }
        var rest = String.UnicodeScalarView()
        rest.append(contentsOf: scalars[index...])
        let rawValue = trimGoSpace(String(rest))
        let value = try classicValue(rawValue, input: input)
        do {
            return try LabelMatcher(type, String(name), value)
        } catch {
            throw MatcherParseError(input: input, message: error.description)
        }
    }

    private static func classicValue(_ raw: String, input: String) throws(MatcherParseError) -> String {
        var bytes = Array(raw.utf8)
        var expectTrailingQuote = false
        if bytes.first == UInt8(ascii: "\"") {
            bytes.removeFirst()
            expectTrailingQuote = true
        }
        let unescapedQuote = MatcherParseError(
            input: input, message: "matcher value contains unescaped double quote: \(raw)")
        var value: [UInt8] = []
        var escaped = false
        var index = 0
        // Byte-wise like Go's `for i, r := range`: the special characters are all ASCII.
        while index < bytes.count {
            let byte = bytes[index]
            defer { index += 1 }
            if escaped {
                escaped = false
                switch byte {
                case UInt8(ascii: "n"): value.append(UInt8(ascii: "\n"))
                case UInt8(ascii: "\""), UInt8(ascii: "\\"): value.append(byte)
                default: value.append(UInt8(ascii: "\\")); value.append(byte)
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "\\"):
                if index < bytes.count - 1 {
                    escaped = true
                    continue
                }
                value.append(byte)
            case UInt8(ascii: "\""):
                if !expectTrailingQuote || index < bytes.count - 1 { throw unescapedQuote }
                expectTrailingQuote = false
            default:
                value.append(byte)
            }
        }
        if expectTrailingQuote { throw unescapedQuote }
        return String(decoding: value, as: UTF8.self)
    }
}
