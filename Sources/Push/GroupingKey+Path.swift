import Foundation
import PharosCore

extension GroupingKey {
    /// Parses a Pushgateway URL path: `/metrics/job/<job>{/<name>/<value>}` or
    /// `/metrics/job@base64/<job>{…}`; a name ending in `@base64` marks its value as
    /// base64url (RFC 4648 §5; trailing `=` ignored, so `=` is the empty value).
    ///
    /// The path is percent-decoded first, as Go's router sees it, so `%2F` separates
    /// components. Errors use Pushgateway's wording: `odd number of components in label
    /// string "/a"`, `improper label name "__x"`, `job name is required`.
    package init(path rawPath: String) throws(PushError) {
        let path = rawPath.removingPercentEncoding ?? rawPath
        var rest = Substring(path)
        guard rest.hasPrefix("/metrics/") else {
            throw PushError(.badRequest, "not a push path: \(goQuote(rawPath)) (want /metrics/job/<job>{/<label>/<value>})")
        }
        rest = rest.dropFirst("/metrics/".count)
        let jobEncoded: Bool
        if rest.hasPrefix("job@base64/") {
            jobEncoded = true
            rest = rest.dropFirst("job@base64/".count)
        } else if rest.hasPrefix("job/") {
            jobEncoded = false
            rest = rest.dropFirst("job/".count)
        } else {
            throw PushError(.badRequest, "not a push path: \(goQuote(rawPath)) (want /metrics/job/<job>{/<label>/<value>})")
        }
        let slash = rest.firstIndex(of: "/") ?? rest.endIndex
        var job = String(rest[..<slash])
        let labelString = String(rest[slash...])
        if jobEncoded {
            do throws(PushError) { job = try Self.decodeBase64(job) } catch {
                throw PushError(.badRequest, "invalid base64 encoding in job name \(goQuote(job)): \(error.message)")
            }
        }
        let labels = try Self.splitLabels(labelString)
        try self.init(job: job, labels: labels)
    }

    /// Pushgateway's `splitLabels`: `/a/1/b@base64/Mg` → `["a": "1", "b": "2"]`.
    static func splitLabels(_ labels: String) throws(PushError) -> [String: String] {
        var result: [String: String] = [:]
        guard labels.count > 1 else { return result }
        let components = labels.dropFirst().split(separator: "/", omittingEmptySubsequences: false)
        guard components.count % 2 == 0 else {
            throw PushError(.badRequest, "odd number of components in label string \(goQuote(labels))")
        }
        var index = 0
        while index < components.count {
            let name = String(components[index]), value = String(components[index + 1])
            index += 2
            let encoded = name.hasSuffix("@base64")
            let trimmed = encoded ? String(name.dropLast("@base64".count)) : name
            guard isValidName(trimmed) else {
                throw PushError(.badRequest, "improper label name \(goQuote(trimmed))")
            }
            if !encoded {
                result[trimmed] = value
                continue
            }
            do throws(PushError) { result[trimmed] = try decodeBase64(value) } catch {
                throw PushError(.badRequest, "invalid base64 encoding for label \(trimmed)=\(goQuote(value)): \(error.message)")
            }
        }
        return result
    }

    /// Base64url without padding (trailing `=` trimmed first); the result must be UTF-8.
    static func decodeBase64(_ text: String) throws(PushError) -> String {
        var bytes = Array(text.utf8)
        while bytes.last == UInt8(ascii: "=") { bytes.removeLast() }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 3 / 4)
        var accumulator: UInt32 = 0, bits = 0
        for (offset, byte) in bytes.enumerated() {
            let sextet: UInt32
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): sextet = UInt32(byte - UInt8(ascii: "A"))
            case UInt8(ascii: "a")...UInt8(ascii: "z"): sextet = UInt32(byte - UInt8(ascii: "a")) + 26
            case UInt8(ascii: "0")...UInt8(ascii: "9"): sextet = UInt32(byte - UInt8(ascii: "0")) + 52
            case UInt8(ascii: "-"): sextet = 62
            case UInt8(ascii: "_"): sextet = 63
            default: throw PushError(.badRequest, "illegal base64 data at input byte \(offset)")
            }
            accumulator = accumulator << 6 | sextet
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
            }
        }
        if bytes.count % 4 == 1 { throw PushError(.badRequest, "illegal base64 data at input byte \(bytes.count - 1)") }
        guard let string = String(validating: out, as: UTF8.self) else {
            throw PushError(.badRequest, "decoded value is not valid UTF-8")
        }
        return string
    }
}
