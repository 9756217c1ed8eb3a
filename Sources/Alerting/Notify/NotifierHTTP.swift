import Foundation
import PharosConfig
import PharosCore
import PharosHTTPClient

/// Settings every notifier shares, with the defaults the factory uses.
package struct NotifierOptions: Sendable {
    /// Deadline of one attempt (connect, send, answer). Alertmanager bounds an attempt by the
    /// group's context; Pharos gives every attempt its own deadline.
    package var timeout: Duration = .seconds(30)
    /// Sent as `User-Agent` on HTTP integrations.
    package var userAgent = "Pharos-Alertmanager/0.25"
    /// Alertmanager's fixed Events API v1 URL; tests point it at a local receiver.
    package var pagerdutyV1URL = "https://events.pagerduty.com/generic/2010-04-15/create_event.json"
    /// Alertmanager 0.25's fixed Pushover messages URL; tests point it at a local receiver.
    package var pushoverURL = "https://api.pushover.net/1/messages.json"
    /// The process environment, where SNS finds `AWS_REGION` and `AWS_ACCESS_KEY_ID`/
    /// `AWS_SECRET_ACCESS_KEY`/`AWS_SESSION_TOKEN` when its config has none.
    package var environment = ProcessInfo.processInfo.environment
    /// The host name in `Message-Id` (Alertmanager's `os.Hostname()`).
    package var hostname = ProcessInfo.processInfo.hostName
    package init() {}
}

/// Alertmanager's `notify.Retrier`: 2xx is success; 5xx and `retryCodes` are retryable
/// failures; any other status is a permanent failure. The message is
/// `unexpected status code 404: <details>`.
struct HTTPRetrier: Sendable {
    var retryCodes: Set<Int> = [429]
    /// Text added to the message; nil uses the response body.
    var details: (@Sendable (Int, [UInt8]) -> String)?

    func check(_ response: HTTPFetchResponse) -> NotifyError? {
        if response.status / 100 == 2 { return nil }
        let retry = response.status / 100 == 5 || retryCodes.contains(response.status)
        var message = "unexpected status code \(response.status)"
        let detail = details?(response.status, response.body) ?? String(decoding: response.body, as: UTF8.self)
        if !detail.isEmpty { message += ": \(detail)" }
        return NotifyError(retryable: retry, message)
    }
}

/// One HTTP client per integration config, sending with the shared options (`User-Agent`, deadline).
struct JSONPoster: Sendable {
    let client: PharosHTTPClient
    let options: NotifierOptions

    /// Posts `body` as JSON; a transport failure or timeout is retryable, as Alertmanager's.
    /// `redact` hides the URL in messages (Slack's URL is a secret).
    func post(_ url: String, _ body: [UInt8], redact: Bool = false) async throws(NotifyError) -> HTTPFetchResponse {
        try await send("POST", url, body: body, contentType: "application/json", redact: redact)
    }

    /// Sends `method` to `url` with `body` (nil: none) and `Content-Type` when given, plus
    /// `headers`; failures to connect or answer in time are retryable NotifyErrors.
    func send(_ method: String, _ url: String, body: [UInt8]?, contentType: String?,
              headers: [(name: String, value: String)] = [], redact: Bool = false) async throws(NotifyError) -> HTTPFetchResponse {
        var all: [(name: String, value: String)] = [("User-Agent", options.userAgent)]
        if let contentType { all.append(("Content-Type", contentType)) }
        do {
            return try await client.send(method, url, body: body, headers: all + headers, timeout: options.timeout)
        } catch {
            var message = error.description
            if redact { message = message.replacingOccurrences(of: url, with: "<redacted>") }
            throw NotifyError(retryable: true, message)
        }
    }

    /// Builds the client of one integration; a broken `http_config` (unreadable TLS files) is
    /// a permanent NotifyError naming the integration.
    static func make(_ config: HTTPClientConfig, options: NotifierOptions, integration: String) throws(NotifyError) -> JSONPoster {
        do {
            return JSONPoster(client: try PharosHTTPClient(config: config), options: options)
        } catch {
            throw NotifyError(retryable: false, "\(integration): \(error)")
        }
    }
}

/// Alertmanager's `notify.TruncateInBytes`: at most `n` UTF-8 bytes without cutting a
/// character, the last three bytes `…` when cut (dots when `n` < 3).
func truncateInBytes(_ s: String, _ n: Int) -> (String, Bool) {
    if s.utf8.count <= n { return (s, false) }
    if n <= 3 { return (n == 3 ? "…" : String(repeating: ".", count: n), true) }
    var kept = ""
    var size = 0
    for scalar in s.unicodeScalars {
        let width = String(scalar).utf8.count
        if size + width > n - 3 { break }
        kept.unicodeScalars.append(scalar)
        size += width
    }
    return (kept + "…", true)
}

/// Alertmanager's `notify.TruncateInRunes`: at most `n` characters, the last one `…` when cut.
func truncateInRunes(_ s: String, _ n: Int) -> (String, Bool) {
    let scalars = Array(s.unicodeScalars)
    if scalars.count <= n { return (s, false) }
    if n <= 3 { return (String(String.UnicodeScalarView(scalars[..<n])), true) }
    return (String(String.UnicodeScalarView(scalars[..<(n - 1)])) + "…", true)
}

/// JSON as Go's `encoding/json` writes it for the payload's maps and strings (keys sorted).
func encodeJSON(_ value: Any) -> [UInt8] {
    let data = (try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
    return Array(data) + [0x0a]
}

/// Reads a `*_file` secret as Alertmanager does: whole file, surrounding white space trimmed.
func readSecretFile(_ path: String, what: String) throws(NotifyError) -> String {
    guard let data = FileManager.default.contents(atPath: path) else {
        throw NotifyError(retryable: false, "failed to read \(what) from file \(goQuote(path))")
    }
    return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
}


/// A Go `map[string]string` as `encoding/json` writes it: keys in byte order.
func jsonStringMap(_ map: [String: String]) -> JSONOut {
    .object(map.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }.map { ($0.key, .string($0.value)) })
}
