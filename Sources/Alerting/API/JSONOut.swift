import PharosCore

/// A JSON value written in a fixed key order, escaped as Go's `encoding/json` does (HTML
/// characters as `\u003c`…), for the payloads and API answers that must look like Alertmanager's.
package indirect enum JSONOut: Sendable, Hashable {
    case object([(String, JSONOut)])
    case array([JSONOut])
    case string(String)
    case int(Int)
    case bool(Bool)
    case null

    package static func == (lhs: JSONOut, rhs: JSONOut) -> Bool { lhs.rendered == rhs.rendered }
    package func hash(into hasher: inout Hasher) { hasher.combine(rendered) }

    /// A label set as an object with sorted keys.
    package static func labels(_ labels: Labels) -> JSONOut {
        .object(labels.map { ($0.name, .string($0.value)) })
    }

    package var rendered: String {
        var out = ""
        write(to: &out)
        return out
    }

    package var bytes: [UInt8] { Array(rendered.utf8) }

    package func write(to out: inout String) {
        switch self {
        case .object(let pairs):
            out += "{"
            for (index, (key, value)) in pairs.enumerated() {
                if index > 0 { out += "," }
                Self.writeString(key, to: &out)
                out += ":"
                value.write(to: &out)
            }
            out += "}"
        case .array(let items):
            out += "["
            for (index, item) in items.enumerated() {
                if index > 0 { out += "," }
                item.write(to: &out)
            }
            out += "]"
        case .string(let text): Self.writeString(text, to: &out)
        case .int(let value): out += String(value)
        case .bool(let value): out += value ? "true" : "false"
        case .null: out += "null"
        }
    }

    private static let hex: [Character] = Array("0123456789abcdef")

    static func writeString(_ text: String, to out: inout String) {
        out += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "<", ">", "&", "\u{2028}", "\u{2029}":
                let value = Int(scalar.value)
                out += "\\u" + String([hex[(value >> 12) & 15], hex[(value >> 8) & 15], hex[(value >> 4) & 15], hex[value & 15]])
            default:
                if scalar.value < 0x20 {
                    let value = Int(scalar.value)
                    out += "\\u00" + String([hex[(value >> 4) & 15], hex[value & 15]])
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }
}
