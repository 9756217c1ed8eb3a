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

    /// A plain `[]interface {}`.
    package static func list(_ items: [TemplateValue]) -> TemplateValue { .list(items, methods: nil) }

    /// A `map[string]string` (a missing key is `""` under `missingkey=zero`), optionally with methods.
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

    /// The string, when this is one.
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
    /// What `fmt` prints for the receiver when the Go type has a `String()` method; `nil` otherwise.
    func formatted(_ receiver: TemplateValue) -> String?
}

extension TemplateMethods {
    package func formatted(_ receiver: TemplateValue) -> String? { nil }
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
    /// A Go struct rather than a map: a missing field is an error (`can't evaluate field X in
    /// type T`), never a missing key.
    package var isStruct: Bool

    package init(_ entries: [String: TemplateValue], zero: TemplateValue = .nil,
                 typeName: String = "map[string]interface {}", methods: (any TemplateMethods)? = nil,
                 isStruct: Bool = false) {
        self.entries = entries
        self.zero = zero
        self.typeName = typeName
        self.methods = methods
        self.isStruct = isStruct
    }

    /// A Go struct value named `typeName` with these fields.
    package static func structure(_ typeName: String, _ fields: [String: TemplateValue]) -> TemplateMap {
        TemplateMap(fields, typeName: typeName, isStruct: true)
    }

    package var isEmpty: Bool { entries.isEmpty }
    package var count: Int { entries.count }
    package var sortedKeys: [String] { entries.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) } }
    package subscript(key: String) -> TemplateValue? { entries[key] }
}

/// A Go `time.Time`: an instant (seconds and nanoseconds since the Unix epoch, so Go's zero
/// time, year 1, fits) plus the zone it prints in.
package struct TemplateTime: Sendable, Equatable {
    package var seconds: Int64
    /// 0 ..< 1_000_000_000.
    package var nanoseconds: Int
    package var zone: TimeZone

    package static let utc = TimeZone(identifier: "UTC")!

    /// Go's zero `time.Time`: `0001-01-01 00:00:00 +0000 UTC` (what an unset `EndsAt` prints).
    package static let zero = TemplateTime(seconds: -62_135_596_800, nanoseconds: 0)

    package init(seconds: Int64, nanoseconds: Int = 0, zone: TimeZone = TemplateTime.utc) {
        self.seconds = seconds + Int64(nanoseconds.quotientAndRemainder(dividingBy: 1_000_000_000).quotient)
        var n = nanoseconds % 1_000_000_000
        if n < 0 {
            n += 1_000_000_000
            self.seconds -= 1
        }
        self.nanoseconds = n
        self.zone = zone
    }

    package init(unixNanos: Int64, zone: TimeZone = TemplateTime.utc) {
        let (q, r) = unixNanos.quotientAndRemainder(dividingBy: 1_000_000_000)
        self.init(seconds: q, nanoseconds: Int(r), zone: zone)
    }

    package init(_ date: Date, zone: TimeZone = TemplateTime.utc) {
        let whole = date.timeIntervalSince1970.rounded(.down)
        self.init(seconds: Int64(whole), nanoseconds: Int(((date.timeIntervalSince1970 - whole) * 1e9).rounded()), zone: zone)
    }

    package var date: Date { Date(timeIntervalSince1970: Double(seconds) + Double(nanoseconds) / 1e9) }

    /// Nanoseconds between `self` and `other` (`self - other`), saturating like Go's `Sub`.
    package func nanos(since other: TemplateTime) -> Int64 {
        let (s, o1) = seconds.subtractingReportingOverflow(other.seconds)
        let (ns, o2) = s.multipliedReportingOverflow(by: 1_000_000_000)
        let (total, o3) = ns.addingReportingOverflow(Int64(nanoseconds - other.nanoseconds))
        if o1 || o2 || o3 { return s < 0 ? Int64.min : Int64.max }
        return total
    }

    package static func == (a: TemplateTime, b: TemplateTime) -> Bool {
        a.seconds == b.seconds && a.nanoseconds == b.nanoseconds
    }
}

/// A function a template can call: a builtin, a Prometheus or Alertmanager function, or a
/// caller's own. `arity` is the fixed parameter count; `variadic` allows more.
package struct TemplateFunction: Sendable {
    package typealias Body = @Sendable (_ args: [TemplateValue], _ context: CallContext) async throws -> TemplateValue
    package var name: String
    package var arity: Int
    package var variadic: Bool
    /// Parameters of Go type `string` (0-based; with `variadicStrings`, every argument from
    /// `arity` on). The executor checks them as each argument is evaluated, as Go does.
    package var stringParameters: Set<Int>
    package var variadicStrings: Bool
    package var body: Body

    package init(_ name: String, arity: Int, variadic: Bool = false, strings: Set<Int> = [],
                 variadicStrings: Bool = false, _ body: @escaping Body) {
        self.name = name
        self.arity = arity
        self.variadic = variadic
        self.stringParameters = strings
        self.variadicStrings = variadicStrings
        self.body = body
    }

    func takesString(at index: Int) -> Bool {
        stringParameters.contains(index) || (variadicStrings && index >= arity)
    }
}

/// What a function may use from the running execution (for `tmpl`, `and`/`or` short-circuit is
/// handled by the executor).
package struct CallContext: Sendable {
    /// Executes the named template of the running set with `data` and returns its text.
    package var executeTemplate: @Sendable (_ name: String, _ data: TemplateValue) async throws -> String
}
