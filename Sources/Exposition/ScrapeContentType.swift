import PharosCore

/// How Prometheus 3 picks the parser for a scrape response (`textparse.New` and its
/// `extractMediaType`): a missing, unparsable or unknown `Content-Type` fails the scrape unless
/// the job names a `fallback_scrape_protocol`. Prometheus 2 read all of those as text 0.0.4.
package enum ScrapeContentType {
    /// The outcome of the choice: a format (with a warning to log when the fallback was used),
    /// or the error that fails the scrape, in Prometheus' words.
    package enum Choice: Sendable, Hashable {
        case format(ExpositionFormat, warning: String?)
        case failure(String)
    }

    /// A fallback protocol: its format, and the media type Prometheus names in messages. A nil
    /// format is a protocol Pharos does not parse (protobuf).
    package struct Fallback: Sendable, Hashable {
        package var format: ExpositionFormat?
        package var mediaType: String

        package init(format: ExpositionFormat?, mediaType: String) {
            self.format = format
            self.mediaType = mediaType
        }
    }

    package static func choose(contentType: String?, fallback: Fallback?) -> Choice {
        let received = contentType ?? "", quoted = goQuote(contentType ?? "")
        // Each problem fails the scrape without a fallback, and is a warning with one.
        let failing: String, falling: String, cause: String?
        if received.isEmpty {
            failing = "non-compliant scrape target sending blank Content-Type and no fallback_scrape_protocol specified for target"
            falling = "non-compliant scrape target sending blank Content-Type"
            cause = nil
        } else {
            switch MediaType.parse(received) {
            case .failure(let error):
                failing = "cannot parse Content-Type \(quoted) and no fallback_scrape_protocol for target"
                falling = "could not parse received Content-Type \(quoted)"
                cause = error.message
            case .success("application/openmetrics-text"):
                return .format(.openMetrics, warning: nil)
            case .success("text/plain"):
                return .format(.text004, warning: nil)
            case .success("application/vnd.google.protobuf"):
                return .failure("received Content-Type \(quoted): the protobuf exposition format is not supported by Pharos")
            case .success:
                failing = "received unsupported Content-Type \(quoted) and no fallback_scrape_protocol specified for target"
                falling = "received unsupported Content-Type \(quoted)"
                cause = nil
            }
        }
        let detail = cause.map { "\n" + $0 } ?? ""
        guard let fallback else { return .failure(failing + detail) }
        guard let format = fallback.format else {
            return .failure(falling + ": fallback_scrape_protocol \(goQuote(fallback.mediaType)) (protobuf) is not supported by Pharos")
        }
        return .format(format, warning: falling + ", using fallback_scrape_protocol \(goQuote(fallback.mediaType))" + detail)
    }
}

/// Go's `mime.ParseMediaType`, as far as choosing a parser needs it: the lower-cased media
/// type, or Go's error text (`mime: expected slash after first token`, …).
enum MediaType {
    struct ParseError: Error, Hashable { var message: String }

    static func parse(_ text: String) -> Result<String, ParseError> {
        let bytes = Array(text.utf8)
        let semicolon = bytes.firstIndex(of: UInt8(ascii: ";")) ?? bytes.count
        let media = String(decoding: bytes[..<semicolon], as: UTF8.self).lowercased().trimmingSpaces()
        let mediaBytes = Array(media.utf8)
        var index = 0
        let type = token(mediaBytes, &index)
        if type.isEmpty { return .failure(ParseError(message: "mime: no media type")) }
        if index < mediaBytes.count {
            guard mediaBytes[index] == UInt8(ascii: "/") else {
                return .failure(ParseError(message: "mime: expected slash after first token"))
            }
            index += 1
            if token(mediaBytes, &index).isEmpty { return .failure(ParseError(message: "mime: expected token after slash")) }
            if index < mediaBytes.count { return .failure(ParseError(message: "mime: unexpected content after media subtype")) }
        }
        var seen = Set<String>()
        var position = semicolon
        while position < bytes.count {
            skipSpaces(bytes, &position)
            guard position < bytes.count, bytes[position] == UInt8(ascii: ";") else {
                return .failure(ParseError(message: "mime: invalid media parameter"))
            }
            position += 1
            skipSpaces(bytes, &position)
            if position == bytes.count { break } // trailing semicolons are ignored
            let key = token(bytes, &position).lowercased()
            skipSpaces(bytes, &position)
            guard !key.isEmpty, position < bytes.count, bytes[position] == UInt8(ascii: "=") else {
                return .failure(ParseError(message: "mime: invalid media parameter"))
            }
            position += 1
            skipSpaces(bytes, &position)
            guard value(bytes, &position) else { return .failure(ParseError(message: "mime: invalid media parameter")) }
            if !seen.insert(key).inserted { return .failure(ParseError(message: "mime: duplicate parameter name")) }
        }
        return .success(media)
    }

    private static func isTokenByte(_ byte: UInt8) -> Bool {
        byte > 0x20 && byte < 0x7F && !"()<>@,;:\\\"/[]?=".utf8.contains(byte)
    }

    private static func token(_ bytes: [UInt8], _ index: inout Int) -> String {
        let start = index
        while index < bytes.count, isTokenByte(bytes[index]) { index += 1 }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    private static func skipSpaces(_ bytes: [UInt8], _ index: inout Int) {
        while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x09 { index += 1 }
    }

    /// A token or a quoted string; false when neither is there.
    private static func value(_ bytes: [UInt8], _ index: inout Int) -> Bool {
        guard index < bytes.count else { return false }
        if bytes[index] != UInt8(ascii: "\"") { return !token(bytes, &index).isEmpty }
        index += 1
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "\""): index += 1; return true
            case UInt8(ascii: "\\"): index += 2
            default: index += 1
            }
        }
        return false
    }
}

extension String {
    fileprivate func trimmingSpaces() -> String {
        var slice = Substring(self)
        while let first = slice.first, first == " " || first == "\t" { slice = slice.dropFirst() }
        while let last = slice.last, last == " " || last == "\t" { slice = slice.dropLast() }
        return String(slice)
    }
}
