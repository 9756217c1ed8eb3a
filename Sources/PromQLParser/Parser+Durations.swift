// Duration literals and experimental duration arithmetic inside `[…]` and after `offset`.
extension Parser {
    /// A duration expression: literals (numbers are seconds), `+ - * / % ^`, parentheses,
    /// `step()`, `range()`, `min(a, b)`/`min_of(a, b)`, `max(a, b)`/`max_of(a, b)`.
    /// Returns nil without consuming anything when the current token cannot start one.
    mutating func parseDurationExpression(minPrecedence: Int = 0) throws(ParseError) -> DurationExpr? {
        try enter()
        defer { depth -= 1 }
        guard var lhs = try parseDurationUnary() else { return nil }
        while let op = tok.kind.binaryOp, op.precedence >= minPrecedence,
              [.add, .sub, .mul, .div, .mod, .pow].contains(op) {
            advance()
            let next = op.isRightAssociative ? op.precedence : op.precedence + 1
            guard let rhs = try parseDurationExpression(minPrecedence: next) else {
                throw unexpected("duration expression", expected: "number, duration, step(), or range()")
            }
            lhs = .binary(op, lhs, rhs)
        }
        return lhs
    }

    mutating func parseDurationUnary() throws(ParseError) -> DurationExpr? {
        guard tok.kind == .add || tok.kind == .sub else { return try parseDurationPrimary() }
        let negative = advance().kind == .sub
        guard let operand = try parseDurationExpression(minPrecedence: BinaryOp.pow.precedence) else {
            throw unexpected("duration expression", expected: "number, duration, step(), or range()")
        }
        if !negative { return operand }
        if case .seconds(let v) = operand { return .seconds(-v) }
        return .negate(operand)
    }

    /// A literal, `( … )` or a duration function; nil if the current token starts none of them.
    mutating func parseDurationPrimary() throws(ParseError) -> DurationExpr? {
        let t = tok
        switch t.kind {
        case .number:
            advance()
            return .seconds(try parseNumber(t))
        case .duration:
            advance()
            return .seconds(try durationSeconds(t))
        case .leftParen:
            advance()
            guard let inner = try parseDurationExpression() else {
                throw unexpected("duration expression", expected: "number, duration, step(), or range()")
            }
            _ = try expect(.rightParen, context: "duration expression", expected: "\")\"")
            return .paren(inner)
        case .step, .range:
            guard next.kind == .leftParen else { return nil }
            advance()
            advance()
            _ = try expect(.rightParen, context: "duration expression", expected: "\")\"")
            return t.kind == .step ? .step : .range
        case .min, .max, .identifier:
            let name = text(t).lowercased()
            guard next.kind == .leftParen, ["min", "max", "min_of", "max_of"].contains(name) else { return nil }
            advance()
            advance()
            guard let a = try parseDurationExpression() else {
                throw unexpected("duration expression", expected: "number, duration, step(), or range()")
            }
            _ = try expect(.comma, context: "duration expression", expected: "\",\"")
            guard let b = try parseDurationExpression() else {
                throw unexpected("duration expression", expected: "number, duration, step(), or range()")
            }
            _ = try expect(.rightParen, context: "duration expression", expected: "\")\"")
            return name.hasPrefix("min") ? .min(a, b) : .max(a, b)
        default:
            return nil
        }
    }

    /// Folds a constant expression to milliseconds (nil when it depends on step()/range()).
    /// Ranges and steps must be positive; offsets may be negative.
    func fold(_ expr: DurationExpr, range: PositionRange, positive: Bool) throws(ParseError) -> Int64? {
        guard expr.isConstant else { return nil }
        guard let seconds = expr.seconds(step: 0, range: 0) else { throw error(range, "division by zero") }
        guard seconds.isFinite, abs(seconds) <= Double(Int64.max) / 1e9 else {
            throw error(range, "duration out of range", .syntax)
        }
        // Float seconds → rounded integer nanoseconds → milliseconds (`foo[4.18]` is 4s180ms upstream).
        let ms = Int64((seconds * 1e9).rounded()) / 1_000_000
        if positive && ms <= 0 { throw error(range, "duration must be greater than 0") }
        return ms
    }
}
