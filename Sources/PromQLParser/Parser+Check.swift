import PharosCore

// Prometheus' `checkAST`: type checks after a successful parse, first error wins.
// Also normalises vector matching: nil unless both sides are vectors; set operators many-to-many.
extension Parser {
    func check(_ expr: Expr) throws(ParseError) -> Expr {
        switch expr {
        case .number, .string, .stepInvariant:
            return expr
        case .paren(var p):
            p.expr = try check(p.expr)
            return .paren(p)
        case .unary(var u):
            u.expr = try check(u.expr)
            let t = u.expr.type
            if t != .scalar && t != .vector {
                throw error(u.position,
                            "unary expression only allowed on expressions of type scalar or instant vector, got \(goQuote(t.rawValue))")
            }
            return .unary(u)
        case .subquery(var s):
            s.expr = try check(s.expr)
            if s.expr.type != .vector {
                throw error(s.position, "subquery is only allowed on instant vector, got \(goTypeName(s.expr.type)) instead")
            }
            return .subquery(s)
        case .matrixSelector(let m):
            _ = try check(.vectorSelector(m.vectorSelector))
            return expr
        case .vectorSelector(let vs):
            try checkSelector(vs, bypassEmptyCheck: false)
            return expr
        case .aggregate(var a):
            a.expr = try expectType(a.expr, .vector, "aggregation expression")
            if let parameter = a.parameter {
                switch a.op {
                case .topk, .bottomk, .quantile, .limitk, .limitRatio:
                    a.parameter = try expectType(parameter, .scalar, "aggregation parameter")
                case .countValues:
                    a.parameter = try expectType(parameter, .string, "aggregation parameter")
                default: break
                }
            }
            return .aggregate(a)
        case .call(let c):
            return .call(try checkCall(c))
        case .binary(let b):
            return .binary(try checkBinary(b))
        }
    }

    private func expectType(_ expr: Expr, _ want: ValueType, _ context: String) throws(ParseError) -> Expr {
        let checked = try check(expr)
        if checked.type != want {
            throw error(checked.position, "expected type \(want.rawValue) in \(context), got \(checked.type.rawValue)")
        }
        return checked
    }

    private func checkSelector(_ vs: VectorSelector, bypassEmptyCheck: Bool) throws(ParseError) {
        let nameMatchers = vs.matchers.filter { $0.name == Labels.metricName }
        if let name = vs.name, nameMatchers.count > 1,
           let other = nameMatchers.first(where: { !($0.type == .equal && $0.value == name) }) ?? nameMatchers.first {
            throw error(vs.position, "metric name must not be set twice: \(goQuote(name)) or \(goQuote(other.value))")
        }
        if vs.name != nil || bypassEmptyCheck { return }
        if !vs.matchers.contains(where: { !$0.matchesEmpty }) {
            throw error(vs.position, "vector selector must contain at least one non-empty matcher")
        }
    }

    private func checkCall(_ call: Call) throws(ParseError) -> Call {
        var c = call
        let f = c.function
        let declared = f.argTypes.count
        if f.variadic == 0 {
            if declared != c.args.count {
                throw error(c.position, "expected \(declared) argument(s) in call to \(goQuote(f.name)), got \(c.args.count)")
            }
        } else {
            let minimum = declared - 1
            if minimum > c.args.count {
                throw error(c.position,
                            "expected at least \(minimum) argument(s) in call to \(goQuote(f.name)), got \(c.args.count)")
            }
            if f.variadic > 0, minimum + f.variadic < c.args.count {
                throw error(c.position,
                            "expected at most \(minimum + f.variadic) argument(s) in call to \(goQuote(f.name)), got \(c.args.count)")
            }
        }
        var bypassInfoSelector = false
        if f.name == "info", c.args.count > 1 {
            let second = c.args[1]
            if second.type != .vector {
                throw error(c.position,
                            "expected type instant vector in call to function \(goQuote(f.name)), got \(second.type.rawValue)")
            }
            guard case .vectorSelector(let vs) = second else {
                throw error(second.position, "expected label selectors only")
            }
            if vs.name != nil && vs.matchers.last?.name == Labels.metricName && !isQuotedNameOnly(vs) {
                throw error(second.position, "expected label selectors only, got vector selector instead")
            }
            bypassInfoSelector = true
        }
        for i in c.args.indices {
            var typeIndex = i
            if i >= declared {
                if f.variadic == 0 { break }
                typeIndex = declared - 1
            }
            let checked: Expr
            if bypassInfoSelector, i == 1, case .vectorSelector(let vs) = c.args[i] {
                try checkSelector(vs, bypassEmptyCheck: true)
                checked = c.args[i]
            } else {
                checked = try check(c.args[i])
            }
            c.args[i] = checked
            if checked.type != f.argTypes[typeIndex] {
                throw error(checked.position,
                            "expected type \(f.argTypes[typeIndex].rawValue) in call to function \(goQuote(f.name)), got \(checked.type.rawValue)")
            }
        }
        return c
    }

