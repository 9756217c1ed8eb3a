import PharosCore

/// Canonical PromQL text, as Prometheus' printer writes it; parsing it yields the same tree
/// (positions aside).
extension Expr: CustomStringConvertible {
    package var description: String {
        var out = ""
        write(to: &out)
        return out
    }

    func write(to out: inout String) {
        switch self {
        case .number(let n): out += formatNumber(n.value)
        case .string(let s): out += goQuote(s.value)
        case .vectorSelector(let vs):
            writeSelector(vs, to: &out)
            writeModifiers(at: vs.at, offset: vs.offset, to: &out)
        case .matrixSelector(let ms):
            writeSelector(ms.vectorSelector, to: &out)
            out += "[" + PrometheusDuration(milliseconds: ms.range).description + "]"
            writeModifiers(at: ms.vectorSelector.at, offset: ms.vectorSelector.offset, to: &out)
        case .subquery(let sq):
            sq.expr.write(to: &out)
            out += "[" + PrometheusDuration(milliseconds: sq.range).description + ":"
            if sq.step != 0 { out += PrometheusDuration(milliseconds: sq.step).description }
            out += "]"
            writeModifiers(at: sq.at, offset: sq.offset, to: &out)
        case .call(let c):
            out += c.function.name + "("
            for (i, arg) in c.args.enumerated() {
                if i > 0 { out += ", " }
                arg.write(to: &out)
            }
            out += ")"
        case .aggregate(let a):
            out += a.op.rawValue
            if a.without {
                out += " without (" + joinLabels(a.grouping) + ") "
            } else if !a.grouping.isEmpty {
                out += " by (" + joinLabels(a.grouping) + ") "
            }
            out += "("
            if let p = a.parameter {
                p.write(to: &out)
                out += ", "
            }
            a.expr.write(to: &out)
            out += ")"
        case .binary(let b):
            b.lhs.write(to: &out)
            out += " " + b.op.rawValue
            if b.returnBool { out += " bool" }
            if let m = b.matching, m.on || !m.matchingLabels.isEmpty
                || m.cardinality == .manyToOne || m.cardinality == .oneToMany {
                out += (m.on ? " on (" : " ignoring (") + joinLabels(m.matchingLabels) + ")"
                if m.cardinality == .manyToOne || m.cardinality == .oneToMany {
                    out += (m.cardinality == .manyToOne ? " group_left (" : " group_right (") + joinLabels(m.include) + ")"
                }
            }
            out += " "
            b.rhs.write(to: &out)
        case .unary(let u):
            out += u.op.rawValue
            u.expr.write(to: &out)
        case .paren(let p):
            out += "("
            p.expr.write(to: &out)
            out += ")"
        case .stepInvariant(let s):
            s.expr.write(to: &out)
        }
    }
}

private func writeSelector(_ vs: VectorSelector, to out: inout String) {
    var rest: [LabelMatcher] = []
    rest.reserveCapacity(vs.matchers.count)
    var skippedName = false
    for m in vs.matchers {
        if !skippedName, let name = vs.name, !name.isEmpty, m.name == Labels.metricName, m.type == .equal,
           m.value == name {
            skippedName = true
            continue
        }
        rest.append(m)
    }
    var parts = rest.map(formatMatcher)
    if let name = vs.name, skippedName {
        if isLegacyMetricName(name) {
            out += name
        } else {
            parts.insert(goQuote(name), at: 0)
        }
    }
    if !parts.isEmpty || vs.name == nil || !skippedName {
        out += "{" + parts.joined(separator: ", ") + "}"
    }
}

private func writeModifiers(at: AtModifier?, offset: Int64, to out: inout String) {
    switch at {
    case .timestamp(let ms): out += " @ " + formatMillisAsSeconds(ms)
    case .start: out += " @ start()"
    case .end: out += " @ end()"
    case nil: break
    }
    if offset > 0 {
        out += " offset " + PrometheusDuration(milliseconds: offset).description
    } else if offset < 0 {
        out += " offset -" + PrometheusDuration(milliseconds: -offset).description
    }
}

private func formatMatcher(_ m: LabelMatcher) -> String {
    let name = isLegacyLabelName(Array(m.name.utf8)[...]) ? m.name : goQuote(m.name)
    return name + m.type.rawValue + goQuote(m.value)
}

private func joinLabels(_ labels: [String]) -> String {
    labels.map { isLegacyLabelName(Array($0.utf8)[...]) ? $0 : goQuote($0) }.joined(separator: ", ")
}

func isLegacyMetricName(_ name: String) -> Bool {
    guard let first = name.utf8.first, isAlpha(first) || first == UInt8(ascii: ":") else { return false }
    return name.utf8.allSatisfy { isAlphaNumeric($0) || $0 == UInt8(ascii: ":") }
}

/// `%.3f` of milliseconds as seconds.
private func formatMillisAsSeconds(_ ms: Int64) -> String {
    let sign = ms < 0 ? "-" : ""
    let magnitude = ms.magnitude
    var frac = String(magnitude % 1000)
    while frac.count < 3 { frac = "0" + frac }
    return "\(sign)\(magnitude / 1000).\(frac)"
}

/// Shortest text that parses back to the same value.
func formatNumber(_ value: Double) -> String {
    if value.isNaN { return "NaN" }
    if value.isInfinite { return value > 0 ? "Inf" : "-Inf" }
    if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
    return "\(value)"
}
