import Foundation
import PharosConfig
import PharosCore

/// Options for reading an alertmanager.yml.
package struct AlertmanagerLoadOptions: Sendable, Hashable {
    /// The matcher grammar of `matchers`, `source_matchers` and `target_matchers`.
    package var matcherSyntax: MatcherSyntax = .fallback
    package init(matcherSyntax: MatcherSyntax = .fallback) { self.matcherSyntax = matcherSyntax }
}

extension ConfigCursor {
    /// An absolute http(s) URL with a host, as Alertmanager's `config.URL`.
    func alertmanagerURL() throws(ConfigError) -> String {
        let text = try string()
        try Self.checkURL(text, at: self)
        return text
    }

    /// Like `alertmanagerURL()` but accepting Alertmanager's `<secret>` placeholder (`SecretURL`).
    func secretURL() throws(ConfigError) -> String {
        let text = try string()
        if text == "<secret>" { return text }
        try Self.checkURL(text, at: self)
        return text
    }

    static func checkURL(_ text: String, at cursor: ConfigCursor) throws(ConfigError) {
        guard let components = URLComponents(string: text) else {
            throw cursor.fail("parse \(goQuote(text)): invalid URL")
        }
        let scheme = components.scheme ?? ""
        guard scheme == "http" || scheme == "https" else {
            throw cursor.fail("unsupported scheme \(goQuote(scheme)) for URL")
        }
        guard let host = components.host, !host.isEmpty else { throw cursor.fail("missing host for URL") }
    }

    /// `host:port` (Alertmanager's `HostPort`); "" stays empty.
    func hostPort() throws(ConfigError) -> String {
        let text = try string()
        if text.isEmpty { return "" }
        guard let colon = text.lastIndex(of: ":") else {
            throw fail("address \(text): missing port in address")
        }
        var host = String(text[..<colon])
        let port = String(text[text.index(after: colon)...])
        if host.hasPrefix("[") {
            guard host.hasSuffix("]") else { throw fail("address \(text): missing ']' in address") }
            host = String(host.dropFirst().dropLast())
        } else if host.contains(":") {
            throw fail("address \(text): too many colons in address")
        }
        if port.isEmpty { throw fail("address \(goQuote(text)): port cannot be empty") }
        return text
    }

    /// `matchers:` lists: each item is one or more comma-separated matchers.
    func matcherList(_ syntax: MatcherSyntax) throws(ConfigError) -> [LabelMatcher] {
        var out: [LabelMatcher] = []
        for item in try sequence() {
            let text = try item.string()
            do {
                out += try MatcherParser.parseMatchers(text, syntax: syntax)
            } catch {
                throw item.fail(error.message)
            }
            if syntax == .fallback, (try? MatcherParser.parseMatchers(text, syntax: .utf8)) == nil {
                // Alertmanager 0.27 logs the same advice when it falls back to the classic parser.
                item.note("parsed with the classic matchers parser; quote values and regexes and escape backslashes to make it valid for the UTF-8 parser")
            }
        }
        return out.alertmanagerSorted
    }

    /// Legacy `match:` maps: label name → exact value, names checked as Alertmanager does.
    func equalityMatchers() throws(ConfigError) -> [LabelMatcher] {
        var out: [LabelMatcher] = []
        for (name, value) in try stringPairs() {
            guard Self.isLegacyLabelName(name) else { throw fail("invalid label name \(goQuote(name))") }
            out.append(.equal(name, value))
        }
        return out
    }

    /// Legacy `match_re:` maps: label name → anchored regex; a null regex is refused.
    func regexMatchers() throws(ConfigError) -> [LabelMatcher] {
        guard case .mapping(let pairs) = node.kind else {
            if isNull { return [] }
            throw fail("expected a mapping, got \(node.kindName)")
        }
        var out: [LabelMatcher] = []
        for pair in pairs {
            let value = child(pair.key, pair.value)
            guard Self.isLegacyLabelName(pair.key) else { throw value.fail("invalid label name \(goQuote(pair.key))") }
            if value.isNull { throw value.fail("invalid regexp value for \(goQuote(pair.key))") }
            let pattern = try value.string()
            do {
                out.append(try LabelMatcher(.regexMatch, pair.key, pattern))
            } catch {
                throw value.fail(error.description)
            }
        }
        return out
    }

    /// Prometheus' legacy label-name rule, `^[a-zA-Z_][a-zA-Z0-9_]*$`.
    static func isLegacyLabelName(_ name: String) -> Bool {
        guard let first = name.utf8.first, !(first >= 48 && first <= 57) else { return false }
        return name.utf8.allSatisfy { ($0 >= 97 && $0 <= 122) || ($0 >= 65 && $0 <= 90) || ($0 >= 48 && $0 <= 57) || $0 == 95 }
    }

    /// A nested `http_config:` (Prometheus' common HTTP client settings).
    func httpClientConfig() throws(ConfigError) -> HTTPClientConfig {
        let fields = try mapping("config.plain")
        let config = try HTTPClientConfig.decode(from: fields)
        try fields.finish()
        return config
    }
}

