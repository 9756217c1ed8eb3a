import Foundation
import Logging
import NIOCore
import PharosHTTP

/// Output formats of `--log.format`.
package enum LogFormat: String, Sendable, CaseIterable {
    case logfmt, json
}

/// Renders one log event as an ordered list of fields: `time`, `level`, `source`, `msg`,
/// then `err` if any, then metadata sorted by key. Pure.
package enum LogRecord {
    package static func fields(_ event: LogEvent, label: String, metadata: Logger.Metadata, now: Date) -> [(String, String)] {
        var fields: [(String, String)] = [
            ("time", RFC3339.format(Int64((now.timeIntervalSince1970 * 1000).rounded(.down)))),
            ("level", levelName(event.level)),
            ("source", "\((event.file as NSString).lastPathComponent):\(event.line)"),
            ("msg", event.message.description),
        ]
        if label != "" { fields.append(("logger", label)) }
        if let error = event.error { fields.append(("err", String(describing: error))) }
        var merged = metadata
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }
        for key in merged.keys.sorted() { fields.append((key, merged[key]!.description)) }
        return fields
    }

    /// slog's level names, which Prometheus prints: DEBUG, INFO, WARN, ERROR.
    package static func levelName(_ level: Logger.Level) -> String {
        switch level {
        case .trace, .debug: return "DEBUG"
        case .info, .notice: return "INFO"
        case .warning: return "WARN"
        case .error, .critical: return "ERROR"
        }
    }

    /// `key=value` pairs separated by spaces; values with spaces, quotes, `=` or control
    /// characters are quoted with Go-style escapes.
    package static func logfmt(_ fields: [(String, String)]) -> String {
        var line = ""
        for (index, (key, value)) in fields.enumerated() {
            if index > 0 { line += " " }
            line += key + "=" + logfmtValue(value)
        }
        return line
    }

    static func logfmtValue(_ value: String) -> String {
        let needsQuotes = value.isEmpty || value.unicodeScalars.contains {
            $0 == " " || $0 == "=" || $0 == "\"" || $0 == "\\" || $0.value < 0x20 || $0.value == 0x7F
        }
        guard needsQuotes else { return value }
        var out = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    out += String(format: "\\u%04x", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// One JSON object with the fields in order, strings escaped as in the API.
    package static func json(_ fields: [(String, String)]) -> String {
        var writer = JSONWriter()
        writer.raw("{")
        for (index, (key, value)) in fields.enumerated() {
            if index > 0 { writer.raw(",") }
            writer.string(key)
            writer.raw(":")
            writer.string(value)
        }
        writer.raw("}")
        return String(buffer: writer.buffer)
    }
}
