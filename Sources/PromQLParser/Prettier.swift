/// Prometheus' query prettifier (`parser.Prettify`, what `/api/v1/format_query` answers): an
/// expression whose canonical text fits in 100 bytes stays on one line; a longer one is split
/// at its top node — aggregation and call arguments, parenthesised bodies, both sides of a
/// binary operator — each child indented two spaces per level and split again if still long.
extension Expr {
    /// Lines longer than this (in UTF-8 bytes) are split.
    static let maxCharactersPerLine = 100

    package var prettyDescription: String { pretty(level: 0) }

    func pretty(level: Int) -> String {
        let indent = String(repeating: "  ", count: level)
        let text = description
        let fits = text.utf8.count <= Self.maxCharactersPerLine
        switch self {
        case .aggregate(let a) where !fits:
            var out = indent + a.head + "(\n"
            if let parameter = a.parameter { out += parameter.pretty(level: level + 1) + ",\n" }
            return out + a.expr.pretty(level: level + 1) + "\n" + indent + ")"
        case .binary(let b) where !fits:
            return b.lhs.pretty(level: level + 1) + "\n" + indent + b.op.rawValue + (b.returnBool ? " bool" : "")
                + b.matchingText + "\n" + b.rhs.pretty(level: level + 1)
        case .call(let c) where !fits:
            let args = c.args.map { $0.pretty(level: level + 1) }.joined(separator: ",\n")
            return indent + c.function.name + "(\n" + args + "\n" + indent + ")"
        case .paren(let p) where !fits:
            return indent + "(\n" + p.expr.pretty(level: level + 1) + "\n" + indent + ")"
        case .subquery(let sq):
            // As Prometheus: a subquery that fits is written without its indent.
            return fits ? text : sq.expr.pretty(level: level) + sq.timeSuffix
        case .unary(let u):
            return indent + u.op.rawValue + u.expr.pretty(level: level).trimmingSpacesAndNewlines()
        case .stepInvariant(let s):
            return s.expr.pretty(level: level)
        default:
            return indent + text
        }
    }
}

extension String {
    fileprivate func trimmingSpacesAndNewlines() -> String {
        var slice = Substring(self)
        while let first = slice.first, first.isWhitespace { slice = slice.dropFirst() }
        while let last = slice.last, last.isWhitespace { slice = slice.dropLast() }
        return String(slice)
    }
}
