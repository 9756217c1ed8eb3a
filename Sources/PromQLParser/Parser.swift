import PharosCore

/// Parses a PromQL expression and type-checks it like Prometheus' `ParseExpr`.
///
/// Throws the first error Prometheus would report. Never produces `.stepInvariant` nodes.
package func parseExpr(_ text: String) throws(ParseError) -> Expr {
    var parser = Parser(text)
    let expr = try parser.parseTopLevel()
    return try parser.check(expr)
}

/// Parses a series selector (`match[]` parameter) such as `up{job="api"}` into its matchers.
///
/// The whole text must be one vector selector, without offset, `@` or range. Like Prometheus'
/// `ParseMetricSelector`, no type checks run: `{}` yields no matchers, and callers (the HTTP
/// API) reject selectors without a non-empty matcher with their own message.
package func parseMetricSelector(_ text: String) throws(ParseError) -> [LabelMatcher] {
    var parser = Parser(text)
    if parser.tok.kind == .eof {
        throw parser.error(PositionRange(start: 0, end: 0), "no expression found in input", .syntax)
    }
    guard parser.tok.kind.canBeMetricName || parser.tok.kind == .leftBrace else {
        throw parser.unexpected()
    }
    let selector = try parser.parseVectorSelector()
    guard parser.tok.kind == .eof else { throw parser.unexpected() }
    return selector.matchers
}

/// Recursive-descent (precedence-climbing) parser over the lexer's tokens.
struct Parser {
    let input: [UInt8]
    let tokens: [Token]
    var index = 0
    /// End of the last `)`, `}`, `]`, number or duration consumed (Prometheus' `lastClosing`).
    var lastClosing = 0
    /// Current nesting of sub-expressions; bounded so deep input cannot exhaust the stack.
    var depth = 0
    /// Deepest nesting accepted. Prometheus has no limit; real queries stay far below this.
    static let maxDepth = 400

    init(_ text: String) {
        input = Array(text.utf8)
        tokens = Lexer.tokenize(input)
    }

    var tok: Token { tokens[index] }
    var next: Token { tokens[min(index + 1, tokens.count - 1)] }

    @discardableResult
    mutating func advance() -> Token {
        let t = tokens[index]
        switch t.kind {
        case .rightParen, .rightBrace, .rightBracket, .number, .duration: lastClosing = t.end
        default: break
        }
        if index < tokens.count - 1 { index += 1 }
        return t
    }

    func text(_ t: Token) -> String { String(decoding: input[t.start..<t.end], as: UTF8.self) }

    func error(_ range: PositionRange, _ message: String, _ kind: ParseError.Kind = .semantic) -> ParseError {
        ParseError(kind: kind, position: range, message: message, in: input)
    }

    /// Prometheus' `unexpected`: names the current token; a lexer error is reported as itself.
    func unexpected(_ context: String? = nil, expected: String? = nil) -> ParseError {
        let t = tok
        if t.kind == .error {
            return error(t.range, t.message ?? "lexer error", .lexical)
        }
        var message = "unexpected " + describe(t)
        if let context { message += " in " + context }
        if let expected { message += ", expected " + expected }
        return error(t.range, message, .syntax)
    }

    /// Prometheus' `Item.desc()`.
    func describe(_ t: Token) -> String {
        let value = text(t)
        switch t.kind {
        case .eof: return "end of input"
        case .identifier: return "identifier " + goQuote(value)
        case .metricIdentifier: return "metric identifier " + goQuote(value)
        case .string, .number, .duration:
            let name = t.kind == .string ? "string" : t.kind == .number ? "number" : "duration"
            let shown = value.unicodeScalars.count > 10 ? goQuote(value, limit: 10) + "..." : goQuote(value)
            return name + " " + shown
        default:
            if t.kind.isKeyword { return "<\(value)>" }
            if t.kind.isOperator { return "<op:\(value)>" }
            if t.kind.isAggregator { return "<aggr:\(value)>" }
            return goQuote(value)
        }
    }

    mutating func expect(_ kind: TokenKind, context: String? = nil, expected: String? = nil) throws(ParseError) -> Token {
        guard tok.kind == kind else { throw unexpected(context, expected: expected) }
        return advance()
    }

    mutating func enter() throws(ParseError) {
        depth += 1
        if depth > Self.maxDepth {
            throw error(tok.range, "expression nests deeper than \(Self.maxDepth) levels", .syntax)
        }
    }

    // MARK: - Expressions

    mutating func parseTopLevel() throws(ParseError) -> Expr {
        if tok.kind == .eof {
            throw error(PositionRange(start: 0, end: 0), "no expression found in input", .syntax)
        }
        let expr = try parseExpression(minPrecedence: 0)
        guard tok.kind == .eof else { throw unexpected() }
        return expr
    }

