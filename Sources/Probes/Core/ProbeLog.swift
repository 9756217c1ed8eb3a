import Foundation
import Logging
import Synchronization

/// The log of one probe: kept as logfmt lines for `debug=true` (blackbox's scrapeLogger) and
/// forwarded to the server's logger at debug level.
package final class ProbeLog: Sendable {
    private let lines = Mutex<[String]>([])
    private let prefix: String
    private let logger: Logger

    package init(module: String, target: String, logger: Logger) {
        prefix = "module=\(Self.value(module)) target=\(Self.value(target))"
        var logger = logger
        logger[metadataKey: "probe.module"] = "\(module)"
        logger[metadataKey: "probe.target"] = "\(target)"
        self.logger = logger
    }

    package func info(_ message: String, _ pairs: KeyValuePairs<String, String> = [:]) { log("info", message, pairs) }
    package func error(_ message: String, _ pairs: KeyValuePairs<String, String> = [:]) { log("error", message, pairs) }
    package func debug(_ message: String, _ pairs: KeyValuePairs<String, String> = [:]) { log("debug", message, pairs) }

    private func log(_ level: String, _ message: String, _ pairs: KeyValuePairs<String, String>) {
        let timestamp = Self.timestamp()
        var line = "ts=\(timestamp) \(prefix) level=\(level) msg=\(Self.value(message))"
        for (key, value) in pairs { line += " \(key)=\(Self.value(value))" }
        lines.withLock { $0.append(line) }
        var metadata: Logger.Metadata = [:]
        for (key, value) in pairs { metadata["probe.\(key)"] = "\(value)" }
        logger.debug("\(message)", metadata: metadata)
    }

    /// All lines so far, each ending in a newline.
    package var text: String { lines.withLock { $0.map { $0 + "\n" }.joined() } }

    static func value(_ text: String) -> String {
        let needsQuotes = text.isEmpty || text.contains { $0 == " " || $0 == "=" || $0 == "\"" || $0.isNewline }
        guard needsQuotes else { return text }
        return "\"" + text.replacingAll("\\", "\\\\").replacingAll("\"", "\\\"").replacingAll("\n", "\\n") + "\""
    }

    static func timestamp() -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: Date())
    }
}
