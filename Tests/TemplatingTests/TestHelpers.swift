@testable import Templating

/// Parses `text` as template "t" and executes it with `data`.
func render(_ text: String, _ data: TemplateValue = .nil, functions: [String: TemplateFunction] = [:],
            missingKey: MissingKey = .invalid) async throws(TemplateError) -> String {
    var set = TemplateSet(functions: functions, options: TemplateOptions(missingKey: missingKey))
    try set.parse(text, name: "t")
    return try await set.execute("t", data: data)
}

/// The error text of rendering `text`, or "" when it succeeds.
func renderError(_ text: String, _ data: TemplateValue = .nil, missingKey: MissingKey = .invalid) async -> String {
    do {
        _ = try await render(text, data, missingKey: missingKey)
        return ""
    } catch {
        return error.message
    }
}

let sampleData: TemplateValue = .map(TemplateMap([
    "name": .string("world"),
    "n": .int(3),
    "f": .float(1.5),
    "empty": .string(""),
    "list": .list([.string("a"), .string("b"), .string("c")]),
    "m": .stringMap(["z": "26", "a": "1", "m": "13"]),
    "nested": .map(TemplateMap(["inner": .map(TemplateMap(["x": .string("deep")]))])),
    "t": .bool(true),
]))
