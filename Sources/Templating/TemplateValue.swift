import Foundation

/// A value a template sees: Go's data model without reflection.
///
/// Maps range in key order (as Go sorts map keys); lists and maps may carry methods
/// (`.Alerts.Firing`, `.Labels.SortedPairs`), which are looked up before map keys as Go does
/// for named map types. Values are immutable and `Sendable`.
package indirect enum TemplateValue: Sendable {
    /// Go's nil / invalid value; an action prints it as `<no value>`, `fmt` as `<nil>`.
    case `nil`
    case bool(Bool)
    case int(Int)
    case float(Double)
    case string(String)
    case list([TemplateValue], methods: (any TemplateMethods)?)
    case map(TemplateMap)
    /// A Go `time.Time`.
    case time(TemplateTime)
    /// A Go `time.Duration` in nanoseconds.
    case duration(Int64)
    /// A function value, for `call`.
    case function(TemplateFunction)
    /// Anything else with fields and methods (a Prometheus query sample, …).
    case object(any TemplateObject)

    package static func list(_ items: [TemplateValue]) -> TemplateValue { .list(items, methods: nil) }

    package static func stringMap(_ dict: [String: String], methods: (any TemplateMethods)? = nil) -> TemplateValue {
        .map(TemplateMap(dict.mapValues { .string($0) }, zero: .string(""), typeName: "map[string]string", methods: methods))
    }

    /// Go's truth: false, 0, nil, and empty strings, lists and maps are false.
    package var isTrue: Bool {
        switch self {
        case .nil: false
        case .bool(let b): b
        case .int(let i): i != 0
        case .float(let f): f != 0
        case .string(let s): !s.isEmpty
        case .list(let l, _): !l.isEmpty
        case .map(let m): !m.isEmpty
        case .time, .object: true
        case .duration(let d): d != 0
        case .function: true
        }
    }

    /// The Go type name used in error messages (`string`, `float64`, `map[string]string`).
    package var typeName: String {
        switch self {
        case .nil: "<nil>"
        case .bool: "bool"
        case .int: "int"
        case .float: "float64"
        case .string: "string"
        case .list(_, let methods): methods?.typeName ?? "[]interface {}"
        case .map(let m): m.methods?.typeName ?? m.typeName
        case .time: "time.Time"
        case .duration: "time.Duration"
        case .function: "func"
        case .object(let o): o.typeName
        }
    }

    package var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }
}

/// Methods callable on a list or map (Go methods on named types), e.g. Alertmanager's `KV`.
package protocol TemplateMethods: Sendable {
    var typeName: String { get }
    /// The result of calling `name` on `receiver`, or `nil` when there is no such method.
    func call(_ name: String, on receiver: TemplateValue, _ args: [TemplateValue]) throws(TemplateError) -> TemplateValue?
}

/// An opaque value with named fields and methods.
package protocol TemplateObject: Sendable {
    var typeName: String { get }
    /// `nil` when there is no such field or method.
    func member(_ name: String, _ args: [TemplateValue]) throws(TemplateError) -> TemplateValue?
    /// What `fmt` prints for `%v`.
    var formatted: String { get }
}

/// A string-keyed map; iterates in ascending key order like Go's `range` and `fmt`.
package struct TemplateMap: Sendable {
    package var entries: [String: TemplateValue]
    /// What a missing key yields under `missingkey=zero` and in `index` (Go's zero of the element type).
    package var zero: TemplateValue
    package var typeName: String
    package var methods: (any TemplateMethods)?

    package init(_ entries: [String: TemplateValue], zero: TemplateValue = .nil,
                 typeName: String = "map[string]interface {}", methods: (any TemplateMethods)? = nil) {
        self.entries = entries
        self.zero = zero
        self.typeName = typeName
        self.methods = methods
    }

    package var isEmpty: Bool { entries.isEmpty }
    package var count: Int { entries.count }
    package var sortedKeys: [String] { entries.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) } }
    package subscript(key: String) -> TemplateValue? { entries[key] }
}

/// A Go `time.Time`: an instant plus the zone it prints in.
package struct TemplateTime: Sendable, Equatable {
    /// Nanoseconds since the Unix epoch.
    package var unixNanos: Int64
    package var zone: TimeZone

    package init(unixNanos: Int64, zone: TimeZone = TimeZone(identifier: "UTC")!) {
        self.unixNanos = unixNanos
        self.zone = zone
    }

    package init(_ date: Date, zone: TimeZone = TimeZone(identifier: "UTC")!) {
        self.unixNanos = Int64((date.timeIntervalSince1970 * 1e9).rounded())
        self.zone = zone
    }

    package var date: Date { Date(timeIntervalSince1970: Double(unixNanos) / 1e9) }
}

/// A function a template can call: a builtin, a Prometheus or Alertmanager function, or a
/// caller's own. `arity` is the fixed parameter count; `variadic` allows more.
package struct TemplateFunction: Sendable {
    package typealias Body = @Sendable (_ args: [TemplateValue], _ context: CallContext) async throws -> TemplateValue
    package var name: String
    package var arity: Int
    package var variadic: Bool
    package var body: Body

    package init(_ name: String, arity: Int, variadic: Bool = false, _ body: @escaping Body) {
        self.name = name
        self.arity = arity
        self.variadic = variadic
        self.body = body
    }
}

/// What a function may use from the running execution (for `tmpl`, `and`/`or` short-circuit is
/// handled by the executor).
package struct CallContext: Sendable {
    /// Executes the named template of the running set with `data` and returns its text.
    package var executeTemplate: @Sendable (_ name: String, _ data: TemplateValue) async throws -> String
}
