import PharosCore

/// Alertmanager 0.27's `matcher/parse`: a lexer over runes and a small state machine.
/// Error messages carry `start:end` rune columns as Alertmanager prints them.
enum UTF8MatcherParser {
    private enum Kind: Equatable { case openBrace, closeBrace, comma, equals, notEquals, matches, notMatches, quoted, unquoted, eof }

    private struct Token {
        var kind: Kind
        var value: String
        var columnStart: Int
        var columnEnd: Int
    }

    private struct Lexer {
        let runes: [Unicode.Scalar]
        var position = 0

        static func isSpace(_ r: Unicode.Scalar) -> Bool { r.properties.isWhitespace }

        static func isReserved(_ r: Unicode.Scalar) -> Bool {
            isSpace(r) || "{}!=~,\\\"'`".unicodeScalars.contains(r)
        }

        func text(_ start: Int, _ end: Int) -> String {
            var out = String.UnicodeScalarView()
            out.append(contentsOf: runes[start..<min(end, runes.count)])
            return String(out)
        }

        func expected(_ start: Int, _ end: Int, _ what: String) -> MatcherParseError {
            let message = end >= runes.count
                ? "\(start):\(end): unexpected end of input, expected one of '\(what)'"
                : "\(start):\(end): \(text(start, end)): expected one of '\(what)'"
            return MatcherParseError(input: text(0, runes.count), message: message)
        }

        mutating func scan() throws(MatcherParseError) -> Token {
            while position < runes.count, Self.isSpace(runes[position]) { position += 1 }
            let start = position
            guard position < runes.count else { return Token(kind: .eof, value: "", columnStart: start, columnEnd: start) }
            let r = runes[position]
            func single(_ kind: Kind) -> Token {
                position += 1
                return Token(kind: kind, value: String(r), columnStart: start, columnEnd: position)
            }
            switch r {
            case "{": return single(.openBrace)
            case "}": return single(.closeBrace)
            case ",": return single(.comma)
            case "!":
                position += 1
                if position < runes.count, runes[position] == "=" { position += 1; return tok(.notEquals, start) }
                if position < runes.count, runes[position] == "~" { position += 1; return tok(.notMatches, start) }
                throw expected(start, position, "=~")
            case "=":
                position += 1
                if position < runes.count, runes[position] == "~" { position += 1; return tok(.matches, start) }
                return tok(.equals, start)
            case "\"":
                position += 1
                var escaped = false
                while position < runes.count {
                    let c = runes[position]
                    if escaped { escaped = false } else if c == "\\" { escaped = true } else if c == "\"" { break }
                    position += 1
                }
                guard position < runes.count else {
                    throw MatcherParseError(input: text(0, runes.count),
                                            message: "\(start):\(position): \(text(start, position)): missing end \"")
                }
                position += 1
                return tok(.quoted, start)
            default:
                if Self.isReserved(r) {
                    throw MatcherParseError(input: text(0, runes.count),
                                            message: "\(start):\(start + 1): \(String(r)): invalid input")
                }
                while position < runes.count, !Self.isReserved(runes[position]) { position += 1 }
                return tok(.unquoted, start)
            }
        }

        private func tok(_ kind: Kind, _ start: Int) -> Token {
            Token(kind: kind, value: text(start, position), columnStart: start, columnEnd: position)
        }

        func peek() throws(MatcherParseError) -> Token {
            var copy = self
            return try copy.scan()
        }
    }

    static func matcher(_ input: String) throws(MatcherParseError) -> LabelMatcher {
        let matchers = try matchers(input)
        switch matchers.count {
        case 1: return matchers[0]
        case 0: throw MatcherParseError(input: input, message: "no matchers")
        default: throw MatcherParseError(input: input, message: "expected 1 matcher, found \(matchers.count)")
        }
    }

