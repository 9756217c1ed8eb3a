import PharosCore

// Function calls, aggregations and grouping label lists.
extension Parser {
    /// `name(args…)`; the current token is the identifier and the next one `(`.
    mutating func parseCall() throws(ParseError) -> Expr {
        let nameToken = advance()
        let args = try parseArguments()
        let name = text(nameToken)
        guard let function = functionTable[name] else {
            throw error(nameToken.range, "unknown function with name \(goQuote(name))")
        }
        return .call(Call(function: function, args: args,
                          position: PositionRange(start: nameToken.start, end: lastClosing)))
    }

    /// `( expr, … )` with Prometheus' trailing-comma error.
    mutating func parseArguments() throws(ParseError) -> [Expr] {
        _ = try expect(.leftParen)
        var args: [Expr] = []
        if tok.kind == .rightParen {
            advance()
            return args
        }
        while true {
            args.append(try parseExpression(minPrecedence: 0))
            switch tok.kind {
            case .rightParen:
                advance()
                return args
            case .comma:
                let comma = advance()
                if tok.kind == .rightParen {
                    throw error(comma.range, "trailing commas not allowed in function call args", .syntax)
                }
            default:
                throw unexpected()
            }
        }
    }

    /// `op [by|without (…)] (args) [by|without (…)]`.
    mutating func parseAggregate() throws(ParseError) -> Expr {
        let opToken = advance()
        let op = opToken.kind.aggregateOp!
        var grouping: [String] = []
        var without = false
        var modifierSeen = false
        if tok.kind == .by || tok.kind == .without {
            without = advance().kind == .without
            grouping = try parseGroupingLabels()
            modifierSeen = true
        }
        guard tok.kind == .leftParen else { throw unexpected("aggregation") }
        let args = try parseArguments()
        if !modifierSeen, tok.kind == .by || tok.kind == .without {
            without = advance().kind == .without
            grouping = try parseGroupingLabels()
        }
        let position = PositionRange(start: opToken.start, end: lastClosing)
        if args.isEmpty { throw error(position, "no arguments for aggregate expression provided") }
        let wanted = op.takesParameter ? 2 : 1
        guard args.count == wanted else {
            throw error(position,
                        "wrong number of arguments for aggregate expression provided, expected \(wanted), got \(args.count)")
        }
        return .aggregate(AggregateExpr(op: op, expr: args[wanted - 1], parameter: op.takesParameter ? args[0] : nil,
                                        grouping: grouping, without: without, position: position))
    }

    /// `( label, … )` for `by`, `without`, `on`, `ignoring`, `group_left`, `group_right`.
    mutating func parseGroupingLabels() throws(ParseError) -> [String] {
        guard tok.kind == .leftParen else { throw unexpected("grouping opts", expected: "\"(\"") }
        advance()
        var labels: [String] = []
        if tok.kind == .rightParen {
            advance()
            return labels
        }
        while true {
            let t = tok
            if t.kind == .string {
                labels.append(try unquote(t))
            } else if t.kind.canBeLabel, isLegacyLabelName(input[t.start..<t.end]) {
                labels.append(text(t))
            } else {
                throw unexpected("grouping opts", expected: "label")
            }
            advance()
            switch tok.kind {
            case .rightParen:
                advance()
                return labels
            case .comma:
                advance()
                if tok.kind == .rightParen {
                    advance()
                    return labels
                }
            default:
                throw unexpected("grouping opts", expected: "\",\" or \")\"")
            }
        }
    }

    /// `bool`, `on(…)`/`ignoring(…)`, `group_left(…)`/`group_right(…)` after a binary operator.
    mutating func parseBinaryModifiers() throws(ParseError) -> (matching: VectorMatching, returnBool: Bool) {
        var matching = VectorMatching(cardinality: .oneToOne)
        var returnBool = false
        if tok.kind == .bool {
            advance()
            returnBool = true
        }
        if tok.kind == .on || tok.kind == .ignoring {
            matching.on = advance().kind == .on
            matching.matchingLabels = try parseGroupingLabels()
            if tok.kind == .groupLeft || tok.kind == .groupRight {
                matching.cardinality = advance().kind == .groupLeft ? .manyToOne : .oneToMany
                if tok.kind == .leftParen { matching.include = try parseGroupingLabels() }
            }
        }
        // Experimental fill modifiers: `fill(v)`, `fill_left(v)`, `fill_right(v)`.
        while tok.kind == .fill || tok.kind == .fillLeft || tok.kind == .fillRight {
            let which = advance().kind
            _ = try expect(.leftParen, context: "fill modifier", expected: "\"(\"")
            var sign = 1.0
            if tok.kind == .sub || tok.kind == .add { sign = advance().kind == .sub ? -1 : 1 }
            guard tok.kind == .number else { throw unexpected("fill modifier", expected: "number") }
            let value = sign * (try parseNumber(advance()))
            _ = try expect(.rightParen, context: "fill modifier", expected: "\")\"")
            if which != .fillRight { matching.fillLeft = value }
            if which != .fillLeft { matching.fillRight = value }
        }
        return (matching, returnBool)
    }
}

/// `[a-zA-Z_][a-zA-Z0-9_]*`.
func isLegacyLabelName(_ bytes: ArraySlice<UInt8>) -> Bool {
    guard let first = bytes.first, isAlpha(first) else { return false }
    return bytes.allSatisfy(isAlphaNumeric)
}
