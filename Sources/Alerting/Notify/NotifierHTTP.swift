import Foundation
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

/// One HTTP client per integration config, posting JSON with the shared options.
struct JSONPoster: Sendable {
    let client: PharosHTTPClient
    let options: NotifierOptions

    /// Posts `body`; a transport failure or timeout is retryable, as Alertmanager's.
    /// `redact` hides the URL in messages (Slack's URL is a secret).
    func post(_ url: String, _ body: [UInt8], redact: Bool = false) async throws(NotifyError) -> HTTPFetchResponse {
        do {
            return try await client.post(url, body: body, headers: [
                ("Content-Type", "application/json"), ("User-Agent", options.userAgent),
            ], timeout: options.timeout)
        } catch {
            var message = error.description
            if redact { message = message.replacingOccurrences(of: url, with: "<redacted>") }
            throw NotifyError(retryable: true, message)
        }
    }
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

