import Foundation
import PharosCore

// Vector selectors, label matchers, ranges, subqueries, `offset` and `@`.
extension Parser {
    /// `name`, `name{…}` or `{…}`. The current token is a metric-name token or `{`.
    mutating func parseVectorSelector() throws(ParseError) -> VectorSelector {
        var name: String?
        var start = tok.start
        var end = tok.end
        var nameRange: PositionRange?
        if tok.kind != .leftBrace {
            let t = advance()
            name = text(t)
            nameRange = t.range
            start = t.start
            end = t.end
        }
        var matchers: [LabelMatcher] = []
        var quotedName: String?
        if tok.kind == .leftBrace {
            (matchers, quotedName) = try parseLabelMatchers()
            end = lastClosing
        }
        if let name {
            // A name outside the braces becomes a trailing `__name__` equality matcher.
            matchers.append(LabelMatcher.equal(Labels.metricName, name))
            _ = nameRange
        } else if let quotedName, matchers.count(where: { $0.name == Labels.metricName }) == 1 {
            name = quotedName
        }
        return VectorSelector(name: name, matchers: matchers, position: PositionRange(start: start, end: end))
    }

    /// `{ matcher, … }`; returns the matchers and the metric name given as a lone quoted string.
    private mutating func parseLabelMatchers() throws(ParseError) -> ([LabelMatcher], String?) {
        advance()  // {
        var matchers: [LabelMatcher] = []
        var quotedName: String?
        if tok.kind == .rightBrace {
            advance()
            return (matchers, nil)
        }
        while true {
            let labelToken = tok
            guard labelToken.kind == .identifier || labelToken.kind == .string else {
                throw unexpected("label matching", expected: "identifier or \"}\"")
            }
            advance()
            let label = labelToken.kind == .string ? try unquote(labelToken) : text(labelToken)
            let matchType: MatchType?
            switch tok.kind {
            case .assign: matchType = .equal
            case .neq: matchType = .notEqual
            case .eqlRegex: matchType = .regexMatch
            case .neqRegex: matchType = .regexNoMatch
            default: matchType = nil
            }
            if let matchType {
                advance()
                guard tok.kind == .string else { throw unexpected("label matching", expected: "string") }
                let valueToken = advance()
                let value = try unquote(valueToken)
                do {
                    matchers.append(try LabelMatcher(matchType, label, value))
                } catch {
                    throw self.error(PositionRange(start: labelToken.start, end: valueToken.end), "\(error)")
                }
            } else if labelToken.kind == .string, tok.kind == .comma || tok.kind == .rightBrace {
                matchers.append(LabelMatcher.equal(Labels.metricName, label))
                quotedName = label
            } else {
                throw unexpected("label matching", expected: "label matching operator")
            }
            switch tok.kind {
            case .rightBrace:
                advance()
                return (matchers, quotedName)
            case .comma:
                advance()
                if tok.kind == .rightBrace {
                    advance()
                    return (matchers, quotedName)
                }
            default:
                throw unexpected("label matching", expected: "\",\" or \"}\"")
            }
        }
    }

    /// A duration token, or a number of seconds (Prometheus 3 accepts `foo[5]`), in ms.
    mutating func parseDurationLiteral() throws(ParseError) -> Int64? {
        let t = tok
        switch t.kind {
        case .duration:
            advance()
            do {
                return try PrometheusDuration(parsing: text(t)).milliseconds
            } catch {
                throw self.error(t.range, "not a valid duration string: \(goQuote(text(t)))", .syntax)
            }
        case .number:
            advance()
            let seconds = try parseNumber(t)
            guard seconds.isFinite, abs(seconds) <= Double(Int64.max) / 1e9 else {
                throw self.error(t.range, "duration out of range", .syntax)
            }
            return Int64((seconds * 1000).rounded())
        default:
            return nil
        }
    }

    /// Errors for the experimental duration-arithmetic syntax, which this parser does not enable.
    func durationExpressionError() -> ParseError {
        switch tok.kind {
        case .leftParen, .sub, .add, .step, .range, .min, .max:
            return error(tok.range, "experimental duration expression is not enabled")
        default:
            return unexpected()
        }
    }

    /// `expr[range]` or `expr[range:step]` / `expr[range:]`.
    mutating func parseRangeOrSubquery(_ expr: Expr) throws(ParseError) -> Expr {
        let open = advance()  // [
        guard let range = try parseDurationLiteral() else {
            if case .unexpected = DurationSyntax(tok.kind) {
                throw unexpected("subquery selector", expected: "duration")
            }
            throw durationExpressionError()
        }
        switch tok.kind {
        case .rightBracket:
            let close = advance()
            var message: String?
            var selector: VectorSelector?
            if case .vectorSelector(let vs) = expr {
                selector = vs
                if vs.offset != 0 {
                    message = "no offset modifiers allowed before range"
                } else if vs.at != nil {
                    message = "no @ modifiers allowed before range"
                }
            } else {
                message = "ranges only allowed for vector selectors"
            }
            if let message { throw error(PositionRange(start: open.start, end: close.end), message) }
            return .matrixSelector(MatrixSelector(vectorSelector: selector!, range: range,
                                                  position: PositionRange(start: expr.position.start, end: close.end)))
        case .colon:
            advance()
            var step: Int64 = 0
            if tok.kind != .rightBracket {
                guard let parsed = try parseDurationLiteral() else {
                    if case .unexpected = DurationSyntax(tok.kind) {
                        throw unexpected("subquery selector", expected: "duration or \"]\"")
                    }
                    throw durationExpressionError()
                }
                step = parsed
                guard tok.kind == .rightBracket else { throw unexpected("subquery selector", expected: "\"]\"") }
            }
            let close = advance()
            return .subquery(SubqueryExpr(expr: expr, range: range, step: step,
                                          position: PositionRange(start: expr.position.start, end: close.end)))
        default:
            if case .arithmetic = DurationSyntax(tok.kind) { throw durationExpressionError() }
            throw unexpected("subquery or range", expected: "\":\" or \"]\"")
        }
    }