    /// Binary operators by precedence climbing; `^` is right-associative.
    mutating func parseExpression(minPrecedence: Int) throws(ParseError) -> Expr {
        try enter()
        defer { depth -= 1 }
        var lhs = try parseUnary()
        while let op = tok.kind.binaryOp, op.precedence >= minPrecedence {
            advance()
            let modifiers = try parseBinaryModifiers()
            let rhs = try parseExpression(minPrecedence: op.isRightAssociative ? op.precedence : op.precedence + 1)
            lhs = .binary(BinaryExpr(op: op, lhs: lhs, rhs: rhs, matching: modifiers.matching,
                                     returnBool: modifiers.returnBool,
                                     position: PositionRange(start: lhs.position.start, end: rhs.position.end)))
        }
        if tok.kind == .trimUpper || tok.kind == .trimLower {
            throw error(tok.range, "histogram trim operator \(goQuote(text(tok))) is not supported", .syntax)
        }
        return lhs
    }

    /// Unary `+`/`-` bind below `^` and like `*` otherwise; on a number literal they fold into it.
    mutating func parseUnary() throws(ParseError) -> Expr {
        guard tok.kind == .add || tok.kind == .sub else { return try parsePostfix() }
        let opToken = advance()
        let operand = try parseExpression(minPrecedence: BinaryOp.pow.precedence)
        if case .number(var literal) = operand {
            if opToken.kind == .sub { literal.value = -literal.value }
            literal.position.start = opToken.start
            return .number(literal)
        }
        return .unary(UnaryExpr(op: opToken.kind == .sub ? .sub : .add, expr: operand,
                                position: PositionRange(start: opToken.start, end: operand.position.end)))
    }

    /// A primary expression followed by any `[…]`, `offset` and `@` modifiers.
    mutating func parsePostfix() throws(ParseError) -> Expr {
        var expr = try parsePrimary()
        while true {
            switch tok.kind {
            case .leftBracket: expr = try parseRangeOrSubquery(expr)
            case .offset: expr = try parseOffset(expr)
            case .at: expr = try parseAt(expr)
            case .anchored, .smoothed: expr = try parseExtendedRangeModifier(expr)
            default: return expr
            }
        }
    }

    mutating func parsePrimary() throws(ParseError) -> Expr {
        let t = tok
        switch t.kind {
        case .number:
            advance()
            return .number(NumberLiteral(value: try parseNumber(t), position: t.range))
        case .duration:
            // Prometheus 3 accepts a duration wherever a number literal may stand (`1h` = 3600).
            advance()
            return .number(NumberLiteral(value: try durationSeconds(t), position: t.range))
        case .string:
            advance()
            return .string(StringLiteral(value: try unquote(t), position: t.range))
        case .leftParen:
            advance()
            let inner = try parseExpression(minPrecedence: 0)
            let close = try expect(.rightParen)
            return .paren(ParenExpr(expr: inner, position: PositionRange(start: t.start, end: close.end)))
        case .leftBrace:
            return .vectorSelector(try parseVectorSelector())
        case .identifier where next.kind == .leftParen, .start where next.kind == .leftParen,
             .end where next.kind == .leftParen, .step where next.kind == .leftParen,
             .range where next.kind == .leftParen:
            return try parseCall()
        default:
            if t.kind.isAggregator, next.kind == .leftParen || next.kind == .by || next.kind == .without {
                return try parseAggregate()
            }
            if t.kind.canBeMetricName { return .vectorSelector(try parseVectorSelector()) }
            throw unexpected()
        }
    }

    func parseNumber(_ t: Token) throws(ParseError) -> Double {
        let raw = text(t)
        if let value = goParseNumber(raw) {
            if value.isInfinite, !raw.lowercased().contains("inf") {
                throw error(t.range, "error parsing number: strconv.ParseFloat: parsing \(goQuote(raw)): value out of range",
                            .syntax)
            }
            return value
        }
        throw error(t.range, "error parsing number: strconv.ParseFloat: parsing \(goQuote(raw)): invalid syntax", .syntax)
    }

    func durationSeconds(_ t: Token) throws(ParseError) -> Double {
        do {
            return try PrometheusDuration(parsing: String(decoding: input[t.start..<t.end], as: UTF8.self)).seconds
        } catch {
            throw self.error(t.range, error.prometheusMessage, .syntax)
        }
    }

    func unquote(_ t: Token) throws(ParseError) -> String {
        guard let value = goUnquote(input[t.start..<t.end]) else {
            throw error(t.range, "error unquoting string \(goQuote(text(t))): invalid syntax", .syntax)
        }
        return value
    }
}

/// Go's `ParseInt(s, 0, 64)` then `ParseFloat(s, 64)`, for the shapes the lexer lets through.
func goParseNumber(_ raw: String) -> Double? {
    let s = raw.contains("_") ? raw.replacingOccurrences(of: "_", with: "") : raw
    let lower = s.lowercased()
    switch lower {
    case "inf", "+inf", "infinity": return .infinity
    case "-inf": return -.infinity
    case "nan": return .nan
    default: break
    }
    if lower.hasPrefix("0x") {
        if let v = Int64(lower.dropFirst(2), radix: 16) { return Double(v) }
        if let v = UInt64(lower.dropFirst(2), radix: 16) { return Double(v) }
        return nil
    }
    if s.count > 1, s.hasPrefix("0"), s.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x37 }) {
        return Int64(s.dropFirst(), radix: 8).map(Double.init)
    }
    if let v = Int64(s) { return Double(v) }
    return Double(s)
}

extension String {
    fileprivate func replacingOccurrences(of target: String, with replacement: String) -> String {
        split(separator: Character(target), omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
