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
        case .number(let n): out += GoFloat.format(n.value, .f)
        case .string(let s): out += goQuote(s.value)
        case .vectorSelector(let vs):
            writeSelector(vs, to: &out)
            writeModifiers(at: vs.at, offset: nil, offsetExpr: nil, to: &out)
            if vs.anchored { out += " anchored" }
            if vs.smoothed { out += " smoothed" }
            writeModifiers(at: nil, offset: vs.offset, offsetExpr: vs.offsetExpr, to: &out)
        case .matrixSelector(let ms):
            writeSelector(ms.vectorSelector, to: &out)
            out += "[" + (ms.rangeExpr?.description ?? PrometheusDuration(milliseconds: ms.range).description) + "]"
            if ms.vectorSelector.anchored { out += " anchored" }
            if ms.vectorSelector.smoothed { out += " smoothed" }
            writeModifiers(at: ms.vectorSelector.at, offset: ms.vectorSelector.offset,
                           offsetExpr: ms.vectorSelector.offsetExpr, to: &out)
        case .subquery(let sq):
            sq.expr.write(to: &out)
            out += sq.timeSuffix
        case .call(let c):
            out += c.function.name + "("
            for (i, arg) in c.args.enumerated() {
                if i > 0 { out += ", " }
                arg.write(to: &out)
            }
            out += ")"
        case .aggregate(let a):
            out += a.head + "("
            if let p = a.parameter {
                p.write(to: &out)
                out += ", "
            }
            a.expr.write(to: &out)
            out += ")"
        case .binary(let b):
            b.lhs.write(to: &out)
            out += " " + b.op.rawValue + (b.returnBool ? " bool" : "") + b.matchingText + " "
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

extension AggregateExpr {
    /// The operator and its grouping, as printed before the parenthesis: `sum by (job) `.
    var head: String {
        if without { return op.rawValue + " without (" + joinLabels(grouping) + ") " }
        if !grouping.isEmpty { return op.rawValue + " by (" + joinLabels(grouping) + ") " }
        return op.rawValue
    }
}

extension BinaryExpr {
    /// The vector-matching clauses after the operator: ` on (a) group_left (b) fill (0)`.
    var matchingText: String {
        guard let m = matching else { return "" }
        var out = ""
        if m.on || !m.matchingLabels.isEmpty || m.cardinality == .manyToOne || m.cardinality == .oneToMany {
            out += (m.on ? " on (" : " ignoring (") + joinLabels(m.matchingLabels) + ")"
            if m.cardinality == .manyToOne || m.cardinality == .oneToMany {
                out += (m.cardinality == .manyToOne ? " group_left (" : " group_right (") + joinLabels(m.include) + ")"
            }
        }
        if let l = m.fillLeft, let r = m.fillRight, l == r || (l.isNaN && r.isNaN) {
            out += " fill (" + GoFloat.format(l) + ")"
        } else {
            if let l = m.fillLeft { out += " fill_left (" + GoFloat.format(l) + ")" }
            if let r = m.fillRight { out += " fill_right (" + GoFloat.format(r) + ")" }
        }
        return out
    }
}

extension SubqueryExpr {
    /// `[range:step]` and the modifiers: `[5m:1m] @ 100.000 offset 1m`.
    var timeSuffix: String {
        var out = "[" + (rangeExpr?.description ?? PrometheusDuration(milliseconds: range).description) + ":"
        if let stepExpr {
            out += stepExpr.description
        } else if step != 0 {
            out += PrometheusDuration(milliseconds: step).description
        }
        out += "]"
        writeModifiers(at: at, offset: offset, offsetExpr: offsetExpr, to: &out)
        return out
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
    var parts = rest.map(formatMatcher).sorted()
    if let name = vs.name, skippedName {
        if isLegacyMetricName(name) {
            out += name
        } else {
            parts.insert(goQuote(name), at: 0)
        }
    }
    if !parts.isEmpty || vs.name == nil || !skippedName {
        out += "{" + parts.joined(separator: ",") + "}"
    }
}

private func writeModifiers(at: AtModifier?, offset: Int64?, offsetExpr: DurationExpr?, to out: inout String) {
    switch at {
    case .timestamp(let ms): out += " @ " + formatMillisAsSeconds(ms)
    case .start: out += " @ start()"
    case .end: out += " @ end()"
    case nil: break
    }
    if let offsetExpr {
        out += " offset " + offsetExpr.description
    } else if let offset, offset > 0 {
        out += " offset " + PrometheusDuration(milliseconds: offset).description
    } else if let offset, offset < 0 {
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

extension DurationExpr: CustomStringConvertible {
    /// PromQL text for the expression; whole-millisecond positive values print as durations.
    package var description: String {
        switch self {
        case .seconds(let v):
            let ms = v * 1000
            if v > 0, ms == ms.rounded(), ms < 9e15 { return PrometheusDuration(milliseconds: Int64(ms)).description }
            return GoFloat.format(v, .f)
        case .step: return "step()"
        case .range: return "range()"
        case .negate(let e): return "-" + e.description
        case .paren(let e): return "(" + e.description + ")"
        case .min(let a, let b): return "min(" + a.description + ", " + b.description + ")"
        case .max(let a, let b): return "max(" + a.description + ", " + b.description + ")"
        case .binary(let op, let a, let b): return a.description + " " + op.rawValue + " " + b.description
        }
    }
}
