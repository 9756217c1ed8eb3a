import Foundation

/// Go's predefined template functions, with Go's error texts.
enum Builtins {
    static let functions: [String: TemplateFunction] = {
        var f: [String: TemplateFunction] = [:]
        func add(_ name: String, _ arity: Int, variadic: Bool = false, strings: Set<Int> = [],
                 _ body: @escaping @Sendable ([TemplateValue]) throws -> TemplateValue) {
            f[name] = TemplateFunction(name, arity: arity, variadic: variadic, strings: strings) { args, _ in try body(args) }
        }
        // and/or are evaluated lazily by the executor; these bodies are for `call`.
        add("and", 1, variadic: true) { args in args.first { !$0.isTrue } ?? args.last! }
        add("or", 1, variadic: true) { args in args.first { $0.isTrue } ?? args.last! }
        add("not", 1) { .bool(!$0[0].isTrue) }
        add("len", 1) { .int(try length($0[0])) }
        add("index", 1, variadic: true) { try index($0[0], Array($0.dropFirst())) }
        add("slice", 1, variadic: true) { try slice($0[0], Array($0.dropFirst())) }
        add("print", 0, variadic: true) { .string(GoFormat.sprint($0)) }
        add("println", 0, variadic: true) { .string(GoFormat.sprintln($0)) }
        add("printf", 1, variadic: true, strings: [0]) { args in
            .string(GoFormat.sprintf(try string(args, 0), Array(args.dropFirst())))
        }
        add("eq", 1, variadic: true) { .bool(try equal($0[0], Array($0.dropFirst()))) }
        add("ne", 2) { .bool(!(try equal($0[0], [$0[1]]))) }
        add("lt", 2) { .bool(try less($0[0], $0[1])) }
        add("le", 2) { args in .bool(try less(args[0], args[1]) || equal(args[0], [args[1]])) }
        add("gt", 2) { args in .bool(!(try less(args[0], args[1]) || equal(args[0], [args[1]]))) }
        add("ge", 2) { .bool(!(try less($0[0], $0[1]))) }
        add("html", 0, variadic: true) { .string(htmlEscape(joinedArgs($0))) }
        add("js", 0, variadic: true) { .string(jsEscape(joinedArgs($0))) }
        add("urlquery", 0, variadic: true) { .string(queryEscape(joinedArgs($0))) }
        f["call"] = TemplateFunction("call", arity: 1, variadic: true) { args, context in
            guard case .function(let fn) = args[0] else {
                if case .nil = args[0] { throw TemplateError.function("call of nil") }
                throw TemplateError.function("non-function of type \(args[0].typeName)")
            }
            let rest = Array(args.dropFirst())
            if rest.count < fn.arity || (!fn.variadic && rest.count != fn.arity) {
                throw TemplateError.function("wrong number of args for \(fn.name): got \(rest.count) want \(fn.arity)")
            }
            return try await fn.body(rest, context)
        }
        return f
    }()

    static func string(_ v: TemplateValue) throws(TemplateError) -> String {
        guard case .string(let s) = v else { throw .wrongType(expected: "string", got: v) }
        return s
    }

    /// Argument `i` as a string, or Go's argument-type error naming that argument.
    static func string(_ args: [TemplateValue], _ i: Int) throws(TemplateError) -> String {
        guard case .string(let s) = args[i] else { throw .wrongType(expected: "string", got: args[i], argument: i) }
        return s
    }

    /// Go's `evalArgs`: a lone string as is, anything else through `fmt.Sprint`.
    static func joinedArgs(_ args: [TemplateValue]) -> String {
        if args.count == 1, case .string(let s) = args[0] { return s }
        // Go's printableValue turns a missing value into "<no value>" before fmt.Sprint.
        return GoFormat.sprint(args.map { if case .nil = $0 { return .string("<no value>") } else { return $0 } })
    }

    static func length(_ v: TemplateValue) throws(TemplateError) -> Int {
        switch v {
        case .string(let s): return s.utf8.count
        case .list(let l, _): return l.count
        case .map(let m): return m.count
        case .nil: throw .function("len of nil pointer")
        default: throw .function("len of type \(v.typeName)")
        }
    }

    private static func indexArg(_ v: TemplateValue, cap: Int) throws(TemplateError) -> Int {
        switch v {
        case .int(let i):
            if i < 0 || i >= cap { throw .function("index out of range: \(i)") }
            return i
        case .nil: throw .function("cannot index slice/array with nil")
        default: throw .function("cannot index slice/array with type \(v.typeName)")
        }
    }

    static func index(_ item: TemplateValue, _ indexes: [TemplateValue]) throws(TemplateError) -> TemplateValue {
        var item = item
        if case .nil = item { throw .function("index of untyped nil") }
        for i in indexes {
            switch item {
            case .list(let l, _):
                item = l[try indexArg(i, cap: l.count)]
            case .string(let s):
                let bytes = Array(s.utf8)
                item = .int(Int(bytes[try indexArg(i, cap: bytes.count)]))
            case .map(let m):
                guard case .string(let key) = i else {
                    if case .nil = i { throw .function("value is nil; should be of type string") }
                    throw .function("value has type \(i.typeName); should be string")
                }
                item = m.entries[key] ?? m.zero
            case .nil:
                throw .function("index of nil pointer")
            default:
                throw .function("can't index item of type \(item.typeName)")
            }
        }
        return item
    }

