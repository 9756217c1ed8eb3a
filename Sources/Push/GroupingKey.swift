import Foundation
import PharosCore

/// The labels that identify one Pushgateway group: `job` plus the label pairs of the URL
/// path `/metrics/job/<job>{/<name>/<value>}`.
///
/// Values may be empty (`/metrics/job/j/a@base64/=`), which a `Labels` cannot hold, so the
/// key keeps its own sorted pairs. Equality and ordering are by those pairs.
package struct GroupingKey: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// Sorted by name, unique names, `job` always present and non-empty.
    package let pairs: [Label]

    /// Builds a key from a job and further labels; a `job` entry in `labels` is overridden.
    package init(job: String, labels: [String: String] = [:]) throws(PushError) {
        guard !job.isEmpty else { throw PushError(.badRequest, "job name is required") }
        var all = labels
        all["job"] = job
        for (name, _) in all where !Self.isValidName(name) {
            throw PushError(.badRequest, "improper label name \(goQuote(name))")
        }
        pairs = all.map { Label(name: $0.key, value: $0.value) }.sorted { $0.name < $1.name }
    }

    package var job: String { pairs.first { $0.name == "job" }?.value ?? "" }

    /// The value of `name`, nil when the key does not contain it.
    package func value(of name: String) -> String? { pairs.first { $0.name == name }?.value }

    /// The key as a label set (empty values dropped, as storage drops them).
    package var labels: Labels { Labels(pairs) }

    /// The canonical URL path, `/metrics/job/<job>/<name>/<value>…`, using `@base64` for any
    /// value that is empty or contains `/` or `%`.
    package var path: String {
        var out = "/metrics"
        func component(_ name: String, _ value: String) {
            if value.isEmpty || value.contains("/") || value.contains("%") {
                out += "/\(name)@base64/" + (value.isEmpty ? "=" : Self.base64URLEncode(value))
            } else {
                out += "/\(name)/" + value
            }
        }
        component("job", job)
        for pair in pairs where pair.name != "job" { component(pair.name, pair.value) }
        return out
    }

    package var description: String {
        "{" + pairs.map { "\($0.name)=\(goQuote($0.value))" }.joined(separator: ",") + "}"
    }

    package static func < (lhs: GroupingKey, rhs: GroupingKey) -> Bool {
        lhs.pairs.lexicographicallyPrecedes(rhs.pairs)
    }

    /// Label names as Pushgateway accepts them in a path: legacy names, not `__`-prefixed.
    static func isValidName(_ name: String) -> Bool {
        Labels.isValidLegacyName(name) && !name.hasPrefix("__")
    }

    static func base64URLEncode(_ value: String) -> String {
        Data(value.utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
