import Foundation
import PharosCore

/// Go's `fmt` for template values: `Sprint`, `Sprintln`, `Sprintf` and what an action prints.
enum GoFormat {
    /// What `{{ x }}` writes: `<no value>` for nil, otherwise `%v`.
    static func printValue(_ value: TemplateValue) -> String {
        if case .nil = value { return "<no value>" }
        return formatV(value)
    }

    /// Go's `%v`.
    static func formatV(_ value: TemplateValue, plus: Bool = false) -> String {
        switch value {
        case .nil: return "<nil>"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return plus && i >= 0 ? "+\(i)" : String(i)
        case .float(let f):
            let s = GoFloat.format(f)
            return plus && !s.hasPrefix("-") && !s.hasPrefix("+") ? "+" + s : s
        case .string(let s): return s
        case .list(let items, let methods):
            if let text = methods?.formatted(value) { return text }
            return "[" + items.map { formatV($0, plus: plus) }.joined(separator: " ") + "]"
        case .map(let m):
            if let text = m.methods?.formatted(value) { return text }
            return "map[" + m.sortedKeys.map { "\($0):\(formatV(m.entries[$0]!, plus: plus))" }.joined(separator: " ") + "]"
        case .time(let t): return GoTime.string(t)
        case .duration(let d): return GoTime.durationString(d)
        case .function(let f): return "func \(f.name)"
        case .object(let o): return o.formatted
        }
    }

    /// Go's `fmt.Sprint`: spaces between operands when neither side is a string.
    static func sprint(_ args: [TemplateValue]) -> String {
        var out = ""
        var previousIsString = false
        for (i, arg) in args.enumerated() {
            let isString: Bool = if case .string = arg { true } else { false }
            if i > 0, !isString, !previousIsString { out += " " }
            out += formatV(arg)
            previousIsString = isString
        }
        return out
    }

    /// Go's `fmt.Sprintln`: always spaces, then a newline.
    static func sprintln(_ args: [TemplateValue]) -> String {
        args.map { formatV($0) }.joined(separator: " ") + "\n"
    }

    private struct Flags {
        var minus = false, plus = false, sharp = false, space = false, zero = false
        var width: Int?
        var precision: Int?
    }

