import Foundation
import PharosCore

/// What Alertmanager's template functions need from their surroundings.
package struct AlertmanagerTemplateContext: Sendable {
    /// The current time, for `since` (inject a fixed clock in tests).
    package var now: @Sendable () -> TemplateTime
    package var regex: any TemplateRegex.Type

    package init(now: @escaping @Sendable () -> TemplateTime = { TemplateTime(Date()) },
                 regex: any TemplateRegex.Type = FoundationTemplateRegex.self) {
        self.now = now
        self.regex = regex
    }
}

/// Alertmanager's `DefaultFuncs` (`template/template.go`, 0.27/0.28).
package enum AlertmanagerFunctions {
    /// The function map to add to a `TemplateSet` (Go's builtins are already there).
    package static func functions(_ context: AlertmanagerTemplateContext = AlertmanagerTemplateContext()) -> [String: TemplateFunction] {
        var f: [String: TemplateFunction] = [:]
        func add(_ name: String, _ arity: Int, variadic: Bool = false, strings: Set<Int> = [],
                 variadicStrings: Bool = false, _ body: @escaping @Sendable ([TemplateValue]) throws -> TemplateValue) {
            f[name] = TemplateFunction(name, arity: arity, variadic: variadic, strings: strings,
                                       variadicStrings: variadicStrings) { args, _ in try body(args) }
        }
        add("toUpper", 1, strings: [0]) { .string(try Builtins.string($0, 0).uppercased()) }
        add("toLower", 1, strings: [0]) { .string(try Builtins.string($0, 0).lowercased()) }
        add("title", 1, strings: [0]) { .string(TextCase.title(try Builtins.string($0, 0), lowerRest: true)) }
        add("trimSpace", 1, strings: [0]) { .string(try Builtins.string($0, 0).trimmingCharacters(in: .whitespacesAndNewlines)) }
        add("join", 2, strings: [0]) { args in
            let sep = try Builtins.string(args, 0)
            guard case .list(let items, _) = args[1] else { throw TemplateError.wrongType(expected: "[]string", got: args[1]) }
            var parts: [String] = []
            for item in items {
                guard case .string(let s) = item else { throw TemplateError.wrongType(expected: "[]string", got: args[1]) }
                parts.append(s)
            }
            return .string(parts.joined(separator: sep))
        }
        add("match", 2, strings: [0, 1]) { args in
            let re = try context.regex.init(templatePattern: try Builtins.string(args, 0))
            return .bool(re.matches(try Builtins.string(args, 1)))
        }
        add("safeHtml", 1, strings: [0]) { .object(SafeHTML(try Builtins.string($0, 0))) }
        add("safeUrl", 1, strings: [0]) { .string(try Builtins.string($0, 0)) }
        add("urlUnescape", 1, strings: [0]) { args in
            let s = try Builtins.string(args, 0)
            guard let decoded = queryUnescape(s) else {
                throw TemplateError.function("invalid URL escape \(goQuote(badEscape(s)))")
            }
            return .string(decoded)
        }
        add("reReplaceAll", 3, strings: [0, 1, 2]) { args in
            let pattern = try Builtins.string(args, 0), repl = try Builtins.string(args, 1), text = try Builtins.string(args, 2)
            let re: any TemplateRegex
            do { re = try context.regex.init(templatePattern: pattern) } catch {
                throw TemplateError.function("regexp: Compile(\(goBackquote(pattern))): \((error as? TemplateError)?.message ?? "\(error)")")
            }
            return .string(re.replacingAll(in: text, with: repl))
        }
        add("stringSlice", 0, variadic: true, variadicStrings: true) { args in
            var out: [TemplateValue] = []
            for a in args { out.append(.string(try Builtins.string(a))) }
            return .list(out, methods: StringSliceType())
        }
        add("date", 2, strings: [0]) { args in
            let layout = try Builtins.string(args, 0)
            guard case .time(let t) = args[1] else { throw TemplateError.wrongType(expected: "time.Time", got: args[1]) }
            return .string(GoTime.format(t, layout: layout))
        }
        add("tz", 2, strings: [0]) { args in
            let name = try Builtins.string(args, 0)
            guard case .time(let t) = args[1] else { throw TemplateError.wrongType(expected: "time.Time", got: args[1]) }
            let zone: TimeZone? = name == "" || name == "UTC" ? TemplateTime.utc : (name == "Local" ? .current : TimeZone(identifier: name))
            guard let zone else { throw TemplateError.function("unknown time zone \(name)") }
            var copy = t
            copy.zone = zone
            return .time(copy)
        }
        add("since", 1) { args in
            guard case .time(let t) = args[0] else { throw TemplateError.wrongType(expected: "time.Time", got: args[0]) }
            return .duration(context.now().nanos(since: t))
        }
        add("humanizeDuration", 1) { .string(Humanize.duration(try Humanize.toFloat($0[0]))) }
        return f
    }

    /// A template set with Alertmanager's functions and `missingkey=zero`, as `template.New`.
    package static func makeSet(_ context: AlertmanagerTemplateContext = AlertmanagerTemplateContext()) -> TemplateSet {
        TemplateSet(functions: functions(context), options: TemplateOptions(missingKey: .zero))
    }

    /// Go's `url.QueryUnescape`; nil on a malformed escape.
    static func queryUnescape(_ s: String) -> String? {
        var bytes: [UInt8] = []
        let u = Array(s.utf8)
        var i = 0
        while i < u.count {
            switch u[i] {
            case UInt8(ascii: "%"):
                guard i + 2 < u.count, let v = UInt8(String(decoding: u[(i + 1)...(i + 2)], as: UTF8.self), radix: 16) else { return nil }
                bytes.append(v)
                i += 3
            case UInt8(ascii: "+"):
                bytes.append(UInt8(ascii: " "))
                i += 1
            default:
                bytes.append(u[i])
                i += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func badEscape(_ s: String) -> String {
        guard let r = s.range(of: "%") else { return s }
        var rest = s[r.lowerBound...]
        while let pr = rest.range(of: "%") {
            let candidate = rest[pr.lowerBound...].prefix(3)
            if candidate.count < 3 || UInt8(String(candidate.dropFirst()), radix: 16) == nil { return String(candidate) }
            rest = rest[rest.index(pr.lowerBound, offsetBy: 3)...]
        }
        return String(rest.prefix(3))
    }
}
