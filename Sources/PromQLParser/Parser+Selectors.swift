import Foundation
import PharosCore

// Vector selectors, label matchers, ranges, subqueries, `offset` and `@`.
extension Parser {
    /// `name`, `name{…}` or `{…}`. The current token is a metric-name token or `{`.
    mutating func parseVectorSelector() throws(ParseError) -> VectorSelector {
        var name: String?
        var start = tok.start
        var end = tok.end
        if tok.kind != .leftBrace {
            let t = advance()
            name = text(t)
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

    /// `expr[range]` or `expr[range:step]` / `expr[range:]`; ranges may be duration expressions.
    mutating func parseRangeOrSubquery(_ expr: Expr) throws(ParseError) -> Expr {
        let open = advance()  // [
        let rangeStart = tok.start
        guard let rangeExpr = try parseDurationExpression() else {
            throw unexpected("subquery or range selector", expected: "number, duration, step(), or range()")
        }
        let rangePosition = PositionRange(start: rangeStart, end: lastClosing)
        let range = try fold(rangeExpr, range: rangePosition, positive: true)
        switch tok.kind {
        case .rightBracket:
            let close = advance()
            var message: String?
            var selector: VectorSelector?
            if case .vectorSelector(let vs) = expr {
                selector = vs
                if vs.offset != 0 || vs.offsetExpr != nil {
                    message = "no offset modifiers allowed before range"
                } else if vs.at != nil {
                    message = "no @ modifiers allowed before range"
                }
            } else {
                message = "ranges only allowed for vector selectors"
            }
            if let message { throw error(PositionRange(start: open.start, end: close.end), message) }
            return .matrixSelector(MatrixSelector(vectorSelector: selector!, range: range ?? 0,
                                                  position: PositionRange(start: expr.position.start, end: close.end),
                                                  rangeExpr: range == nil ? rangeExpr : nil))
        case .colon:
            advance()
            var step: Int64? = 0
            var stepExpr: DurationExpr?
            if tok.kind != .rightBracket {
                let stepStart = tok.start
                guard let parsed = try parseDurationExpression() else {
                    throw unexpected("subquery selector", expected: "number, duration, step(), range() or \"]\"")
                }
                step = try fold(parsed, range: PositionRange(start: stepStart, end: lastClosing), positive: true)
                stepExpr = step == nil ? parsed : nil
                guard tok.kind == .rightBracket else { throw unexpected("subquery selector", expected: "\"]\"") }
            }
            let close = advance()
            return .subquery(SubqueryExpr(expr: expr, range: range ?? 0, step: step ?? 0,
                                          position: PositionRange(start: expr.position.start, end: close.end),
                                          rangeExpr: range == nil ? rangeExpr : nil, stepExpr: stepExpr))
        default:
            throw unexpected("subquery or range", expected: "\":\" or \"]\"")
        }
    }

    /// `offset <duration>`: a literal, `-` literal, `( … )`, or a duration function, applied to a
    /// selector or subquery. A following arithmetic operator belongs to the enclosing expression.
    mutating func parseOffset(_ expr: Expr) throws(ParseError) -> Expr {
        advance()  // offset
        let start = tok.start
        var negative = false
        if tok.kind == .sub || tok.kind == .add {
            negative = advance().kind == .sub
        }
        guard var amountExpr = try parseDurationPrimary() else {
            throw unexpected("offset", expected: "number, duration, step(), or range()")
        }
        if negative {
            if case .seconds(let v) = amountExpr { amountExpr = .seconds(-v) } else { amountExpr = .negate(amountExpr) }
        }
        let folded = try fold(amountExpr, range: PositionRange(start: start, end: lastClosing), positive: false)
        let offset = folded ?? 0
        let offsetExpr = folded == nil ? amountExpr : nil
        let duplicate = error(expr.position, "offset may not be set multiple times")
        switch expr {
        case .vectorSelector(var vs):
            if vs.offset != 0 || vs.offsetExpr != nil { throw duplicate }
            vs.offset = offset
            vs.offsetExpr = offsetExpr
            vs.position.end = lastClosing
            return .vectorSelector(vs)
        case .matrixSelector(var ms):
            if ms.vectorSelector.offset != 0 || ms.vectorSelector.offsetExpr != nil { throw duplicate }
            ms.vectorSelector.offset = offset
            ms.vectorSelector.offsetExpr = offsetExpr
            ms.position.end = lastClosing
            return .matrixSelector(ms)
        case .subquery(var sq):
            if sq.offset != 0 || sq.offsetExpr != nil { throw duplicate }
            sq.offset = offset
            sq.offsetExpr = offsetExpr
            sq.position.end = lastClosing
            return .subquery(sq)
        default:
            throw error(expr.position,
                        "offset modifier must be preceded by an instant vector selector or range vector selector or a subquery")
        }
    }

    /// Experimental `anchored` / `smoothed` after a selector or range selector.
    mutating func parseExtendedRangeModifier(_ expr: Expr) throws(ParseError) -> Expr {
        let anchored = advance().kind == .anchored
        let name = anchored ? "anchored" : "smoothed"
        let conflict = error(expr.position, "anchored and smoothed modifiers cannot be used together")
        func apply(_ vs: inout VectorSelector) throws(ParseError) {
            if anchored { vs.anchored = true } else { vs.smoothed = true }
            if vs.anchored && vs.smoothed { throw conflict }
        }
        switch expr {
        case .vectorSelector(var vs):
            try apply(&vs)
            return .vectorSelector(vs)
        case .matrixSelector(var ms):
            try apply(&ms.vectorSelector)
            return .matrixSelector(ms)
        case .subquery:
            throw error(expr.position, "\(name) modifier is not supported for subqueries")
        default:
            throw error(expr.position, "\(name) modifier not implemented")
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
