import Foundation
import PharosConfig
import PharosCore

/// The HTTP SD answer format: a JSON list of `{"targets": [...], "labels": {...}}` objects.
/// Pure; every malformed input is a `DiscoveryError` (kind `parse`), never a crash.
enum HTTPSDResponse {
    /// Parses `body`; group *i* gets source `<url>:<i>` and `__meta_url="<url>"`. Unknown keys,
    /// null items, non-string targets or label values and invalid label names are errors.
    static func parse(_ body: [UInt8], url: String) throws(DiscoveryError) -> [TargetGroup] {
        let location = "http_sd \(url)"
        let value: Any
        do {
            value = try JSONSerialization.jsonObject(with: Data(body), options: [.fragmentsAllowed])
        } catch {
            throw DiscoveryError(.parse, location: location, "cannot parse JSON: \(error.localizedDescription)")
        }
        guard let items = value as? [Any] else {
            throw DiscoveryError(.parse, location: location, "cannot parse JSON: want a list of target groups, got \(kind(of: value))")
        }
        var groups: [TargetGroup] = []
        for (index, item) in items.enumerated() {
            guard !(item is NSNull) else { throw DiscoveryError(.parse, location: location, "nil target group item found") }
            guard let object = item as? [String: Any] else {
                throw DiscoveryError(.parse, location: location, "group \(index): want an object, got \(kind(of: item))")
            }
            if let unknown = object.keys.sorted().first(where: { $0 != "targets" && $0 != "labels" }) {
                throw DiscoveryError(.parse, location: location, "group \(index): unknown field \(goQuote(unknown))")
            }
            var addresses: [String] = []
            if let targets = object["targets"], !(targets is NSNull) {
                guard let list = targets as? [Any] else {
                    throw DiscoveryError(.parse, location: location, "group \(index): targets: want a list of strings, got \(kind(of: targets))")
                }
                for target in list {
                    guard let address = target as? String else {
                        throw DiscoveryError(.parse, location: location, "group \(index): targets: want a string, got \(kind(of: target))")
                    }
                    addresses.append(address)
                }
            }
            var labels: [Label] = []
            if let raw = object["labels"], !(raw is NSNull) {
                guard let map = raw as? [String: Any] else {
                    throw DiscoveryError(.parse, location: location, "group \(index): labels: want an object, got \(kind(of: raw))")
                }
                for name in map.keys.sorted() {
                    guard LabelNameValidation.utf8.isValid(name) else {
                        throw DiscoveryError(.parse, location: location, "group \(index): \(goQuote(name)) is not a valid label name")
                    }
                    guard let text = map[name] as? String else {
                        throw DiscoveryError(.parse, location: location, "group \(index): label \(name): want a string, got \(kind(of: map[name]!))")
                    }
                    labels.append(Label(name: name, value: text))
                }
            }
            labels.append(Label(name: HTTPDiscoverer.urlLabel, value: url))
            groups.append(TargetGroup(addresses: addresses, labels: Labels(labels), source: "\(url):\(index)"))
        }
        return groups
    }

    /// Prometheus' `^(?i:application/json(;\s*charset=("utf-8"|utf-8))?)$` on the trimmed header.
    static func isJSONContentType(_ header: String) -> Bool {
        let value = header.trimmingCharacters(in: .whitespaces).lowercased()
        if value == "application/json" { return true }
        guard value.hasPrefix("application/json;") else { return false }
        let parameter = value.dropFirst("application/json;".count).drop { $0 == " " || $0 == "\t" }
        return parameter == "charset=utf-8" || parameter == "charset=\"utf-8\""
    }

    /// Go's `strconv.FormatFloat(seconds, 'f', -1, 64)`: `60`, `0.5`, `1.25`.
    static func formatSeconds(_ seconds: Double) -> String {
        if seconds == seconds.rounded(), abs(seconds) < 1e15 { return String(Int64(seconds)) }
        return "\(seconds)"
    }

    private static func kind(of value: Any) -> String {
        switch value {
        case is NSNull: "null"
        case is String: "a string"
        case is [Any]: "a list"
        case is [String: Any]: "an object"
        case is NSNumber: "a number or boolean"
        default: "\(type(of: value))"
        }
    }
}
