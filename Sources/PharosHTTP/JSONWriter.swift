import NIOCore
import PharosCore

/// Appends JSON tokens to a `ByteBuffer` by hand: the API's hot path avoids `Codable`.
///
/// Strings are escaped like Go's `encoding/json` (as Prometheus' jsoniter configuration does):
/// `"` and `\` escaped, control characters as `\n`, `\r`, `\t` or `\u00XX`, and `<`, `>`, `&`,
/// U+2028, U+2029 as `\u003c`, `\u003e`, `\u0026`, `\u2028`, `\u2029`. Not thread-safe: a value.
package struct JSONWriter {
    package var buffer: ByteBuffer

    package init(buffer: ByteBuffer = ByteBuffer()) { self.buffer = buffer }

    package mutating func raw(_ text: StaticString) { buffer.writeStaticString(text) }
    package mutating func raw(_ text: String) { buffer.writeString(text) }

    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    /// Writes `text` as a quoted, escaped JSON string.
    package mutating func string(_ text: String) {
        buffer.writeInteger(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { bytes in
            var start = 0
            var index = 0
            while index < bytes.count {
                let byte = bytes[index]
                var escape: StaticString? = nil
                var unicode: UInt8? = nil
                var skip = 1
                switch byte {
                case UInt8(ascii: "\""): escape = "\\\""
                case UInt8(ascii: "\\"): escape = "\\\\"
                case 0x0A: escape = "\\n"
                case 0x0D: escape = "\\r"
                case 0x09: escape = "\\t"
                case UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "&"): unicode = byte
                case 0x00..<0x20: unicode = byte
                case 0xE2 where index + 2 < bytes.count && bytes[index + 1] == 0x80
                    && (bytes[index + 2] == 0xA8 || bytes[index + 2] == 0xA9):
                    escape = bytes[index + 2] == 0xA8 ? "\\u2028" : "\\u2029"
                    skip = 3
                default: break
                }
                if escape == nil && unicode == nil {
                    index += 1
                    continue
                }
                buffer.writeBytes(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(bytes)[start..<index]))
                if let escape {
                    buffer.writeStaticString(escape)
                } else if let code = unicode {
                    buffer.writeStaticString("\\u00")
                    buffer.writeInteger(Self.hex[Int(code >> 4)])
                    buffer.writeInteger(Self.hex[Int(code & 0x0F)])
                }
                index += skip
                start = index
            }
            buffer.writeBytes(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(bytes)[start..<bytes.count]))
        }
        buffer.writeInteger(UInt8(ascii: "\""))
    }

    /// Writes a millisecond timestamp as seconds, exactly as Prometheus (see `timestampText`).
    package mutating func timestamp(_ milliseconds: Timestamp) {
        buffer.writeString(Self.timestampText(milliseconds))
    }

    /// Prometheus' `MarshalTimestamp`: integer seconds, then `.` and the millisecond remainder
    /// left-padded to three digits when it is not zero (1500 ms → `1.500`, 1005 ms → `1.005`).
    package static func timestampText(_ milliseconds: Timestamp) -> String {
        var out = ""
        var t = milliseconds
        if t < 0 {
            out = "-"
            t = t == .min ? .max : -t  // Int64.min cannot be negated; off by one ms at the limit
        }
        out += String(t / 1000)
        let fraction = t % 1000
        if fraction != 0 {
            out += fraction < 10 ? ".00" : fraction < 100 ? ".0" : "."
            out += String(fraction)
        }
        return out
    }

    /// Writes a sample value as a quoted string in the API's float format.
    package mutating func value(_ value: Double) {
        buffer.writeInteger(UInt8(ascii: "\""))
        buffer.writeString(GoFloat.apiValue(value))
        buffer.writeInteger(UInt8(ascii: "\""))
    }

    /// `[<seconds>,"<value>"]`.
    package mutating func point(_ timestamp: Timestamp, _ value: Double) {
        raw("[")
        self.timestamp(timestamp)
        raw(",")
        self.value(value)
        raw("]")
    }

    /// A label set as a JSON object in label order.
    package mutating func labels(_ labels: Labels) {
        raw("{")
        var first = true
        for label in labels {
            if !first { raw(",") }
            first = false
            string(label.name)
            raw(":")
            string(label.value)
        }
        raw("}")
    }

    /// A JSON array of strings.
    package mutating func strings(_ values: [String]) {
        raw("[")
        for (index, value) in values.enumerated() {
            if index > 0 { raw(",") }
            string(value)
        }
        raw("]")
    }
}
