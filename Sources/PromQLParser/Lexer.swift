import PharosCore

/// Byte-oriented PromQL lexer with Prometheus' states and error messages.
///
/// `tokenize` scans the whole input into tokens (comments dropped). The scan stops at the
/// first lexical error, which becomes an `.error` token carrying the message; an `.eof`
/// token always ends the list. Positions are byte offsets into the UTF-8 input.
package struct Lexer {
    let input: [UInt8]
    var pos = 0
    var start = 0
    var parenDepth = 0
    var braceOpen = false
    var bracketOpen = false
    var gotColon = false
    var gotDuration = false
    var inDurationExpr = false
    var tokens: [Token] = []

    package init(_ input: [UInt8]) { self.input = input }

    /// Scans `input` into tokens ending with `.eof` (after an `.error` token if scanning failed).
    package static func tokenize(_ input: [UInt8]) -> [Token] {
        var lexer = Lexer(input)
        lexer.tokens.reserveCapacity(input.count / 3 + 2)
        while true {
            if let message = lexer.scanOne() {
                lexer.tokens.append(Token(kind: .error, start: lexer.start, end: input.count, message: message))
                lexer.tokens.append(Token(kind: .eof, start: input.count, end: input.count))
                return lexer.tokens
            }
            if lexer.tokens.last?.kind == .eof { return lexer.tokens }
        }
    }

    // MARK: - Cursor helpers

    var current: UInt8? { pos < input.count ? input[pos] : nil }
    func peek(_ offset: Int = 0) -> UInt8? { pos + offset < input.count ? input[pos + offset] : nil }

    mutating func emit(_ kind: TokenKind) {
        tokens.append(Token(kind: kind, start: start, end: pos))
        start = pos
    }

    mutating func accept(_ set: (UInt8) -> Bool) -> Bool {
        if let c = current, set(c) {
            pos += 1
            return true
        }
        return false
    }

    mutating func skipSpaces() {
        while let c = current, isSpace(c) { pos += 1 }
        start = pos
    }

    /// The rune at byte offset `at`, for error messages (Go's `%q` of a rune).
    func runeDescription(at offset: Int) -> String {
        guard offset < input.count else { return goQuoteRune(nil) }
        let (scalar, _) = decodeScalar(input, at: offset)
        return goQuoteRune(scalar)
    }

    // MARK: - States

    /// Scans one token (or skips space/comments). Returns an error message on failure.
    mutating func scanOne() -> String? {
        if braceOpen { return scanInsideBraces() }
        if inDurationExpr { return scanDurationExpr() }
        if current == UInt8(ascii: "#") {
            skipComment()
            return nil
        }
        guard let c = current else {
            if parenDepth != 0 { return "unclosed left parenthesis" }
            if bracketOpen { return "unclosed left bracket" }
            emit(.eof)
            return nil
        }
        pos += 1
        switch c {
        case UInt8(ascii: ","): emit(.comma)
        case _ where isSpace(c): skipSpaces()
        case UInt8(ascii: "*"): emit(.mul)
        case UInt8(ascii: "/"): emit(.div)
        case UInt8(ascii: "%"): emit(.mod)
        case UInt8(ascii: "+"): emit(.add)
        case UInt8(ascii: "-"): emit(.sub)
        case UInt8(ascii: "^"): emit(.pow)
        case UInt8(ascii: "="):
            if current == UInt8(ascii: "=") {
                pos += 1
                emit(.eqlc)
            } else if current == UInt8(ascii: "~") {
                return "unexpected character after '=': \(runeDescription(at: pos))"
            } else {
                emit(.assign)
            }
        case UInt8(ascii: "!"):
            guard current == UInt8(ascii: "=") else {
                let d = runeDescription(at: pos)
                return "unexpected character after '!': \(d)"
            }
            pos += 1
            emit(.neq)
        case UInt8(ascii: "<"):
            if accept({ $0 == UInt8(ascii: "=") }) {
                emit(.lte)
            } else if accept({ $0 == UInt8(ascii: "/") }) {
                emit(.trimUpper)
            } else {
                emit(.lss)
            }
        case UInt8(ascii: ">"):
            if accept({ $0 == UInt8(ascii: "=") }) {
                emit(.gte)
            } else if accept({ $0 == UInt8(ascii: "/") }) {
                emit(.trimLower)
            } else {
                emit(.gtr)
            }
        case _ where isDigit(c) || (c == UInt8(ascii: ".") && current.map(isDigit) == true):
            pos -= 1
            return scanNumberOrDuration()
        case UInt8(ascii: "\""), UInt8(ascii: "'"):
            return scanString(quote: c)
        case UInt8(ascii: "`"):
            return scanRawString()
        case _ where isAlpha(c) || c == UInt8(ascii: ":"):
            if !bracketOpen {
                pos -= 1
                scanKeywordOrIdentifier()
                return nil
            }
            if c == UInt8(ascii: ":") {
                if gotColon { return "unexpected colon ':'" }
                emit(.colon)
                gotColon = true
                return nil
            }
            if c == UInt8(ascii: "s") || c == UInt8(ascii: "S") || c == UInt8(ascii: "m") || c == UInt8(ascii: "M"),
               scanDurationKeyword() {
                return nil
            }
            return "unexpected character: \(goQuoteRune(Unicode.Scalar(c))), expected ':'"
        case UInt8(ascii: "("):
            emit(.leftParen)
            parenDepth += 1
        case UInt8(ascii: ")"):
            emit(.rightParen)
            parenDepth -= 1
            if parenDepth < 0 { return replacingLastToken(with: "unexpected right parenthesis ')'") }
        case UInt8(ascii: "{"):
            emit(.leftBrace)
            braceOpen = true
        case UInt8(ascii: "["):
            if bracketOpen { return "unexpected left bracket '['" }
            gotColon = false
            gotDuration = false
            emit(.leftBracket)
            skipSpaces()
            bracketOpen = true
            inDurationExpr = true
        case UInt8(ascii: "]"):
            if !bracketOpen { return "unexpected right bracket ']'" }
            emit(.rightBracket)
            bracketOpen = false
        case UInt8(ascii: "@"):
            emit(.at)
        default:
            return "unexpected character: \(runeDescription(at: pos - 1))"
        }
        return nil
    }

    /// Prometheus emits some tokens and then overwrites them with an error: drop the token.
    mutating func replacingLastToken(with message: String) -> String {
        tokens.removeLast()
        return message
    }

    mutating func skipComment() {
        while let c = current, c != UInt8(ascii: "\n"), c != UInt8(ascii: "\r") { pos += 1 }
        start = pos
    }

    mutating func scanInsideBraces() -> String? {
        if current == UInt8(ascii: "#") {
            skipComment()
            return nil
        }
        guard let c = current else { return "unexpected end of input inside braces" }
        pos += 1
        switch c {
        case _ where isSpace(c): skipSpaces()
        case _ where isAlpha(c):
            while let n = current, isAlphaNumeric(n) { pos += 1 }
            emit(.identifier)
        case UInt8(ascii: ","): emit(.comma)
        case UInt8(ascii: "\""), UInt8(ascii: "'"): return scanString(quote: c)
        case UInt8(ascii: "`"): return scanRawString()
        case UInt8(ascii: "="):
            if accept({ $0 == UInt8(ascii: "~") }) { emit(.eqlRegex) } else { emit(.assign) }
        case UInt8(ascii: "!"):
            if accept({ $0 == UInt8(ascii: "~") }) {
                emit(.neqRegex)
            } else if accept({ $0 == UInt8(ascii: "=") }) {
                emit(.neq)
            } else {
                let d = runeDescription(at: pos)
                pos += 1
                return "unexpected character after '!' inside braces: \(d)"
            }
        case UInt8(ascii: "{"): return "unexpected left brace '{'"
        case UInt8(ascii: "}"):
            emit(.rightBrace)
            braceOpen = false
        default:
            return "unexpected character inside braces: \(runeDescription(at: pos - 1))"
        }
        return nil
    }

    /// Right after `[` (and after operators inside it): duration arithmetic tokens.
    mutating func scanDurationExpr() -> String? {
        guard let c = current else { return "unexpected end of input in duration expression" }
        pos += 1
        switch c {
        case UInt8(ascii: "]"):
            emit(.rightBracket)
            bracketOpen = false
            gotColon = false
            inDurationExpr = false
        case UInt8(ascii: ":"):
            emit(.colon)
            if !gotDuration {
                return replacingLastToken(with: "unexpected colon before duration in duration expression")
            }
            if gotColon { return replacingLastToken(with: "unexpected repeated colon in duration expression") }
            gotColon = true
        case UInt8(ascii: "("):
            emit(.leftParen)
            parenDepth += 1
        case UInt8(ascii: ")"):
            emit(.rightParen)
            parenDepth -= 1
            if parenDepth < 0 { return replacingLastToken(with: "unexpected right parenthesis ')'") }
        case _ where isSpace(c): skipSpaces()
        case UInt8(ascii: "+"): emit(.add)
        case UInt8(ascii: "-"): emit(.sub)
        case UInt8(ascii: "*"): emit(.mul)
        case UInt8(ascii: "/"): emit(.div)
        case UInt8(ascii: "%"): emit(.mod)
        case UInt8(ascii: "^"): emit(.pow)
        case UInt8(ascii: ","): emit(.comma)
        case UInt8(ascii: "s"), UInt8(ascii: "S"), UInt8(ascii: "m"), UInt8(ascii: "M"),
             UInt8(ascii: "r"), UInt8(ascii: "R"):
            if scanDurationKeyword() { return nil }
            return "unexpected character in duration expression: \(goQuoteRune(Unicode.Scalar(c)))"
        case _ where isDigit(c) || (c == UInt8(ascii: ".") && current.map(isDigit) == true):
            pos -= 1
            gotDuration = true
            inDurationExpr = false
            return scanNumberOrDuration()
        default:
            return "unexpected character in duration expression: \(runeDescription(at: pos - 1))"
        }
        return nil
    }

    /// `step`, `range`, `min`, `max` inside brackets. The first letter is consumed.
    mutating func scanDurationKeyword() -> Bool {
        while let c = current, isAlpha(c) { pos += 1 }
        let word = String(decoding: input[start..<pos], as: UTF8.self).lowercased()
        switch word {
        case "step": emit(.step)
        case "range": emit(.range)
        case "min": emit(.min)
        case "max": emit(.max)
        case "min_of", "max_of": emit(.identifier)
        default: return false
        }
        return true
    }

    mutating func scanKeywordOrIdentifier() {
        while let c = current, isAlphaNumeric(c) || c == UInt8(ascii: ":") { pos += 1 }
        let slice = input[start..<pos]
        if slice.count <= 12, let kind = keywordTable[String(decoding: slice, as: UTF8.self).lowercased()] {
            if kind == .fill || kind == .fillLeft || kind == .fillRight, !followedByLeftParen() {
                emit(.identifier)
            } else {
                emit(kind)
            }
        } else if slice.contains(UInt8(ascii: ":")) {
            emit(.metricIdentifier)
        } else {
            emit(.identifier)
        }
    }

    func followedByLeftParen() -> Bool {
        var i = pos
        while i < input.count, isSpace(input[i]) { i += 1 }
        return i < input.count && input[i] == UInt8(ascii: "(")
    }
}

@inline(__always) func isSpace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D }
@inline(__always) func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
@inline(__always) func isAlpha(_ c: UInt8) -> Bool {
    c == UInt8(ascii: "_") || (c >= 0x61 && c <= 0x7A) || (c >= 0x41 && c <= 0x5A)
}
@inline(__always) func isAlphaNumeric(_ c: UInt8) -> Bool { isAlpha(c) || isDigit(c) }