    /// `offset [-]duration`, applied to a selector or subquery.
    mutating func parseOffset(_ expr: Expr) throws(ParseError) -> Expr {
        advance()  // offset
        var negative = false
        if tok.kind == .sub, next.kind == .duration || next.kind == .number {
            advance()
            negative = true
        }
        guard let amount = try parseDurationLiteral() else {
            if tok.kind == .leftParen { throw error(tok.range, "experimental duration expression is not enabled") }
            throw unexpected("offset", expected: "duration")
        }
        let offset = negative ? -amount : amount
        let duplicate = error(expr.position, "offset may not be set multiple times")
        switch expr {
        case .vectorSelector(var vs):
            if vs.offset != 0 { throw duplicate }
            vs.offset = offset
            vs.position.end = lastClosing
            return .vectorSelector(vs)
        case .matrixSelector(var ms):
            if ms.vectorSelector.offset != 0 { throw duplicate }
            ms.vectorSelector.offset = offset
            ms.position.end = lastClosing
            return .matrixSelector(ms)
        case .subquery(var sq):
            if sq.offset != 0 { throw duplicate }
            sq.offset = offset
            sq.position.end = lastClosing
            return .subquery(sq)
        default:
            throw error(expr.position,
                        "offset modifier must be preceded by an instant vector selector or range vector selector or a subquery")
        }
    }

    /// `@ <seconds>`, `@ start()` or `@ end()`, applied to a selector or subquery.
    mutating func parseAt(_ expr: Expr) throws(ParseError) -> Expr {
        advance()  // @
        let at: AtModifier
        switch tok.kind {
        case .start, .end:
            let which = advance()
            _ = try expect(.leftParen, context: "@", expected: "timestamp")
            _ = try expect(.rightParen, context: "@", expected: "timestamp")
            at = which.kind == .start ? .start : .end
        case .number, .duration, .add, .sub:
            var sign = 1.0
            if tok.kind != .number && tok.kind != .duration {
                sign = tok.kind == .sub ? -1 : 1
                advance()
                guard tok.kind == .number || tok.kind == .duration else { throw unexpected("@", expected: "timestamp") }
            }
            let t = advance()
            let seconds = sign * (t.kind == .number ? try parseNumber(t) : try durationSeconds(t))
            if !seconds.isFinite || seconds >= Double(Int64.max) || seconds <= Double(Int64.min) {
                throw error(expr.position, "timestamp out of bounds for @ modifier: \(goFormatF(seconds))")
            }
            at = .timestamp(Int64((seconds * 1000).rounded()))
        default:
            throw unexpected("@", expected: "timestamp")
        }
        let duplicate = error(expr.position, "@ <timestamp> may not be set multiple times")
        switch expr {
        case .vectorSelector(var vs):
            if vs.at != nil { throw duplicate }
            vs.at = at
            vs.position.end = lastClosing
            return .vectorSelector(vs)
        case .matrixSelector(var ms):
            if ms.vectorSelector.at != nil { throw duplicate }
            ms.vectorSelector.at = at
            ms.position.end = lastClosing
            return .matrixSelector(ms)
        case .subquery(var sq):
            if sq.at != nil { throw duplicate }
            sq.at = at
            sq.position.end = lastClosing
            return .subquery(sq)
        default:
            throw error(expr.position,
                        "@ modifier must be preceded by an instant vector selector or range vector selector or a subquery")
        }
    }
}

/// How a token inside `[…]` relates to duration syntax.
private enum DurationSyntax {
    case arithmetic, unexpected
    init(_ kind: TokenKind) {
        switch kind {
        case .leftParen, .sub, .add, .mul, .div, .mod, .pow, .step, .range, .min, .max: self = .arithmetic
        default: self = .unexpected
        }
    }
}

/// Go's `%f`: six decimals.
func goFormatF(_ value: Double) -> String {
    if value.isNaN { return "NaN" }
    if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
    let scaled = (abs(value) * 1_000_000).rounded()
    if scaled < 9e18 {
        let n = Int64(scaled)
        var frac = String(n % 1_000_000)
        while frac.count < 6 { frac = "0" + frac }
        return (value < 0 ? "-" : "") + "\(n / 1_000_000).\(frac)"
    }
    return String(format: "%.6f", value)
}