extension ConfigCursor {
    /// A YAML 1.1 boolean as gopkg.in/yaml.v2 decodes one into a Go `bool`: a quoted
    /// `"true"` is a string and refused, as Alertmanager refuses it.
    func strictBool() throws(ConfigError) -> Bool {
        if case .scalar(let text, quoted: true) = node.kind {
            throw fail("cannot unmarshal !!str `\(text)` into bool")
        }
        return try bool()
    }

    /// An unsigned integer; a quoted one is a string to yaml.v2 and refused.
    func strictUInt64() throws(ConfigError) -> UInt64 {
        if case .scalar(let text, quoted: true) = node.kind {
            throw fail("cannot unmarshal !!str `\(text)` into uint64")
        }
        return try uint64()
    }
}

extension MappingReader {
    /// `strictBool()` of `key`; nil when absent or null.
    func strictBool(_ key: String) throws(ConfigError) -> Bool? { try take(key)?.strictBool() }
    func strictUInt64(_ key: String) throws(ConfigError) -> UInt64? { try take(key)?.strictUInt64() }
}

extension ConfigCursor {
    /// A signed integer as yaml.v2 decodes one into a Go `int64`: a float is truncated (1.9
    /// is 1, as yaml.v2 converts it); a quoted or non-numeric value is refused with the tag
    /// yaml.v2 resolved it to.
    func strictInt64() throws(ConfigError) -> Int64 {
        guard case .scalar(let text, let quoted) = node.kind else { throw fail("expected an integer, got \(node.kindName)") }
        if !quoted, let value = Int64(text.filter { $0 != "_" }) { return value }
        if !quoted, let value = Double(text), value.isFinite, value.magnitude < 9.2e18, text.contains(".") {
            return Int64(value)
        }
        let booleans: Set<String> = ["true", "false", "yes", "no", "on", "off", "y", "n"]
        let tag = quoted ? "!!str" : Double(text) != nil ? "!!float" : booleans.contains(text.lowercased()) ? "!!bool" : "!!str"
        throw fail("cannot unmarshal \(tag) `\(text)` into int64")
    }

    /// Go's `time.ParseDuration` (`1m30s`, `1.5h`, `300ms`), in nanoseconds, with its errors.
    func goDuration() throws(ConfigError) -> Int64 {
        let text = try string()
        guard let nanoseconds = Self.parseGoDuration(text) else {
            throw fail(Self.goDurationError(text))
        }
        return nanoseconds
    }

    private static let goDurationUnits: [String: Double] = [
        "ns": 1, "us": 1e3, "µs": 1e3, "μs": 1e3, "ms": 1e6, "s": 1e9, "m": 60e9, "h": 3600e9,
    ]

    static func parseGoDuration(_ text: String) -> Int64? {
        var rest = Substring(text)
        var negative = false
        if let first = rest.first, first == "-" || first == "+" {
            negative = first == "-"
            rest = rest.dropFirst()
        }
        if rest == "0" { return 0 }
        if rest.isEmpty { return nil }
        var total = 0.0
        while !rest.isEmpty {
            let number = rest.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
            guard !number.isEmpty, number != ".", number.filter({ $0 == "." }).count <= 1, let value = Double(number) else { return nil }
            rest = rest.dropFirst(number.count)
            let unit = rest.prefix { !($0.isASCII && ($0.isNumber || $0 == ".")) }
            guard let scale = goDurationUnits[String(unit)] else { return nil }
            rest = rest.dropFirst(unit.count)
            total += value * scale
        }
        guard total < 9.3e18 else { return nil }
        return Int64(negative ? -total : total)
    }

    /// The message Go's `time.ParseDuration` fails with for `text`.
    static func goDurationError(_ text: String) -> String {
        var rest = Substring(text)
        if let first = rest.first, first == "-" || first == "+" { rest = rest.dropFirst() }
        while !rest.isEmpty {
            let number = rest.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
            if number.isEmpty || number == "." { break }
            rest = rest.dropFirst(number.count)
            let unit = rest.prefix { !($0.isASCII && ($0.isNumber || $0 == ".")) }
            if unit.isEmpty { return "time: missing unit in duration \(goQuote(text))" }
            if goDurationUnits[String(unit)] == nil {
                return "time: unknown unit \(goQuote(String(unit))) in duration \(goQuote(text))"
            }
            rest = rest.dropFirst(unit.count)
        }
        return "time: invalid duration \(goQuote(text))"
    }
}

extension MappingReader {
    /// A text setting with a default: absent keeps `defaultValue`; an explicit null is "", as
    /// yaml.v2 resets a Go string given as null.
    func text(_ key: String, _ defaultValue: String) throws(ConfigError) -> String {
        if isExplicitNull(key) { return "" }
        return try string(key) ?? defaultValue
    }

    func strictInt64(_ key: String) throws(ConfigError) -> Int64? { try take(key)?.strictInt64() }
}