    static func matchers(_ input: String) throws(MatcherParseError) -> [LabelMatcher] {
        var lexer = Lexer(runes: Array(input.unicodeScalars))
        func fail(_ message: String) -> MatcherParseError { MatcherParseError(input: input, message: message) }
        func unexpected(_ t: Token, _ why: String) -> MatcherParseError {
            t.kind == .eof ? fail("end of input: \(why)") : fail("\(t.columnStart):\(t.columnEnd): unexpected \(t.value): \(why)")
        }
        var out: [LabelMatcher] = []
        var first = try lexer.peek()
        let hasOpenBrace = first.kind == .openBrace
        if hasOpenBrace {
            _ = try lexer.scan()
            first = try lexer.peek()
        }
        var expectMatcher = first.kind != .eof && first.kind != .closeBrace
        while expectMatcher {
            let nameToken = try scan(&lexer, "expected label name")
            guard nameToken.kind == .quoted || nameToken.kind == .unquoted else {
                throw unexpected(nameToken, "expected label name")
            }
            let name = try unquote(nameToken, input: input)
            let op = try scan(&lexer, "expected an operator such as '=', '!=', '=~' or '!~'")
            let type: MatchType
            switch op.kind {
            case .equals: type = .equal
            case .notEquals: type = .notEqual
            case .matches: type = .regexMatch
            case .notMatches: type = .regexNoMatch
            default: throw unexpected(op, "expected an operator such as '=', '!=', '=~' or '!~'")
            }
            let valueToken = try scan(&lexer, "expected label value")
            guard valueToken.kind == .quoted || valueToken.kind == .unquoted else {
                throw unexpected(valueToken, "expected label value")
            }
            let value = try unquote(valueToken, input: input)
            do {
                out.append(try LabelMatcher(type, name, value))
            } catch {
                throw fail("failed to create matcher: \(error.description)")
            }
            let next = try peek(lexer, "expected a comma or close brace")
            switch next.kind {
            case .eof, .closeBrace: expectMatcher = false
            case .comma:
                _ = try lexer.scan()
                let after = try peek(lexer, "expected a matcher or close brace after comma")
                switch after.kind {
                case .eof, .closeBrace: expectMatcher = false
                case .quoted, .unquoted: expectMatcher = true
                default: throw unexpected(after, "expected a matcher or close brace after comma")
                }
            default: throw unexpected(next, "expected a comma or close brace")
            }
        }
        // Close brace and end of input.
        let closing = try lexer.scan()
        if hasOpenBrace {
            guard closing.kind == .closeBrace else {
                if closing.kind == .eof { throw fail("0:\(lexer.runes.count): end of input: expected close brace") }
                throw fail("\(closing.columnStart):\(closing.columnEnd): unexpected \(closing.value): expected close brace")
            }
        } else if closing.kind == .closeBrace {
            throw fail("0:\(closing.columnEnd): }: expected opening brace")
        }
        let end = closing.kind == .eof ? closing : try lexer.scan()
        if end.kind != .eof {
            throw fail("\(end.columnStart):\(end.columnEnd): \(end.value): expected end of input")
        }
        return out
    }

    /// The next token; a lexer error gets the parser's expectation appended, as Alertmanager's does.
    private static func scan(_ lexer: inout Lexer, _ why: String) throws(MatcherParseError) -> Token {
        do { return try lexer.scan() } catch { throw MatcherParseError(input: error.input, message: error.message + ": " + why) }
    }

    private static func peek(_ lexer: Lexer, _ why: String) throws(MatcherParseError) -> Token {
        do { return try lexer.peek() } catch { throw MatcherParseError(input: error.input, message: error.message + ": " + why) }
    }

    private static func unquote(_ token: Token, input: String) throws(MatcherParseError) -> String {
        guard token.kind == .quoted else { return token.value }
        guard let text = goUnquote(token.value) else {
            throw MatcherParseError(input: input, message: "\(token.columnStart):\(token.columnEnd): \(token.value): invalid input")
        }
        return text
    }

    /// Go's `strconv.Unquote` for a double-quoted literal, then a UTF-8 check; nil when either fails.
    static func goUnquote(_ literal: String) -> String? {
        var scalars = Array(literal.unicodeScalars)
        guard scalars.count >= 2, scalars.first == "\"", scalars.last == "\"" else { return nil }
        scalars = Array(scalars[1..<(scalars.count - 1)])
        var bytes: [UInt8] = []
        var index = 0
        func append(_ scalar: Unicode.Scalar) { bytes += Array(String(scalar).utf8) }
        func digits(_ count: Int, radix: Int) -> UInt32? {
            guard index + count <= scalars.count else { return nil }
            var value: UInt32 = 0
            for scalar in scalars[index..<(index + count)] {
                guard let digit = Int(String(scalar), radix: radix) else { return nil }
                value = value * UInt32(radix) + UInt32(digit)
            }
            index += count
            return value
        }
        while index < scalars.count {
            let scalar = scalars[index]
            index += 1
            if scalar == "\"" || scalar == "\n" { return nil }
            guard scalar == "\\" else { append(scalar); continue }
            guard index < scalars.count else { return nil }
            let escape = scalars[index]
            index += 1
            switch escape {
            case "a": bytes.append(0x07)
            case "b": bytes.append(0x08)
            case "f": bytes.append(0x0C)
            case "n": bytes.append(0x0A)
            case "r": bytes.append(0x0D)
            case "t": bytes.append(0x09)
            case "v": bytes.append(0x0B)
            case "\\": bytes.append(0x5C)
            case "\"": bytes.append(0x22)
            case "x":
                guard let value = digits(2, radix: 16) else { return nil }
                bytes.append(UInt8(value))
            case "u", "U":
                guard let value = digits(escape == "u" ? 4 : 8, radix: 16), let s = Unicode.Scalar(value) else { return nil }
                append(s)
            case "0"..."7":
                index -= 1
                guard let value = digits(3, radix: 8), value <= 0xFF else { return nil }
                bytes.append(UInt8(value))
            default: return nil
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }
}