    static func slice(_ item: TemplateValue, _ indexes: [TemplateValue]) throws(TemplateError) -> TemplateValue {
        if case .nil = item { throw .function("slice of untyped nil") }
        if indexes.count > 3 { throw .function("too many slice indexes: \(indexes.count)") }
        let count: Int
        switch item {
        case .list(let l, _): count = l.count
        case .string(let s):
            if indexes.count == 3 { throw .function("cannot 3-index slice a string") }
            count = s.utf8.count
        default: throw .function("can't slice item of type \(item.typeName)")
        }
        var idx = [0, count]
        for (n, v) in indexes.enumerated() {
            guard case .int(let i) = v else { throw .function("cannot index slice/array with type \(v.typeName)") }
            if i < 0 || i > count { throw .function("index out of range: \(i)") }
            if n < 2 { idx[n] = i }
        }
        if idx[0] > idx[1] { throw .function("invalid slice index: \(idx[0]) > \(idx[1])") }
        switch item {
        case .list(let l, let m): return .list(Array(l[idx[0]..<idx[1]]), methods: m)
        case .string(let s): return .string(String(decoding: Array(s.utf8)[idx[0]..<idx[1]], as: UTF8.self))
        default: return item
        }
    }

    private enum Kind { case bool, int, float, string, other, invalid }

    private static func kind(_ v: TemplateValue) -> Kind {
        switch v {
        case .bool: .bool
        case .int, .duration: .int
        case .float: .float
        case .string: .string
        case .nil: .invalid
        default: .other
        }
    }

    static func equal(_ a: TemplateValue, _ others: [TemplateValue]) throws(TemplateError) -> Bool {
        if others.isEmpty { throw .function("missing argument for comparison") }
        let k1 = kind(a)
        for b in others {
            let k2 = kind(b)
            var truth = false
            if k1 != k2 {
                if k1 != .invalid && k2 != .invalid { throw .function("incompatible types for comparison") }
            } else {
                switch (a, b) {
                case (.bool(let x), .bool(let y)): truth = x == y
                case (.int(let x), .int(let y)): truth = x == y
                case (.duration(let x), .duration(let y)): truth = x == y
                case (.int, .duration), (.duration, .int): throw .function("incompatible types for comparison")
                case (.float(let x), .float(let y)): truth = x == y
                case (.string(let x), .string(let y)): truth = x == y
                case (.nil, .nil): truth = true
                case (.time(let x), .time(let y)): truth = x == y
                case (.list, _), (.map, _), (_, .list), (_, .map):
                    // Go names the argument being compared, not the first one.
                    throw .function(GoFormat.sprintf("non-comparable type %s: %v", [b, .string(b.typeName)]))
                default:
                    throw .function(GoFormat.sprintf("non-comparable types %s: %v, %s: %v",
                                                     [a, .string(a.typeName), .string(b.typeName), b]))
                }
            }
            if truth { return true }
        }
        return false
    }

    static func less(_ a: TemplateValue, _ b: TemplateValue) throws(TemplateError) -> Bool {
        let k1 = kind(a), k2 = kind(b)
        for k in [k1, k2] where k == .other || k == .invalid {
            throw .function("invalid type for comparison")
        }
        if k1 != k2 { throw .function("incompatible types for comparison") }
        if k1 == .bool { throw .function("invalid type for comparison") }
        switch (a, b) {
        case (.int(let x), .int(let y)): return x < y
        case (.duration(let x), .duration(let y)): return x < y
        case (.float(let x), .float(let y)): return x < y
        case (.string(let x), .string(let y)): return x.utf8.lexicographicallyPrecedes(y.utf8)
        default: throw .function("incompatible types for comparison")
        }
    }

    /// Go's `template.HTMLEscapeString`.
    static func htmlEscape(_ s: String) -> String {
        var out = ""
        for c in s.unicodeScalars {
            switch c {
            case "\"": out += "&#34;"
            case "'": out += "&#39;"
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\0": out += "\u{FFFD}"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    /// Go's `template.JSEscapeString`.
    static func jsEscape(_ s: String) -> String {
        var out = ""
        for c in s.unicodeScalars {
            switch c {
            case "\\": out += "\\\\"
            case "'": out += "\\'"
            case "\"": out += "\\\""
            case "<": out += "\\u003C"
            case ">": out += "\\u003E"
            case "&": out += "\\u0026"
            case "=": out += "\\u003D"
            default:
                if c.value < 0x20 {
                    out += String(format: "\\u00%02X", c.value)
                } else if c.value >= 0x80, !(c.properties.isAlphabetic || c.properties.isMath || c.properties.generalCategory.isPrintable) {
                    out += String(format: "\\u%04X", c.value)
                } else {
                    out.unicodeScalars.append(c)
                }
            }
        }
        return out
    }

    /// Go's `url.QueryEscape`.
    static func queryEscape(_ s: String) -> String {
        escape(s, spaceAsPlus: true, keep: [])
    }

    /// Go's `url.PathEscape`.
    static func pathEscape(_ s: String) -> String {
        escape(s, spaceAsPlus: false, keep: Set("$&+,:;=@".utf8))
    }

    private static func escape(_ s: String, spaceAsPlus: Bool, keep: Set<UInt8>) -> String {
        var out = ""
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(b))
            case UInt8(ascii: " ") where spaceAsPlus:
                out += "+"
            default:
                if keep.contains(b) {
                    out.unicodeScalars.append(Unicode.Scalar(b))
                } else {
                    out += String(format: "%%%02X", b)
                }
            }
        }
        return out
    }
}

extension Unicode.GeneralCategory {
    var isPrintable: Bool {
        switch self {
        case .control, .format, .surrogate, .privateUse, .unassigned, .lineSeparator, .paragraphSeparator: false
        default: true
        }
    }
}
