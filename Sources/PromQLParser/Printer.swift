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
            out += "[" + (sq.rangeExpr?.description ?? PrometheusDuration(milliseconds: sq.range).description) + ":"
            if let stepExpr = sq.stepExpr {
                out += stepExpr.description
            } else if sq.step != 0 {
                out += PrometheusDuration(milliseconds: sq.step).description
            }
            out += "]"
            writeModifiers(at: sq.at, offset: sq.offset, offsetExpr: sq.offsetExpr, to: &out)
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
            if let m = b.matching {
                if let l = m.fillLeft, let r = m.fillRight, l == r || (l.isNaN && r.isNaN) {
                    out += " fill (" + formatGoG(l) + ")"
                } else {
                    if let l = m.fillLeft { out += " fill_left (" + formatGoG(l) + ")" }
                    if let r = m.fillRight { out += " fill_right (" + formatGoG(r) + ")" }
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

/// Go's `strconv.FormatFloat(v, 'f', -1, 64)`: shortest round-trip digits, never an exponent.
func formatNumber(_ value: Double) -> String {
    if value.isNaN { return "NaN" }
    if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
    let (negative, digits, exponent) = shortestDigits(value)
    var out = negative ? "-" : ""
    if exponent <= 0 {
        out += "0." + String(repeating: "0", count: -exponent) + digits
    } else if exponent >= digits.count {
        out += digits + String(repeating: "0", count: exponent - digits.count)
    } else {
        let split = digits.index(digits.startIndex, offsetBy: exponent)
        out += digits[..<split] + "." + digits[split...]
    }
    return out
}

/// Go's `%v` of a float64 (`%g` with shortest digits): `0`, `1.5`, `1e+06`, `1e-05`, `+Inf`.
func formatGoG(_ value: Double) -> String {
    if value.isNaN { return "NaN" }
    if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
    let (negative, digits, exponent) = shortestDigits(value)
    let x = exponent - 1
    if x < -4 || x >= 6 {
        var mantissa = String(digits.prefix(1))
        if digits.count > 1 { mantissa += "." + digits.dropFirst() }
        let e = abs(x) < 10 ? "0\(abs(x))" : "\(abs(x))"
        return (negative ? "-" : "") + mantissa + "e" + (x < 0 ? "-" : "+") + e
    }
    return formatNumber(value)
}

/// Shortest round-trip decimal digits of `value` and the decimal exponent: value = 0.digits × 10^exponent.
private func shortestDigits(_ value: Double) -> (negative: Bool, digits: String, exponent: Int) {
    if value == 0 { return (value.sign == .minus, "0", 1) }
    let text = "\(abs(value))"  // Swift prints the shortest round-trip form, e.g. 1e-07, 0.25, 1000000.0
    var mantissa = Substring(text)
    var exp = 0
    if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
        mantissa = text[..<e]
        exp = Int(text[text.index(after: e)...]) ?? 0
    }
    let parts = mantissa.split(separator: ".", omittingEmptySubsequences: false)
    let intPart = String(parts[0])
    let fracPart = parts.count > 1 ? String(parts[1]) : ""
    var digits = intPart + fracPart
    var pointPosition = intPart.count + exp
    while digits.hasPrefix("0") && digits.count > 1 {
        digits.removeFirst()
        pointPosition -= 1
    }
    while digits.hasSuffix("0") && digits.count > 1 { digits.removeLast() }
    return (value < 0, digits, pointPosition)
}

extension DurationExpr: CustomStringConvertible {
    /// PromQL text for the expression; whole-millisecond positive values print as durations.
    package var description: String {
        switch self {
        case .seconds(let v):
            let ms = v * 1000
            if v > 0, ms == ms.rounded(), ms < 9e15 { return PrometheusDuration(milliseconds: Int64(ms)).description }
            return formatNumber(v)
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