    /// Go's `fmt.Sprintf`, including `%!d(string=x)`, `%!v(MISSING)` and `%!(EXTRA …)`.
    static func sprintf(_ format: String, _ args: [TemplateValue]) -> String {
        let chars = Array(format.unicodeScalars)
        var out = ""
        var argNum = 0
        var reordered = false
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c != "%" {
                out.unicodeScalars.append(c)
                i += 1
                continue
            }
            i += 1
            var flags = Flags()
            flagLoop: while i < chars.count {
                switch chars[i] {
                case "-": flags.minus = true; flags.zero = false
                case "+": flags.plus = true
                case "#": flags.sharp = true
                case " ": flags.space = true
                case "0": flags.zero = !flags.minus
                default: break flagLoop
                }
                i += 1
            }
            func argIndex() {
                guard i < chars.count, chars[i] == "[" else { return }
                var j = i + 1
                var n = 0
                while j < chars.count, let d = chars[j].properties.numericType != nil ? Int(String(chars[j])) : nil { n = n * 10 + d; j += 1 }
                if j < chars.count, chars[j] == "]", n >= 1 {
                    argNum = n - 1
                    reordered = true
                    i = j + 1
                }
            }
            /// Go's `parsenum`; more than 1e6 is refused (`%!(BADWIDTH)`/`%!(BADPREC)`).
            func number() -> (Int?, tooLarge: Bool) {
                var n: Int?
                var tooLarge = false
                while i < chars.count, chars[i].isASCII, let d = Int(String(chars[i])) {
                    n = (n ?? 0) * 10 + d
                    if n! > 1_000_000 { tooLarge = true; n = 0 }
                    i += 1
                }
                return (tooLarge ? nil : n, tooLarge)
            }
            argIndex()
            if i < chars.count, chars[i] == "*" {
                i += 1
                if argNum < args.count, case .int(let w) = args[argNum], abs(w) <= 1_000_000 {
                    flags.width = abs(w)
                    if w < 0 { flags.minus = true; flags.zero = false }
                } else {
                    out += "%!(BADWIDTH)"
                }
                argNum += 1
            } else {
                let (w, tooLarge) = number()
                if tooLarge { out += "%!(BADWIDTH)" }
                flags.width = w
            }
            if i < chars.count, chars[i] == "." {
                i += 1
                argIndex()
                if i < chars.count, chars[i] == "*" {
                    i += 1
                    if argNum < args.count, case .int(let p) = args[argNum], p >= 0, p <= 1_000_000 {
                        flags.precision = p
                    } else {
                        out += "%!(BADPREC)"
                    }
                    argNum += 1
                } else {
                    let (p, tooLarge) = number()
                    if tooLarge { out += "%!(BADPREC)" }
                    flags.precision = p ?? 0
                }
            }
            argIndex()
            guard i < chars.count else {
                out += "%!(NOVERB)"
                break
            }
            let verb = chars[i]
            i += 1
            if verb == "%" {
                out += "%"
                continue
            }
            guard argNum < args.count else {
                out += "%!\(verb)(MISSING)"
                continue
            }
            let arg = args[argNum]
            argNum += 1
            out += formatOne(arg, verb: verb, flags)
        }
        if !reordered, argNum < args.count {
            out += "%!(EXTRA " + args[argNum...].map { arg -> String in
                if case .nil = arg { return "<nil>" }
                return "\(arg.typeName)=\(formatV(arg))"
            }.joined(separator: ", ") + ")"
        }
        return out
    }

    /// Go's `badVerb`: the value is printed with `%v` and the verb's own flags.
    private static func badVerb(_ verb: Unicode.Scalar, _ arg: TemplateValue, _ f: Flags = Flags()) -> String {
        if case .nil = arg { return "%!\(verb)(<nil>)" }
        return "%!\(verb)(\(arg.typeName)=\(formatOne(arg, verb: "v", f)))"
    }

    private static func pad(_ s: String, _ f: Flags, numeric: Bool = false) -> String {
        guard let width = f.width else { return s }
        let count = s.count
        guard count < width else { return s }
        let fill = width - count
        if f.minus { return s + String(repeating: " ", count: fill) }
        if f.zero {
            if numeric, let first = s.first, first == "-" || first == "+" || first == " " {
                return String(first) + String(repeating: "0", count: fill) + s.dropFirst()
            }
            return String(repeating: "0", count: fill) + s
        }
        return String(repeating: " ", count: fill) + s
    }

    private static func formatOne(_ arg: TemplateValue, verb: Unicode.Scalar, _ f: Flags) -> String {
        if verb == "T" {
            if case .nil = arg { return pad("<nil>", f) }
            return pad(arg.typeName, f)
        }
        switch arg {
        case .bool(let b):
            switch verb {
            case "v", "t": return pad(b ? "true" : "false", f)
            default: return badVerb(verb, arg, f)
            }
        case .int(let n):
            return formatInt(n, verb: verb, f) ?? badVerb(verb, arg, f)
        case .duration(let n):
            if verb == "v" || verb == "s" { return pad(GoTime.durationString(n), f) }
            return formatInt(Int(n), verb: verb, f) ?? badVerb(verb, arg, f)
        case .float(let x):
            return formatFloat(x, verb: verb, f) ?? badVerb(verb, arg, f)
        case .string(let s):
            switch verb {
            case "v", "s":
                var t = s
                if let p = f.precision { t = String(t.prefix(p)) }
                return pad(t, f)
            case "q":
                if f.sharp, !s.contains("`"), !s.unicodeScalars.contains(where: { $0.value < 0x20 && $0 != "\t" }) {
                    return pad("`\(s)`", f)
                }
                return pad(goQuote(s), f)
            case "x", "X":
                var hex = s.utf8.map { String(format: verb == "x" ? "%02x" : "%02X", $0) }
                if f.sharp { hex = hex.map { (verb == "x" ? "0x" : "0X") + $0 } }
                return pad(hex.joined(separator: f.space ? " " : ""), f)
            default: return badVerb(verb, arg, f)
            }
        case .nil:
            if verb == "v" { return pad("<nil>", f) }
            return badVerb(verb, arg, f)
        case .list(let items, _):
            if verb == "T" { return arg.typeName }
            return "[" + items.map { formatOne($0, verb: verb, f) }.joined(separator: " ") + "]"
        case .map(let m):
            return "map[" + m.sortedKeys.map { "\(formatOne(.string($0), verb: verb, f)):\(formatOne(m.entries[$0]!, verb: verb, f))" }.joined(separator: " ") + "]"
        case .time, .function, .object:
            if verb == "v" || verb == "s" { return pad(formatV(arg), f) }
            if verb == "q" { return pad(goQuote(formatV(arg)), f) }
            return badVerb(verb, arg, f)
        }
    }

    private static func formatInt(_ n: Int, verb: Unicode.Scalar, _ f: Flags) -> String? {
        var digits: String
        var prefix = ""
        switch verb {
        case "v", "d": digits = String(n.magnitude)
        case "x": digits = String(n.magnitude, radix: 16); if f.sharp { prefix = "0x" }
        case "X": digits = String(n.magnitude, radix: 16, uppercase: true); if f.sharp { prefix = "0X" }
        case "o": digits = String(n.magnitude, radix: 8); if f.sharp { prefix = "0" }
        case "O": digits = String(n.magnitude, radix: 8); prefix = "0o"
        case "b": digits = String(n.magnitude, radix: 2)
        case "c":
            guard let scalar = Unicode.Scalar(UInt32(clamping: n)) else { return pad("\u{FFFD}", f) }
            return pad(String(Character(scalar)), f)
        case "q":
            guard let scalar = Unicode.Scalar(UInt32(clamping: n)) else { return "'\u{FFFD}'" }
            let quoted = goQuote(String(Character(scalar)))
            let inner = quoted.dropFirst().dropLast().replacingOccurrences(of: "\\\"", with: "\"")
            return pad("'" + (inner == "'" ? "\\'" : inner) + "'", f)
        case "U":
            let hex = String(n, radix: 16, uppercase: true)
            return pad("U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex, f)
        case "e", "E", "f", "F", "g", "G", "s", "t":
            return nil
        default: return nil
        }
        if let p = f.precision {
            if p == 0 && n == 0 { digits = "" }
            if digits.count < p { digits = String(repeating: "0", count: p - digits.count) + digits }
        }
        let sign = n < 0 ? "-" : (f.plus ? "+" : (f.space ? " " : ""))
        let body = prefix + digits
        if f.zero, f.precision == nil, let width = f.width, !f.minus {
            let fill = width - sign.count - body.count
            if fill > 0 { return sign + prefix + String(repeating: "0", count: fill) + digits }
        }
        var g = f
        g.zero = false
        return pad(sign + body, g)
    }

    private static func formatFloat(_ x: Double, verb: Unicode.Scalar, _ f: Flags) -> String? {
        let lowerVerb = verb == "E" || verb == "G" || verb == "F" || verb == "X" ? Character(String(verb).lowercased()) : Character(verb)
        guard "efgvx".contains(lowerVerb) else { return nil }
        if x.isNaN || x.isInfinite {
            var s = x.isNaN ? "NaN" : (x < 0 ? "-Inf" : "+Inf")
            if x.isNaN, f.plus { s = "+NaN" } else if x.isNaN, f.space { s = " NaN" }
            if !x.isNaN, x > 0, f.space, !f.plus { s = " Inf" }
            var g = f
            g.zero = false
            return pad(s, g)
        }
        var s: String
        switch lowerVerb {
        case "v", "g":
            if let p = f.precision {
                s = String(format: "%.\(max(p, 1))g", x)
                if s.contains("e") { s = fixExponent(s) }
            } else {
                s = GoFloat.format(x)
            }
        case "e":
            s = fixExponent(String(format: "%.\(f.precision ?? 6)e", x))
        case "x":
            s = hexFloat(x)
            if verb == "X" { s = s.uppercased() }
        default:
            s = String(format: "%.\(f.precision ?? 6)f", x)
        }
        if f.sharp, !s.contains("."), !s.contains("e") { s += "." }
        if verb == "E" || verb == "G" { s = s.uppercased() }
        if !s.hasPrefix("-") {
            if f.plus { s = "+" + s } else if f.space { s = " " + s }
        }
        return pad(s, f, numeric: true)
    }

    /// strconv's shortest `'x'` format: `0x1.8p+00`, `0x0p+00`.
    private static func hexFloat(_ x: Double) -> String {
        let sign = x.sign == .minus ? "-" : ""
        if x == 0 { return sign + "0x0p+00" }
        var exponent = Int(x.exponent)
        var mantissa = x.significandBitPattern
        if x.isSubnormal {
            // Normalise: shift until the implicit bit would be set.
            let shift = mantissa.leadingZeroBitCount - 11
            mantissa = (mantissa << UInt64(shift + 1)) & ((1 << 52) - 1)
            exponent = -1022 - shift - 1
        }
        var digits = String(mantissa, radix: 16)
        digits = String(repeating: "0", count: 13 - digits.count) + digits
        while digits.last == "0" { digits.removeLast() }
        let e = abs(exponent)
        return sign + "0x1" + (digits.isEmpty ? "" : "." + digits) + "p" + (exponent < 0 ? "-" : "+") + (e < 10 ? "0\(e)" : "\(e)")
    }

    /// C prints at least two exponent digits like Go; normalise anything else (`e+100` stays).
    private static func fixExponent(_ s: String) -> String { s }
}
