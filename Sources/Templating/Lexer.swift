import Foundation
import PharosCore

/// A token of Go's template syntax, with its byte offset and 1-based line.
struct Token: Sendable, CustomStringConvertible {
    enum Kind: Sendable, Equatable {
        case text, leftDelim, rightDelim, space, pipe, leftParen, rightParen
        case declare, assign, comma
        case string, rawString, charConstant, number, bool, `nil`, dot, field, variable, identifier
        case keyword(Keyword)
        /// A printable ASCII character with no meaning of its own (Go's `itemChar`).
        case char
        /// A lexical error; `text` is the message. Always the last token before EOF.
        case error
        case eof
    }

    enum Keyword: String, Sendable {
        case block, `break`, `continue`, define, `else`, end, `if`, range, template, with
    }

    var kind: Kind
    var text: String
    var pos: Int
    var line: Int

    /// How Go's `item.String()` names a token in parse errors.
    var description: String {
        switch kind {
        case .eof: return "EOF"
        case .keyword: return "<\(text)>"
        case .text, .string, .rawString: return "\(goQuote(text))"
        case .error: return text
        case .leftDelim, .rightDelim, .space, .pipe, .leftParen, .rightParen, .declare, .assign, .comma, .char:
            return "\(goQuote(text))"
        default:
            return text.utf8.count > 10 ? "\(goQuote(String(text.prefix(10))))..." : goQuote(text)
        }
    }
}

/// Go's text/template lexer (`{{`/`}}` delimiters, `{{- `/` -}}` trimming, `/* */` comments),
/// run to completion into a token array. Throws the first lexical error, in Go's words.
struct Lexer {
    private let bytes: [UInt8]
    private let name: String
    private var pos = 0
    private var tokens: [Token] = []
    private var parenDepth = 0

    init(name: String, text: String) {
        self.name = name
        self.bytes = Array(text.utf8)
    }

    /// The tokens of `text`. A lexical error becomes an `.error` token where it happened (the
    /// parser reports it when it gets there, so an earlier syntax error wins, as in Go).
    static func tokenize(name: String, text: String) -> [Token] {
        var lexer = Lexer(name: name, text: text)
        do {
            try lexer.run()
        } catch {
            lexer.tokens.append(Token(kind: .error, text: error.message, pos: lexer.pos, line: lexer.lineOf(lexer.pos)))
            lexer.tokens.append(Token(kind: .eof, text: "", pos: lexer.bytes.count, line: lexer.lineOf(lexer.bytes.count)))
        }
        return lexer.tokens
    }

    /// Error tokens carry the bare message; the parser adds `template: NAME:LINE: `.
    private func error(_ message: String, line: Int? = nil) -> TemplateError {
        TemplateError(.parse, message)
    }

    private func peek(_ offset: Int = 0) -> UInt8? {
        pos + offset < bytes.count ? bytes[pos + offset] : nil
    }

    private func hasPrefix(_ s: String, at index: Int) -> Bool {
        let p = Array(s.utf8)
        guard index + p.count <= bytes.count else { return false }
        return Array(bytes[index..<index + p.count]) == p
    }

