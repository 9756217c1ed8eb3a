import Foundation
import PharosCore
import Templating

extension EmailNotifier {
    /// The whole message as Alertmanager writes it: headers (in name order here; Go's map
    /// order is random), `Message-Id`, `Date`, then the multipart/alternative body.
    func message(_ data: AlertmanagerData, now: Date) async throws(NotifyError) -> String {
        var out = ""
        for name in headers.keys.sorted() {
            let value: String
            do { value = try await templates.template.executeText(headers[name]!, data: data) } catch {
                throw NotifyError(retryable: false, "execute \(goQuote(name)) header template: \(error)")
            }
            out += "\(name): \(MIMEEncoding.qEncodeHeader(value))\r\n"
        }
        if headers["Message-Id"] == nil {
            let nanos = UInt64(now.timeIntervalSince1970 * 1_000_000_000)
            out += "Message-Id: <\(nanos).\(UInt64.random(in: 0...UInt64.max))@\(options.hostname)>\r\n"
        }
        let boundary = (0..<30).map { _ in MIMEEncoding.hex2(UInt8.random(in: 0...255)).lowercased() }.joined()
        out += "Date: \(Self.rfc1123Z(now))\r\n"
        out += "Content-Type: multipart/alternative;  boundary=\(boundary)\r\n"
        out += "MIME-Version: 1.0\r\n\r\n"
        var parts: [(String, String)] = []
        if !config.text.isEmpty {
            parts.append(("text/plain; charset=UTF-8", try await templates.text(config.text, data, field: "email_configs.text")))
        }
        if !config.html.isEmpty {
            parts.append(("text/html; charset=UTF-8", try await templates.html(config.html, data, field: "email_configs.html")))
        }
        for (i, (type, body)) in parts.enumerated() {
            out += (i == 0 ? "" : "\r\n") + "--\(boundary)\r\n"
            out += "Content-Transfer-Encoding: quoted-printable\r\nContent-Type: \(type)\r\n\r\n"
            out += MIMEEncoding.quotedPrintable(body)
        }
        out += (parts.isEmpty ? "--\(boundary)--\r\n" : "\r\n--\(boundary)--\r\n")
        return out
    }

    /// Go's `time.RFC1123Z` in UTC: `Mon, 02 Jan 2006 15:04:05 +0000`.
    static func rfc1123Z(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        return formatter.string(from: date)
    }
}

/// `operation`'s result, or nil when `timeout` passes first (the operation is cancelled).
func withDeadline<T: Sendable>(_ timeout: Duration, _ operation: @escaping @Sendable () async -> T) async throws -> T? {
    try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask { await operation() }
        group.addTask {
            try await Task.sleep(for: timeout)
            return nil
        }
        defer { group.cancelAll() }
        return try await group.next() ?? nil
    }
}