    private func isQuotedNameOnly(_ vs: VectorSelector) -> Bool {
        // A name that came from a quoted string inside the braces is not a trailing matcher.
        guard let first = input[vs.position.start...].first else { return false }
        return first == UInt8(ascii: "{")
    }

    private func checkBinary(_ binary: BinaryExpr) throws(ParseError) -> BinaryExpr {
        var b = binary
        b.lhs = try check(b.lhs)
        b.rhs = try check(b.rhs)
        let lt = b.lhs.type
        let rt = b.rhs.type
        if b.returnBool && !b.op.isComparison {
            throw error(operatorRange(b), "bool modifier can only be used on comparison operators")
        }
        if b.op.isComparison && !b.returnBool && lt == .scalar && rt == .scalar {
            throw error(operatorRange(b), "comparisons between scalars must use BOOL modifier")
        }
        var matching = b.matching ?? VectorMatching(cardinality: .oneToOne)
        if b.op.isSetOperator && matching.cardinality == .oneToOne { matching.cardinality = .manyToMany }
        if matching.on {
            for label in matching.matchingLabels where matching.include.contains(label) {
                throw error(operatorRange(b), "label \(goQuote(label)) must not occur in ON and GROUP clause at once")
            }
        }
        if lt != .scalar && lt != .vector {
            throw error(b.lhs.position, "binary expression must contain only scalar and instant vector types")
        }
        if rt != .scalar && rt != .vector {
            throw error(b.rhs.position, "binary expression must contain only scalar and instant vector types")
        }
        let fills = matching.fillLeft != nil || matching.fillRight != nil
        if lt != .vector || rt != .vector {
            if !matching.matchingLabels.isEmpty {
                throw error(b.position, "vector matching only allowed between instant vectors")
            }
            if fills { throw error(b.position, "filling in missing series only allowed between instant vectors") }
            b.matching = nil
        } else {
            if b.op.isSetOperator {
                if matching.cardinality == .oneToMany || matching.cardinality == .manyToOne {
                    throw error(b.position, "no grouping allowed for \(goQuote(b.op.rawValue)) operation")
                }
                if fills { throw error(b.position, "filling in missing series not allowed for set operators") }
            }
            b.matching = matching
        }
        if (lt == .scalar || rt == .scalar) && b.op.isSetOperator {
            throw error(b.position, "set operator \(goQuote(b.op.rawValue)) not allowed in binary scalar expression")
        }
        return b
    }

    /// The operator's range, trimmed of spaces, for operator-level errors.
    private func operatorRange(_ b: BinaryExpr) -> PositionRange {
        var start = b.lhs.position.end
        while start < input.count, isSpace(input[start]) { start += 1 }
        var end = b.rhs.position.start - 1
        while end > start, isSpace(input[end]) { end -= 1 }
        return PositionRange(start: start, end: end)
    }
}

/// Go's `%s` of a ValueType (used by the subquery message): `vector`, `matrix`, …
private func goTypeName(_ t: ValueType) -> String {
    switch t {
    case .scalar: return "scalar"
    case .vector: return "vector"
    case .matrix: return "matrix"
    case .string: return "string"
    }
}
