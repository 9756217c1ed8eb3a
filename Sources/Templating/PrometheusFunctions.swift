import Foundation
import PharosCore

/// One sample of a template `query` result: labels (with `__name__`), value, timestamp (ms).
package struct QueryResultSample: Sendable, Equatable {
    /// The series' labels, `__name__` included.
    package var labels: Labels
    package var value: Double
    /// Milliseconds since the epoch.
    package var timestamp: Int64

    package init(labels: Labels, value: Double, timestamp: Int64 = 0) {
        self.labels = labels
        self.value = value
        self.timestamp = timestamp
    }
}

/// What Prometheus' template functions need from their surroundings.
package struct PrometheusTemplateContext: Sendable {
    /// Runs an instant PromQL query at the expansion's time (the rules manager binds the time).
    package typealias QueryFunction = @Sendable (_ query: String) async throws -> [QueryResultSample]

    /// `nil`: `query` fails with "query is not available here" (e.g. when only validating).
    package var query: QueryFunction?
    /// `--web.external-url`; `externalURL`/`pathPrefix` read it.
    package var externalURL: URL?
    /// The evaluation time in milliseconds (what `now` returns, in seconds).
    package var timestamp: Int64
    /// The regex implementation for `match` and `reReplaceAll`.
    package var regex: any TemplateRegex.Type

    package init(query: QueryFunction? = nil, externalURL: URL? = nil, timestamp: Int64 = 0,
                 regex: any TemplateRegex.Type = FoundationTemplateRegex.self) {
        self.query = query
        self.externalURL = externalURL
        self.timestamp = timestamp
        self.regex = regex
    }
}

