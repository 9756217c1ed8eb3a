/// Request parameters as Go's `r.Form`: the pairs of an `application/x-www-form-urlencoded`
/// POST body first (body values win), then the URL query's pairs; names may repeat (`match[]`).
///
/// Parsing follows `net/url.ParseQuery`: pairs split on `&`, name and value on the first `=`,
/// `+` is a space, `%XX` is a byte; an invalid escape is an error (Go's
/// `invalid URL escape "%zz"`). Values keep their order. Immutable value, thread-safe.
package struct FormParameters: Sendable, Equatable {
    package private(set) var pairs: [(name: String, value: String)]

    package init() { pairs = [] }

    package init(pairs: [(name: String, value: String)]) { self.pairs = pairs }

    /// Parses an encoded query or form body; `nil` and "" give no pairs.
    package init(encoded: String?) throws(APIError) {
        pairs = []
        try append(encoded: encoded)
    }

    /// The first invalid escape `appendSkippingInvalid` met (Go's `ParseForm` error); the
    /// pairs it was in were skipped. Endpoints that check `ParseForm` in Prometheus (series)
    /// throw it; the others ignore it, as Go's `FormValue` does.
    package private(set) var parseError: APIError?

    /// Appends the pairs of another encoded string (the URL query after a POST body); throws
    /// at the first invalid escape.
    package mutating func append(encoded: String?) throws(APIError) {
        for part in Self.parts(encoded) {
            pairs.append((try Self.unescape(part.name), try Self.unescape(part.value)))
        }
    }

    /// As `append(encoded:)`, but as Go's `url.ParseQuery`: a pair with an invalid escape is
    /// skipped and the first such error is kept in `parseError`.
    package mutating func appendSkippingInvalid(encoded: String?) {
        for part in Self.parts(encoded) {
            do {
                pairs.append((try Self.unescape(part.name), try Self.unescape(part.value)))
            } catch {
                if parseError == nil { parseError = error }
            }
        }
    }

    private static func parts(_ encoded: String?) -> [(name: Substring, value: Substring)] {
        guard let encoded, !encoded.isEmpty else { return [] }
        return encoded.split(separator: "&", omittingEmptySubsequences: true).map { part in
            guard let equals = part.firstIndex(of: "=") else { return (part, "") }
            return (part[..<equals], part[part.index(after: equals)...])
        }
    }

    /// The first value of `name`, or nil (Go's `FormValue` gives "" for absent; callers
    /// treat "" and nil alike where Prometheus does).
    package subscript(_ name: String) -> String? {
        pairs.first { $0.name == name }?.value
    }

    /// Every value of `name`, in order.
    package func all(_ name: String) -> [String] {
        pairs.filter { $0.name == name }.map(\.value)
    }

    private static func unescape(_ text: Substring) throws(APIError) -> String {
        if !text.utf8.contains(where: { $0 == UInt8(ascii: "%") || $0 == UInt8(ascii: "+") }) {
            return String(text)
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        let utf8 = Array(text.utf8)
        var index = 0
        while index < utf8.count {
            let byte = utf8[index]
            if byte == UInt8(ascii: "+") {
                bytes.append(UInt8(ascii: " "))
                index += 1
            } else if byte == UInt8(ascii: "%") {
                guard index + 2 < utf8.count, let high = hexValue(utf8[index + 1]), let low = hexValue(utf8[index + 2]) else {
                    let end = min(index + 3, utf8.count)
                    let bad = String(decoding: utf8[index..<end], as: UTF8.self)
                    throw APIError(.badData, "error parsing form values: invalid URL escape \"\(bad)\"", location: "form")
                }
                bytes.append(high << 4 | low)
                index += 3
            } else {
                bytes.append(byte)
                index += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    package static func == (lhs: FormParameters, rhs: FormParameters) -> Bool {
        lhs.pairs.count == rhs.pairs.count && zip(lhs.pairs, rhs.pairs).allSatisfy { $0 == $1 }
            && lhs.parseError?.message == rhs.parseError?.message
    }
}
