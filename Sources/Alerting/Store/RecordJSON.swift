import Foundation
import PharosCore

/// A record that writes its own JSON, in the shape its `Codable` conformance decodes (dates as
/// milliseconds since 1970, as the stores' decoders expect). The hot records (alerts, history)
/// use it: Foundation's `JSONEncoder` is most of the cost of a `POST /api/v2/alerts` otherwise.
package protocol RecordJSONWritable {
    func writeRecordJSON(to out: inout RecordJSONWriter)
}

/// A minimal JSON writer for `RecordJSONWritable` records.
package struct RecordJSONWriter {
    package private(set) var bytes: [UInt8] = []
    private var needsComma = false

    package init() { bytes.reserveCapacity(256) }

    package mutating func beginObject() {
        comma()
        bytes.append(UInt8(ascii: "{"))
        needsComma = false
    }

    package mutating func endObject() {
        bytes.append(UInt8(ascii: "}"))
        needsComma = true
    }

    package mutating func key(_ name: String) {
        comma()
        string(name)
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
    }

    package mutating func field(_ name: String, _ value: String) {
        key(name)
        string(value)
        needsComma = true
    }

    package mutating func field(_ name: String, _ value: Bool) {
        key(name)
        bytes.append(contentsOf: value ? "true".utf8 : "false".utf8)
        needsComma = true
    }

    package mutating func field(_ name: String, _ value: Int) {
        key(name)
        bytes.append(contentsOf: String(value).utf8)
        needsComma = true
    }

    /// A date as milliseconds since 1970 (JSONDecoder's `.millisecondsSince1970`).
    package mutating func field(_ name: String, _ date: Date) {
        key(name)
        let milliseconds = date.timeIntervalSince1970 * 1000
        if milliseconds == milliseconds.rounded(), abs(milliseconds) < 9e15 {
            bytes.append(contentsOf: String(Int64(milliseconds)).utf8)
        } else {
            bytes.append(contentsOf: "\(milliseconds)".utf8)
        }
        needsComma = true
    }

    package mutating func field(_ name: String, _ map: [String: String]) {
        key(name)
        bytes.append(UInt8(ascii: "{"))
        var first = true
        for (k, v) in map {
            if !first { bytes.append(UInt8(ascii: ",")) }
            first = false
            string(k)
            bytes.append(UInt8(ascii: ":"))
            string(v)
        }
        bytes.append(UInt8(ascii: "}"))
        needsComma = true
    }

    package mutating func field(_ name: String, _ labels: Labels) {
        key(name)
        bytes.append(UInt8(ascii: "{"))
        var first = true
        for label in labels {
            if !first { bytes.append(UInt8(ascii: ",")) }
            first = false
            string(label.name)
            bytes.append(UInt8(ascii: ":"))
            string(label.value)
        }
        bytes.append(UInt8(ascii: "}"))
        needsComma = true
    }

    package mutating func field(_ name: String, _ numbers: Set<UInt64>) {
        key(name)
        bytes.append(UInt8(ascii: "["))
        var first = true
        for number in numbers {
            if !first { bytes.append(UInt8(ascii: ",")) }
            first = false
            bytes += Array(String(number).utf8)
        }
        bytes.append(UInt8(ascii: "]"))
        needsComma = true
    }

    private mutating func comma() {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
    }

    private static let hex = Array("0123456789abcdef".utf8)

    private mutating func string(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { utf8 in
            // Runs of bytes that need no escape are copied at once.
            var start = 0
            for (i, byte) in utf8.enumerated() where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<i]))
                start = i + 1
                switch byte {
                case UInt8(ascii: "\""): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
                case UInt8(ascii: "\\"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
                default:
                    bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                                              Self.hex[Int(byte >> 4)], Self.hex[Int(byte & 15)]])
                }
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start...]))
        }
        bytes.append(UInt8(ascii: "\""))
    }
}

extension StoredAlert: RecordJSONWritable {
    package func writeRecordJSON(to out: inout RecordJSONWriter) {
        out.beginObject()
        out.field("labels", alert.labels)
        out.field("annotations", alert.annotations)
        out.field("startsAt", alert.startsAt)
        out.field("endsAt", alert.endsAt)
        out.field("generatorURL", alert.generatorURL)
        out.field("updatedAt", alert.updatedAt)
        out.field("timeout", alert.timeout)
        out.endObject()
    }
}

extension HistoryEntry: RecordJSONWritable {
    package func writeRecordJSON(to out: inout RecordJSONWriter) {
        out.beginObject()
        out.field("time", time)
        out.field("kind", kind.rawValue)
        out.field("groupKey", groupKey)
        out.field("receiver", receiver)
        out.field("labels", labels)
        out.field("by", by)
        out.field("comment", comment)
        out.field("error", error)
        out.endObject()
    }
}

extension NotificationLogEntry: RecordJSONWritable {
    package func writeRecordJSON(to out: inout RecordJSONWriter) {
        out.beginObject()
        out.field("groupKey", groupKey)
        out.field("receiver", receiver)
        out.field("integration", integration)
        out.field("index", index)
        out.field("firing", firing)
        out.field("resolved", resolved)
        out.field("timestamp", timestamp)
        out.field("expiresAt", expiresAt)
        out.endObject()
    }
}
