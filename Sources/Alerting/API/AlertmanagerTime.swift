import Foundation

/// Timestamps as Alertmanager writes and reads them.
package enum AlertmanagerTime {
    /// Go's zero `time.Time`, which firing alerts carry as `endsAt` in notifications.
    package static let goZero = "0001-01-01T00:00:00Z"

    /// `strfmt.DateTime` (API v2): UTC with milliseconds, `2026-12-07T15:04:05.123Z`.
    package static func apiString(_ date: Date) -> String { format(date, fractionDigits: 3, trim: false) }

    /// Go's `time.Time` JSON (RFC 3339 with nanoseconds, trailing zeros trimmed), UTC.
    package static func goString(_ date: Date) -> String { format(date, fractionDigits: 9, trim: true) }

    private static func format(_ date: Date, fractionDigits: Int, trim: Bool) -> String {
        let interval = date.timeIntervalSince1970
        var seconds = Int(interval.rounded(.down))
        var nanos = Int(((interval - Double(seconds)) * 1e9).rounded())
        if nanos >= 1_000_000_000 {
            seconds += 1
            nanos -= 1_000_000_000
        }
        // Dates carry microsecond precision at best: round there to avoid binary noise.
        nanos = (nanos + 500) / 1000 * 1000
        if nanos >= 1_000_000_000 {
            seconds += 1
            nanos -= 1_000_000_000
        }
        var time = time_t(seconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        func pad(_ value: Int32, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        var text = "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))T"
            + "\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2))"
        var fraction = pad(Int32(nanos), 9)
        fraction = String(fraction.prefix(fractionDigits))
        if trim { while fraction.hasSuffix("0") { fraction.removeLast() } }
        if !fraction.isEmpty { text += "." + fraction }
        return text + "Z"
    }

    /// Parses RFC 3339 (`Z` or `±hh:mm`, any fraction); nil when malformed.
    package static func parse(_ text: String) -> Date? {
        let bytes = Array(text.utf8)
        func number(_ from: Int, _ count: Int) -> Int? {
            guard from + count <= bytes.count else { return nil }
            var value = 0
            for byte in bytes[from..<(from + count)] {
                guard byte >= 48, byte <= 57 else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            return value
        }
        guard bytes.count >= 20, let year = number(0, 4), bytes[4] == 45, let month = number(5, 2), bytes[7] == 45,
              let day = number(8, 2), bytes[10] == 84 || bytes[10] == 116, let hour = number(11, 2), bytes[13] == 58,
              let minute = number(14, 2), bytes[16] == 58, let second = number(17, 2),
              (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61 else { return nil }
        var index = 19
        var fraction = 0.0
        if index < bytes.count, bytes[index] == 46 {
            index += 1
            var scale = 0.1
            let start = index
            while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 {
                fraction += Double(bytes[index] - 48) * scale
                scale /= 10
                index += 1
            }
            guard index > start else { return nil }
        }
        guard index < bytes.count else { return nil }
        var offset = 0
        switch bytes[index] {
        case 90, 122:
            guard index == bytes.count - 1 else { return nil }
        case 43, 45:
            guard index + 6 == bytes.count, let hours = number(index + 1, 2), bytes[index + 3] == 58,
                  let minutes = number(index + 4, 2) else { return nil }
            offset = (hours * 60 + minutes) * 60 * (bytes[index] == 45 ? -1 : 1)
        default:
            return nil
        }
        var parts = tm()
        parts.tm_year = Int32(year - 1900)
        parts.tm_mon = Int32(month - 1)
        parts.tm_mday = Int32(day)
        parts.tm_hour = Int32(hour)
        parts.tm_min = Int32(minute)
        parts.tm_sec = Int32(second)
        let seconds = timegm(&parts)
        return Date(timeIntervalSince1970: Double(seconds - offset) + fraction)
    }
}
