import Foundation

/// A URL split the way Go's `net/url` keeps one (scheme and authority, decoded path, raw
/// query), so notifiers extend paths and queries and print them as Alertmanager does:
/// `URL.Path += "v2/alerts"`, `q.Set(…); RawQuery = q.Encode()`, `URL.String()`.
/// A value; the fragment is dropped.
struct GoURL: Sendable, Hashable {
    /// `scheme://authority`, as written.
    var prefix: String
    /// The decoded path.
    var path: String
    var rawQuery: String

    /// Nil when `text` has no `scheme://` or its path holds a broken `%` escape.
    init?(_ text: String) {
        guard let schemeEnd = text.range(of: "://") else { return nil }
        var rest = Substring(text[schemeEnd.upperBound...])
        if let hash = rest.firstIndex(of: "#") { rest = rest[..<hash] }
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
        prefix = String(text[..<schemeEnd.upperBound]) + rest[..<authorityEnd]
        rest = rest[authorityEnd...]
        let queryStart = rest.firstIndex(of: "?") ?? rest.endIndex
        guard let decoded = Self.unescape(String(rest[..<queryStart]), plusIsSpace: false) else { return nil }
        path = decoded
        rawQuery = queryStart < rest.endIndex ? String(rest[rest.index(after: queryStart)...]) : ""
    }

    /// `URL.String()`: the path escaped as Go's `EscapedPath`, then `?query` when there is one.
    var string: String { prefix + escapedPath + (rawQuery.isEmpty ? "" : "?" + rawQuery) }

    /// Go's `URL.EscapedPath()` for a path that was not written with escapes of its own.
    var escapedPath: String { Self.escape(path, keeping: Self.pathSafe, plusForSpace: false) }

    /// The path with a "/" appended unless it already ends with one (Alertmanager's API URLs).
    var withTrailingSlash: GoURL {
        var copy = self
        if !copy.path.hasSuffix("/") { copy.path += "/" }
        return copy
    }

    func appendingPath(_ suffix: String) -> GoURL {
        var copy = self
        copy.path += suffix
        return copy
    }

    /// `q := u.Query(); q.Set(key, value); u.RawQuery = q.Encode()`.
    func settingQuery(_ key: String, _ value: String) -> GoURL {
        var pairs = Self.parseQuery(rawQuery).filter { $0.0 != key }
        pairs.append((key, value))
        var copy = self
        copy.rawQuery = Self.formEncode(pairs)
        return copy
    }

    /// Go's `url.Values.Encode`: keys sorted (values of one key in order), `QueryEscape`d, joined by "&".
    static func formEncode(_ pairs: [(String, String)]) -> String {
        let sorted = pairs.enumerated().sorted { a, b in
            a.element.0 == b.element.0 ? a.offset < b.offset : a.element.0.utf8.lexicographicallyPrecedes(b.element.0.utf8)
        }
        return sorted.map { queryEscape($0.element.0) + "=" + queryEscape($0.element.1) }.joined(separator: "&")
    }

    /// Go's `url.QueryEscape`: space as "+", everything but letters, digits and `-_.~` as `%XX`.
    static func queryEscape(_ text: String) -> String { escape(text, keeping: [], plusForSpace: true) }

    /// Go's `url.ParseQuery`, keeping what parses (as `URL.Query()` does).
    static func parseQuery(_ raw: String) -> [(String, String)] {
        var out: [(String, String)] = []
        for part in raw.split(separator: "&", omittingEmptySubsequences: true) where !part.contains(";") {
            let (key, value) = part.firstIndex(of: "=").map { (part[..<$0], part[part.index(after: $0)...]) } ?? (part, "")
            guard let k = unescape(String(key), plusIsSpace: true), let v = unescape(String(value), plusIsSpace: true) else { continue }
            out.append((k, v))
        }
        return out
    }

    /// Bytes kept as they are in a path besides letters, digits and `-_.~` (Go's `encodePath`).
    private static let pathSafe: Set<UInt8> = Set("$&+,/:;=@".utf8)

    private static func escape(_ text: String, keeping extra: Set<UInt8>, plusForSpace: Bool) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        for byte in text.utf8 {
            let unreserved = (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a) || (byte >= 0x30 && byte <= 0x39)
                || byte == 0x2d || byte == 0x5f || byte == 0x2e || byte == 0x7e
            if unreserved || extra.contains(byte) {
                out.append(byte)
            } else if byte == 0x20, plusForSpace {
                out.append(0x2b)
            } else {
                out += [0x25, hex[Int(byte >> 4)], hex[Int(byte & 15)]]
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func unescape(_ text: String, plusIsSpace: Bool) -> String? {
        var out: [UInt8] = []
        var bytes = text.utf8.makeIterator()
        while let byte = bytes.next() {
            if byte == 0x25 {
                guard let h = bytes.next().flatMap(hexValue), let l = bytes.next().flatMap(hexValue) else { return nil }
                out.append(h << 4 | l)
            } else {
                out.append(byte == 0x2b && plusIsSpace ? 0x20 : byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: byte - 0x30
        case 0x41...0x46: byte - 0x41 + 10
        case 0x61...0x66: byte - 0x61 + 10
        default: nil
        }
    }
}