/// Prometheus' template functions (`template/template.go`, 3.x).
package enum PrometheusFunctions {
    private struct QueryResultMethods: TemplateMethods {
        var typeName: String { "template.queryResult" }
        func call(_ name: String, on receiver: TemplateValue, _ args: [TemplateValue]) throws(TemplateError) -> TemplateValue? { nil }
    }

    /// A query sample as templates see it: `.Labels` (a string map) and `.Value` (float64).
    package static func sampleValue(_ s: QueryResultSample) -> TemplateValue {
        var labels: [String: String] = [:]
        for l in s.labels { labels[l.name] = l.value }
        return .map(TemplateMap(["Labels": .stringMap(labels), "Value": .float(s.value)], typeName: "*template.sample", isStruct: true))
    }

    static func queryResult(_ items: [TemplateValue]) -> TemplateValue { .list(items, methods: QueryResultMethods()) }

    /// The function map for `context`, to add to a `TemplateSet` (`tmpl` included).
    package static func functions(_ context: PrometheusTemplateContext) -> [String: TemplateFunction] {
        var f: [String: TemplateFunction] = [:]
        func add(_ name: String, _ arity: Int, variadic: Bool = false, strings: Set<Int> = [],
                 variadicStrings: Bool = false, _ body: @escaping @Sendable ([TemplateValue]) throws -> TemplateValue) {
            f[name] = TemplateFunction(name, arity: arity, variadic: variadic, strings: strings,
                                       variadicStrings: variadicStrings) { args, _ in try body(args) }
        }
        f["query"] = TemplateFunction("query", arity: 1, strings: [0]) { args, _ in
            let q = try Builtins.string(args, 0)
            guard let query = context.query else { throw TemplateError.function("query is not available here") }
            return queryResult(try await query(q).map(sampleValue))
        }
        add("first", 1) { args in
            guard case .list(let items, _) = args[0] else { throw TemplateError.wrongType(expected: "template.queryResult", got: args[0]) }
            guard let first = items.first else { throw TemplateError.function("first() called on vector with no elements") }
            return first
        }
        add("label", 2, strings: [0]) { args in
            let name = try Builtins.string(args, 0)
            return .string(try labels(of: args[1])[name] ?? "")
        }
        add("value", 1) { args in
            guard case .map(let m) = args[0], let v = m["Value"] else { throw TemplateError.wrongType(expected: "*template.sample", got: args[0]) }
            return v
        }
        add("strvalue", 1) { args in .string(try labels(of: args[0])["__value__"] ?? "") }
        add("args", 0, variadic: true) { args in
            var m: [String: TemplateValue] = [:]
            for (i, a) in args.enumerated() { m["arg\(i)"] = a }
            return .map(TemplateMap(m))
        }
        add("reReplaceAll", 3, strings: [0, 1, 2]) { args in
            let pattern = try Builtins.string(args, 0), repl = try Builtins.string(args, 1), text = try Builtins.string(args, 2)
            let re: any TemplateRegex
            do { re = try context.regex.init(templatePattern: pattern) } catch {
                throw TemplateError.function("regexp: Compile(\(goBackquote(pattern))): \((error as? TemplateError)?.message ?? "\(error)")")
            }
            return .string(re.replacingAll(in: text, with: repl))
        }
        add("match", 2, strings: [0, 1]) { args in
            let re = try context.regex.init(templatePattern: try Builtins.string(args, 0))
            return .bool(re.matches(try Builtins.string(args, 1)))
        }
        add("safeHtml", 1, strings: [0]) { args in .object(SafeHTML(try Builtins.string(args, 0))) }
        add("title", 1, strings: [0]) { args in .string(TextCase.title(try Builtins.string(args, 0), lowerRest: false)) }
        add("toUpper", 1, strings: [0]) { args in .string(try Builtins.string(args, 0).uppercased()) }
        add("toLower", 1, strings: [0]) { args in .string(try Builtins.string(args, 0).lowercased()) }
        add("graphLink", 1, strings: [0]) { args in .string("/graph?g0.expr=\(Builtins.queryEscape(try Builtins.string(args, 0)))&g0.tab=0") }
        add("tableLink", 1, strings: [0]) { args in .string("/graph?g0.expr=\(Builtins.queryEscape(try Builtins.string(args, 0)))&g0.tab=1") }
        add("sortByLabel", 2, strings: [0]) { args in
            let name = try Builtins.string(args, 0)
            guard case .list(let items, let methods) = args[1] else { throw TemplateError.wrongType(expected: "template.queryResult", got: args[1]) }
            var keyed: [(String, TemplateValue)] = []
            for item in items { keyed.append(((try? labels(of: item)[name]) ?? "", item)) }
            // Stable: Swift's sort is stable.
            keyed.sort { $0.0.utf8.lexicographicallyPrecedes($1.0.utf8) }
            return .list(keyed.map(\.1), methods: methods)
        }
        add("stripPort", 1, strings: [0]) { args in
            let hostPort = try Builtins.string(args, 0)
            guard let (host, _) = HostPort.split(hostPort) else { return .string(hostPort) }
            return .string(host)
        }
        add("stripDomain", 1, strings: [0]) { args in
            let hostPort = try Builtins.string(args, 0)
            var host = hostPort
            var port = ""
            if let (h, p) = HostPort.split(hostPort) { host = h; port = p }
            if HostPort.isIP(host) { return .string(hostPort) }
            host = String(host.split(separator: ".", omittingEmptySubsequences: false).first ?? "")
            return .string(port.isEmpty ? host : HostPort.join(host, port))
        }
        add("humanize", 1) { args in .string(Humanize.humanize(try Humanize.toFloat(args[0]))) }
        add("humanize1024", 1) { args in .string(Humanize.humanize1024(try Humanize.toFloat(args[0]))) }
        add("humanizeDuration", 1) { args in .string(Humanize.duration(try Humanize.toFloat(args[0]))) }
        add("humanizePercentage", 1) { args in .string(GoFormat.sprintf("%.4g%%", [.float(try Humanize.toFloat(args[0]) * 100)])) }
        add("humanizeTimestamp", 1) { args in
            let v = try Humanize.toFloat(args[0])
            if v.isNaN || v.isInfinite { return .string(GoFormat.sprintf("%.4g", [.float(v)])) }
            return .string(GoTime.string(try Humanize.floatToTime(v)))
        }
        add("toTime", 1) { args in
            let v = try Humanize.toFloat(args[0])
            if v.isNaN || v.isInfinite { throw TemplateError.function("value is NaN or Inf") }
            return .time(try Humanize.floatToTime(v))
        }
        add("toDuration", 1) { args in
            let v = try Humanize.toFloat(args[0])
            if v.isNaN || v.isInfinite { throw TemplateError.function("value is NaN or Inf") }
            let ns = v * 1e9
            if ns >= 0x1p63 || ns < -0x1p63 {
                throw TemplateError.function("\(GoFormat.formatV(.float(v))) cannot be represented as a nanoseconds duration since it overflows int64")
            }
            return .duration(Int64(ns))
        }
        add("now", 0) { _ in .float(Double(context.timestamp) / 1000) }
        add("pathPrefix", 0) { _ in .string(context.externalURL?.path ?? "") }
        add("externalURL", 0) { _ in .string(context.externalURL?.absoluteString ?? "") }
        add("parseDuration", 1, strings: [0]) { args in
            let text = try Builtins.string(args, 0)
            do {
                return .float(try PrometheusDuration(parsing: text).seconds)
            } catch {
                throw TemplateError.function((error as? DurationError)?.prometheusMessage ?? "\(error)")
            }
        }
        f["tmpl"] = TemplateFunction("tmpl", arity: 2, strings: [0]) { args, call in
            .string(try await call.executeTemplate(try Builtins.string(args, 0), args[1]))
        }
        return f
    }

    private static func labels(of sample: TemplateValue) throws(TemplateError) -> [String: String] {
        guard case .map(let m) = sample, case .map(let labels)? = m["Labels"] else {
            throw TemplateError.wrongType(expected: "*template.sample", got: sample)
        }
        return labels.entries.compactMapValues(\.stringValue)
    }
}

/// Go's raw-string quoting as `regexp` error messages print patterns.
func goBackquote(_ s: String) -> String { s.contains("`") ? goQuote(s) : "`\(s)`" }