    private static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }
    private static func isAlnum(_ b: UInt8) -> Bool {
        b == UInt8(ascii: "_") || (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
    }

    /// The byte length of the letter, digit or `_` at `index` (Go's `isAlphaNumeric`), or 0.
    private func alnumLength(at index: Int) -> Int {
        guard index < bytes.count else { return 0 }
        if bytes[index] < 0x80 { return Self.isAlnum(bytes[index]) ? 1 : 0 }
        let rest = String(decoding: bytes[index..<min(bytes.count, index + 4)], as: UTF8.self)
        guard let scalar = rest.unicodeScalars.first, scalar != "\u{FFFD}" else { return 0 }
        let p = scalar.properties
        let isLetterOrDigit = p.isAlphabetic || p.generalCategory == .decimalNumber
        return isLetterOrDigit ? String(scalar).utf8.count : 0
    }

    private mutating func skipAlnum() {
        while true {
            let n = alnumLength(at: pos)
            if n == 0 { return }
            pos += n
        }
    }

    private func string(_ from: Int, _ to: Int) -> String { String(decoding: bytes[from..<to], as: UTF8.self) }

    private mutating func emit(_ kind: Token.Kind, from start: Int, line _: Int = 0) {
        tokens.append(Token(kind: kind, text: string(start, pos), pos: start, line: lineOf(start)))
    }

    private var lineStarts: [Int] = []

    /// The 1-based line of a byte offset.
    private func lineOf(_ offset: Int) -> Int {
        var lo = 0, hi = lineStarts.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if lineStarts[mid] <= offset { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    private var line: Int { lineOf(pos) }

    /// Whitespace, `-`, then `}}` at `index` (Go's right trim marker).
    private func atRightTrim(_ index: Int) -> Bool {
        index + 3 < bytes.count + 0 && Self.isSpace(bytes[index]) && bytes[index + 1] == UInt8(ascii: "-")
            && hasPrefix("}}", at: index + 2)
    }

    private mutating func run() throws(TemplateError) {
        lineStarts = [0]
        for (i, b) in bytes.enumerated() where b == 0x0A { lineStarts.append(i + 1) }
        var trimNextText = false
        while true {
            var next = pos
            while next < bytes.count, !hasPrefix("{{", at: next) { next += 1 }
            var textStart = pos
            var textEnd = next
            if trimNextText {
                while textStart < textEnd, Self.isSpace(bytes[textStart]) { textStart += 1 }
            }
            let atDelim = next < bytes.count
            let trimLeft = atDelim && next + 3 < bytes.count && bytes[next + 2] == UInt8(ascii: "-")
                && Self.isSpace(bytes[next + 3])
            if trimLeft {
                while textEnd > textStart, Self.isSpace(bytes[textEnd - 1]) { textEnd -= 1 }
            }
            if textEnd > textStart {
                pos = textEnd
                emit(.text, from: textStart)
            }
            pos = next
            guard atDelim else { break }
            trimNextText = try lexAction(trimLeft: trimLeft)
        }
        tokens.append(Token(kind: .eof, text: "", pos: bytes.count, line: lineOf(bytes.count)))
    }

    /// Lexes one action starting at `{{`; returns whether it ended with a right trim marker.
    private mutating func lexAction(trimLeft: Bool) throws(TemplateError) -> Bool {
        let delimStart = pos
        let delimLine = line
        pos += trimLeft ? 3 : 2
        // A comment: "{{/*" … "*/}}", possibly with trim markers.
        if hasPrefix("/*", at: pos) || (trimLeft && hasPrefix("/*", at: pos + 0)) {
            guard let end = findCommentEnd(from: pos + 2) else { throw error("unclosed comment", line: delimLine) }
            pos = end + 2
            if atRightTrim(pos) { pos += 4; return true }
            if hasPrefix("}}", at: pos) { pos += 2; return false }
            throw error("comment ends before closing delimiter", line: delimLine)
        }
        if trimLeft, hasPrefix("/*", at: pos) == false, pos < bytes.count, Self.isSpace(bytes[pos]) {
            // "{{- /* … */ -}}"
            var p = pos
            while p < bytes.count, Self.isSpace(bytes[p]) { p += 1 }
            if hasPrefix("/*", at: p) {
                guard let end = findCommentEnd(from: p + 2) else { throw error("unclosed comment", line: delimLine) }
                pos = end + 2
                if atRightTrim(pos) { pos += 4; return true }
                if hasPrefix("}}", at: pos) { pos += 2; return false }
                throw error("comment ends before closing delimiter", line: delimLine)
            }
        }
        tokens.append(Token(kind: .leftDelim, text: "{{", pos: delimStart, line: delimLine))
        parenDepth = 0
        while true {
            if atRightTrim(pos) {
                if parenDepth > 0 { throw error("unclosed left paren") }
                tokens.append(Token(kind: .rightDelim, text: "}}", pos: pos + 2, line: lineOf(pos + 2)))
                pos += 4
                return true
            }
            if hasPrefix("}}", at: pos) {
                if parenDepth > 0 { throw error("unclosed left paren") }
                tokens.append(Token(kind: .rightDelim, text: "}}", pos: pos, line: line))
                pos += 2
                return false
            }
            guard let c = peek() else { throw error("unclosed action") }
            let start = pos
            let startLine = line
            switch c {
            case _ where Self.isSpace(c):
                while let b = peek(), Self.isSpace(b), !atRightTrim(pos) { pos += 1 }
                if pos > start { emit(.space, from: start) }
            case UInt8(ascii: "="):
                pos += 1; emit(.assign, from: start, line: startLine)
            case UInt8(ascii: ":"):
                guard peek(1) == UInt8(ascii: "=") else { throw error("expected :=") }
                pos += 2; emit(.declare, from: start, line: startLine)
            case UInt8(ascii: "|"):
                pos += 1; emit(.pipe, from: start, line: startLine)
            case UInt8(ascii: ","):
                pos += 1; emit(.comma, from: start, line: startLine)
            case UInt8(ascii: "("):
                pos += 1; parenDepth += 1; emit(.leftParen, from: start, line: startLine)
            case UInt8(ascii: ")"):
                parenDepth -= 1
                pos += 1; emit(.rightParen, from: start, line: startLine)
                if parenDepth < 0 { throw error("unexpected right paren \(Self.describeRune(at: start, in: bytes))") }
            case UInt8(ascii: "\""):
                pos += 1
                while true {
                    guard let b = peek(), b != 0x0A else { throw error("unterminated quoted string") }
                    pos += 1
                    if b == UInt8(ascii: "\\") {
                        guard let e = peek(), e != 0x0A else { throw error("unterminated quoted string") }
                        pos += 1
                        _ = e
                    } else if b == UInt8(ascii: "\"") { break }
                }
                emit(.string, from: start, line: startLine)
            case UInt8(ascii: "`"):
                pos += 1
                while true {
                    guard let b = peek() else { throw error("unterminated raw quoted string", line: startLine) }
                    pos += 1
                    if b == UInt8(ascii: "`") { break }
                }
                emit(.rawString, from: start, line: startLine)
            case UInt8(ascii: "'"):
                pos += 1
                while true {
                    guard let b = peek(), b != 0x0A else { throw error("unterminated character constant") }
                    pos += 1
                    if b == UInt8(ascii: "\\") { pos += 1 } else if b == UInt8(ascii: "'") { break }
                }
                emit(.charConstant, from: start, line: startLine)
            case UInt8(ascii: "$"):
                pos += 1
                skipAlnum()
                try checkTerminator()
                emit(.variable, from: start, line: startLine)
            case UInt8(ascii: "."):
                if let d = peek(1), d >= 0x30, d <= 0x39 {
                    try lexNumber(start: start, line: startLine)
                } else {
                    pos += 1
                    skipAlnum()
                    if pos == start + 1 {
                        emit(.dot, from: start, line: startLine)
                    } else {
                        try checkTerminator()
                        emit(.field, from: start, line: startLine)
                    }
                }
            case UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                try lexNumber(start: start, line: startLine)
            case _ where alnumLength(at: pos) > 0:
                skipAlnum()
                try checkTerminator()
                let word = string(start, pos)
                if let keyword = Token.Keyword(rawValue: word) {
                    emit(.keyword(keyword), from: start, line: startLine)
                } else if word == "true" || word == "false" {
                    emit(.bool, from: start, line: startLine)
                } else if word == "nil" {
                    emit(.nil, from: start, line: startLine)
                } else {
                    emit(.identifier, from: start, line: startLine)
                }
            case 0x21...0x7E:
                pos += 1; emit(.char, from: start, line: startLine)
            default:
                throw error("unrecognized character in action: \(Self.describeRune(at: pos, in: bytes))")
            }
        }
    }

    private func findCommentEnd(from index: Int) -> Int? {
        var i = index
        while i + 1 < bytes.count {
            if bytes[i] == UInt8(ascii: "*"), bytes[i + 1] == UInt8(ascii: "/") { return i }
            i += 1
        }
        return nil
    }

    /// Go's `atTerminator`: what may follow a word, field or variable.
    private func checkTerminator() throws(TemplateError) {
        guard let b = peek() else { return }
        if Self.isSpace(b) { return }
        switch b {
        case UInt8(ascii: "."), UInt8(ascii: ","), UInt8(ascii: "|"), UInt8(ascii: ":"),
             UInt8(ascii: ")"), UInt8(ascii: "("):
            return
        default:
            if hasPrefix("}}", at: pos) { return }
            throw error("bad character \(Self.describeRune(at: pos, in: bytes))")
        }
    }

    private mutating func lexNumber(start: Int, line startLine: Int) throws(TemplateError) {
        if let b = peek(), b == UInt8(ascii: "+") || b == UInt8(ascii: "-") { pos += 1 }
        var digits = "0123456789_"
        if peek() == UInt8(ascii: "0"), let x = peek(1) {
            switch x {
            case UInt8(ascii: "x"), UInt8(ascii: "X"): pos += 2; digits = "0123456789abcdefABCDEF_"
            case UInt8(ascii: "o"), UInt8(ascii: "O"): pos += 2; digits = "01234567_"
            case UInt8(ascii: "b"), UInt8(ascii: "B"): pos += 2; digits = "01_"
            default: break
            }
        }
        let digitSet = Set(digits.utf8)
        while let b = peek(), digitSet.contains(b) { pos += 1 }
        if peek() == UInt8(ascii: ".") {
            pos += 1
            while let b = peek(), digitSet.contains(b) { pos += 1 }
        }
        let exponent: Set<UInt8> = digits.count > 16 ? [UInt8(ascii: "p"), UInt8(ascii: "P")] : [UInt8(ascii: "e"), UInt8(ascii: "E"), UInt8(ascii: "p"), UInt8(ascii: "P")]
        if let b = peek(), exponent.contains(b) {
            pos += 1
            if let s = peek(), s == UInt8(ascii: "+") || s == UInt8(ascii: "-") { pos += 1 }
            while let d = peek(), d >= 0x30, d <= 0x39 || d == UInt8(ascii: "_") { pos += 1 }
        }
        if peek() == UInt8(ascii: "i") { pos += 1 }
        if alnumLength(at: pos) > 0 {
            pos += alnumLength(at: pos)
            throw error("bad number syntax: \(goQuote(string(start, pos)))")
        }
        emit(.number, from: start, line: startLine)
    }

    /// Go's `%#U` of the rune at `index`: `U+0021 '!'`.
    static func describeRune(at index: Int, in bytes: [UInt8]) -> String {
        let rest = String(decoding: bytes[index..<min(bytes.count, index + 4)], as: UTF8.self)
        return goUnicodeFormat(rest.unicodeScalars.first)
    }
}
