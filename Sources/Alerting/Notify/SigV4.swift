import Foundation
import PharosCore

/// AWS Signature Version 4 with the signature in the `Authorization` header, as aws-sdk-go
/// v1's signer computes it for the SNS Query API: the canonical request (method, the path
/// escaped twice, the sorted query, the signed headers `host` plus the given ones, the hex
/// SHA-256 of the body), the string to sign over the scope `date/region/service/aws4_request`,
/// and the HMAC chain from `"AWS4" + secret`. A pure value; no clock inside.
struct SigV4Signer: Sendable, Hashable {
    var accessKey: String
    var secretKey: String
    /// Sent (and signed) as `X-Amz-Security-Token` when not empty.
    var sessionToken = ""
    var region: String
    var service: String

    /// The headers to add to the request: `X-Amz-Date`, `X-Amz-Security-Token` when there is
    /// a session token, and `Authorization`. `headers` are the other headers that get signed
    /// (Content-Length, Content-Type); `Host` is signed from the URL.
    func sign(method: String, url: GoURL, headers: [(name: String, value: String)], body: [UInt8],
              at date: Date) -> [(name: String, value: String)] {
        let amzDate = Self.format(date, "yyyyMMdd'T'HHmmss'Z'")
        var added: [(name: String, value: String)] = [("X-Amz-Date", amzDate)]
        if !sessionToken.isEmpty { added.append(("X-Amz-Security-Token", sessionToken)) }
        let request = canonicalRequest(method: method, url: url, headers: headers + added, body: body)
        let scope = "\(amzDate.prefix(8))/\(region)/\(service)/aws4_request"
        let stringToSign = "AWS4-HMAC-SHA256\n\(amzDate)\n\(scope)\n\(SHA256.hex(request.text))"
        var key = Array("AWS4\(secretKey)".utf8)
        for part in [String(amzDate.prefix(8)), region, service, "aws4_request"] { key = SHA256.hmac(key: key, Array(part.utf8)) }
        let signature = SHA256.hex(SHA256.hmac(key: key, Array(stringToSign.utf8)))
        added.append(("Authorization",
                      "AWS4-HMAC-SHA256 Credential=\(accessKey)/\(scope), SignedHeaders=\(request.signedHeaders), Signature=\(signature)"))
        return added
    }

    /// The canonical request's text and its `SignedHeaders` list.
    func canonicalRequest(method: String, url: GoURL, headers: [(name: String, value: String)],
                          body: [UInt8]) -> (text: String, signedHeaders: String) {
        var values: [String: [String]] = ["host": [Self.host(of: url)]]
        for (name, value) in headers { values[name.lowercased(), default: []].append(value) }
        let names = values.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        let canonicalHeaders = names.map { "\($0):" + Self.collapseSpaces(values[$0]!.joined(separator: ",")) }.joined(separator: "\n")
        let path = Self.awsEscape(url.escapedPath.isEmpty ? "/" : url.escapedPath)
        let query = GoURL.formEncode(GoURL.parseQuery(url.rawQuery)).replacingOccurrences(of: "+", with: "%20")
        let signed = names.joined(separator: ";")
        let text = [method, path, query, canonicalHeaders + "\n", signed, SHA256.hex(SHA256.digest(body))].joined(separator: "\n")
        return (text, signed)
    }

    /// The URL's `host[:port]`, without a port that is the scheme's default (the SDK's
    /// `SanitizeHostForHeader`) and without user information.
    static func host(of url: GoURL) -> String {
        let authority = url.prefix.components(separatedBy: "://").dropFirst().joined(separator: "://")
        var host = authority.split(separator: "@").last.map(String.init) ?? authority
        let scheme = url.prefix.components(separatedBy: "://").first?.lowercased() ?? ""
        if (scheme == "http" && host.hasSuffix(":80")) || (scheme == "https" && host.hasSuffix(":443")) {
            host = String(host[..<host.lastIndex(of: ":")!])
        }
        return host
    }

    /// The SDK's `rest.EscapePath(path, false)`: every byte but letters, digits, `-._~` and "/" as `%XX`.
    static func awsEscape(_ path: String) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        for byte in path.utf8 {
            let keep = (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a) || (byte >= 0x30 && byte <= 0x39)
                || byte == 0x2d || byte == 0x2e || byte == 0x5f || byte == 0x7e || byte == 0x2f
            if keep { out.append(byte) } else { out += [0x25, hex[Int(byte >> 4)], hex[Int(byte & 15)]] }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Trims the value and collapses runs of spaces to one (the SDK's `stripExcessSpaces`).
    static func collapseSpaces(_ text: String) -> String {
        var out = ""
        var previousSpace = false
        for character in text.trimmingCharacters(in: .whitespaces) {
            if character == " ", previousSpace { continue }
            previousSpace = character == " "
            out.append(character)
        }
        return out
    }

    static func format(_ date: Date, _ pattern: String) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = pattern
        return formatter.string(from: date)
    }
}
