import Foundation

/// Go's `time.Time` and `time.Duration` text: `String()`, `Format(layout)`, and the methods
/// templates call on them (`.Format`, `.Unix`, `.UTC`, …).
enum GoTime {
    struct Civil {
        var year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, nanos: Int
        var weekday: Int  // 0 = Sunday
        var yearDay: Int
        var offset: Int  // seconds east of UTC
        var abbreviation: String
    }

    static func civil(_ t: TemplateTime) -> Civil {
        let seconds = t.seconds
        let nanos = t.nanoseconds
        let date = Date(timeIntervalSince1970: TimeInterval(seconds))
        let offset = t.zone.secondsFromGMT(for: date)
        let local = Int(seconds) + offset
        var days = local >= 0 ? local / 86400 : (local - 86399) / 86400
        let secOfDay = local - days * 86400
        let weekday = ((days % 7) + 11) % 7  // 1970-01-01 was a Thursday (4)
        // Howard Hinnant's civil_from_days.
        days += 719_468
        let era = (days >= 0 ? days : days - 146_096) / 146_097
        let doe = days - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        var year = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        if month <= 2 { year += 1 }
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        let cumulative = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334]
        let yearDay = cumulative[month - 1] + day + (leap && month > 2 ? 1 : 0)
        let abbreviation = ZoneAbbreviations.shared.abbreviation(t.zone, at: date)
        return Civil(year: year, month: month, day: day, hour: secOfDay / 3600, minute: secOfDay % 3600 / 60,
                     second: secOfDay % 60, nanos: nanos, weekday: weekday, yearDay: yearDay, offset: offset,
                     abbreviation: abbreviation)
    }

    /// Go's `Time.String()`: `2006-01-02 15:04:05.999999999 -0700 MST`.
    static func string(_ t: TemplateTime) -> String {
        format(t, layout: "2006-01-02 15:04:05.999999999 -0700 MST")
    }

    private static let months = ["January", "February", "March", "April", "May", "June", "July", "August",
                                 "September", "October", "November", "December"]
    private static let days = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]

    private static func pad(_ n: Int, _ width: Int, _ fill: Character = "0") -> String {
        let s = String(n)
        return s.count >= width ? s : String(repeating: fill, count: width - s.count) + s
    }

    /// Go's `Time.Format` with the reference layout `Mon Jan 2 15:04:05 MST 2006`.
    static func format(_ t: TemplateTime, layout: String) -> String {
        let c = civil(t)
        var out = ""
        var rest = Substring(layout)
        func zone(_ colon: Bool, _ seconds: Bool, z: Bool, hoursOnly: Bool = false) -> String {
            if z && c.offset == 0 { return "Z" }
            let sign = c.offset < 0 ? "-" : "+"
            let a = abs(c.offset)
            var s = sign + pad(a / 3600, 2)
            if hoursOnly { return s }
            s += (colon ? ":" : "") + pad(a % 3600 / 60, 2)
            if seconds { s += (colon ? ":" : "") + pad(a % 60, 2) }
            return s
        }
        let table: [(String, () -> String)] = [
            ("January", { months[c.month - 1] }), ("Jan", { String(months[c.month - 1].prefix(3)) }),
            ("Monday", { days[c.weekday] }), ("Mon", { String(days[c.weekday].prefix(3)) }),
            ("MST", { c.abbreviation }),
            ("2006", { pad(c.year, 4) }), ("2", { String(c.day) }),
            ("Z07:00:00", { zone(true, true, z: true) }), ("-07:00:00", { zone(true, true, z: false) }),
            ("Z070000", { zone(false, true, z: true) }), ("-070000", { zone(false, true, z: false) }),
            ("Z07:00", { zone(true, false, z: true) }), ("-07:00", { zone(true, false, z: false) }),
            ("Z0700", { zone(false, false, z: true) }), ("-0700", { zone(false, false, z: false) }),
            ("Z07", { zone(false, false, z: true, hoursOnly: true) }), ("-07", { zone(false, false, z: false, hoursOnly: true) }),
            ("01", { pad(c.month, 2) }), ("02", { pad(c.day, 2) }), ("_2", { pad(c.day, 2, " ") }),
            ("002", { pad(c.yearDay, 3) }), ("__2", { pad(c.yearDay, 3, " ") }),
            ("06", { pad(c.year % 100, 2) }), ("15", { pad(c.hour, 2) }),
            ("03", { pad(c.hour % 12 == 0 ? 12 : c.hour % 12, 2) }), ("3", { String(c.hour % 12 == 0 ? 12 : c.hour % 12) }),
            ("04", { pad(c.minute, 2) }), ("4", { String(c.minute) }),
            ("05", { pad(c.second, 2) }), ("5", { String(c.second) }),
            ("PM", { c.hour >= 12 ? "PM" : "AM" }), ("pm", { c.hour >= 12 ? "pm" : "am" }),
            ("1", { String(c.month) }),
        ]
        outer: while !rest.isEmpty {
            // Fractional seconds: .000 / ,000 (fixed) or .999 (trimmed), only after a seconds field.
            if let first = rest.first, first == "." || first == ",", rest.count > 1 {
                let lead = rest.dropFirst().first
                let digits = rest.dropFirst().prefix { $0 == lead }
                if let d = digits.first, d == "0" || d == "9" {
                    let after = rest.dropFirst(1 + digits.count).first
                    if after == nil || !(after!.isNumber) {
                        let n = min(digits.count, 9)
                        var frac = pad(c.nanos, 9)
                        frac = String(frac.prefix(n))
                        if d == "9" {
                            while frac.last == "0" { frac.removeLast() }
                            if !frac.isEmpty { out += String(first) + frac }
                        } else {
                            out += String(first) + frac
                        }
                        rest = rest.dropFirst(1 + digits.count)
                        continue
                    }
                }
            }
            for (token, value) in table where rest.hasPrefix(token) {
                // Go only treats "Jan"/"Mon" etc. as tokens; "January" before "Jan" is handled by order.
                out += value()
                rest = rest.dropFirst(token.count)
                continue outer
            }
            out.append(rest.removeFirst())
        }
        return out
    }

    /// Go's `Duration.String()`: `1h2m3.5s`, `1.5ms`, `0s`.
    static func durationString(_ d: Int64) -> String {
        if d == 0 { return "0s" }
        let negative = d < 0
        let u = d.magnitude
        var out: String
        func frac(_ v: UInt64, _ digits: Int) -> (String, UInt64) {
            // v split at `digits` decimal places, trailing zeros dropped.
            if digits == 0 { return ("", v) }
            var scale: UInt64 = 1
            for _ in 0..<digits { scale *= 10 }
            let whole = v / scale
            var f = String(v % scale)
            f = String(repeating: "0", count: digits - f.count) + f
            while f.last == "0" { f.removeLast() }
            return (f.isEmpty ? "" : "." + f, whole)
        }
        if u < 1_000_000_000 {
            let (unitDigits, unit): (Int, String) = u < 1000 ? (0, "ns") : u < 1_000_000 ? (3, "µs") : (6, "ms")
            let (f, whole) = frac(u, unitDigits)
            out = "\(whole)\(f)\(unit)"
        } else {
            let (f, seconds) = frac(u, 9)
            let s = seconds % 60, m = seconds / 60 % 60, h = seconds / 3600
            out = "\(s)\(f)s"
            if seconds >= 60 { out = "\(m)m" + out }
            if h > 0 { out = "\(h)h" + out }
        }
        return negative ? "-" + out : out
    }
}

/// The methods of `time.Time` templates use.
struct TimeMethods: TemplateMethods {
    var typeName: String { "time.Time" }

    func call(_ name: String, on receiver: TemplateValue, _ args: [TemplateValue]) throws(TemplateError) -> TemplateValue? {
        guard case .time(let t) = receiver else { return nil }
        func want(_ n: Int) throws(TemplateError) {
            if args.count != n { throw .function("wrong number of args for \(name): want \(n) got \(args.count)") }
        }
        switch name {
        case "Format":
            try want(1)
            guard case .string(let layout) = args[0] else { throw .function("wrong type for value; expected string; got \(args[0].typeName)") }
            return .string(GoTime.format(t, layout: layout))
        case "String": try want(0); return .string(GoTime.string(t))
        case "Unix": try want(0); return .int(Int(t.seconds))
        case "UnixMilli": try want(0); return .int(Int(t.seconds) * 1000 + t.nanoseconds / 1_000_000)
        case "UnixNano": try want(0); return .int(Int(t.seconds) &* 1_000_000_000 &+ t.nanoseconds)
        case "UTC": try want(0); return .time(TemplateTime(seconds: t.seconds, nanoseconds: t.nanoseconds))
        case "Local": try want(0); return .time(TemplateTime(seconds: t.seconds, nanoseconds: t.nanoseconds, zone: .current))
        case "IsZero": try want(0); return .bool(t == TemplateTime.zero)
        case "Year": try want(0); return .int(GoTime.civil(t).year)
        case "Month": try want(0); return .int(GoTime.civil(t).month)
        case "Day": try want(0); return .int(GoTime.civil(t).day)
        case "Hour": try want(0); return .int(GoTime.civil(t).hour)
        case "Minute": try want(0); return .int(GoTime.civil(t).minute)
        case "Second": try want(0); return .int(GoTime.civil(t).second)
        case "Add":
            try want(1)
            guard case .duration(let d) = args[0] else { throw .function("wrong type for value; expected time.Duration; got \(args[0].typeName)") }
            return .time(TemplateTime(seconds: t.seconds, nanoseconds: t.nanoseconds + Int(d), zone: t.zone))
        case "Sub":
            try want(1)
            guard case .time(let u) = args[0] else { throw .function("wrong type for value; expected time.Time; got \(args[0].typeName)") }
            return .duration(t.nanos(since: u))
        default: return nil
        }
    }
}

/// The methods of `time.Duration` templates use.
struct DurationMethods: TemplateMethods {
    var typeName: String { "time.Duration" }

    func call(_ name: String, on receiver: TemplateValue, _ args: [TemplateValue]) throws(TemplateError) -> TemplateValue? {
        guard case .duration(let d) = receiver, args.isEmpty else { return nil }
        switch name {
        case "String": return .string(GoTime.durationString(d))
        case "Seconds": return .float(Double(d) / 1e9)
        case "Minutes": return .float(Double(d) / 6e10)
        case "Hours": return .float(Double(d) / 3.6e12)
        case "Milliseconds": return .int(Int(d / 1_000_000))
        case "Nanoseconds": return .int(Int(d))
        default: return nil
        }
    }
}

/// Time-zone abbreviations as Go prints them (`CET`, `EST`, `+04`): Go takes them from the
/// tzdata files, Foundation on Linux answers `GMT+1`. We read the POSIX TZ footer of the zone's
/// tzdata file once per zone (standard and daylight names) and pick by Foundation's DST flag;
/// without the file, Foundation's abbreviation. Thread-safe.
final class ZoneAbbreviations: @unchecked Sendable {
    static let shared = ZoneAbbreviations()
    private let lock = NSLock()
    private var cache: [String: (standard: String, daylight: String?)?] = [:]

    func abbreviation(_ zone: TimeZone, at date: Date) -> String {
        let id = zone.identifier
        if id == "UTC" || id == "Etc/UTC" || id == "GMT" && zone.secondsFromGMT(for: date) == 0 { return "UTC" }
        lock.lock()
        let cached = cache[id]
        lock.unlock()
        let names: (standard: String, daylight: String?)?
        if let cached {
            names = cached
        } else {
            names = Self.footerNames(id)
            lock.lock()
            cache[id] = .some(names)
            lock.unlock()
        }
        guard let names else { return zone.abbreviation(for: date) ?? "" }
        if zone.isDaylightSavingTime(for: date), let daylight = names.daylight { return daylight }
        return names.standard
    }

    /// The std/dst names of the TZ string at the end of a TZif file (`CET-1CEST,M3.5.0,…`).
    static func footerNames(_ id: String) -> (standard: String, daylight: String?)? {
        let dir = ProcessInfo.processInfo.environment["ZONEINFO"] ?? "/usr/share/zoneinfo"
        guard !id.contains(".."), let data = FileManager.default.contents(atPath: dir + "/" + id),
              data.count > 2, data.last == 0x0A else { return nil }
        let bytes = Array(data.dropLast())
        guard let start = bytes.lastIndex(of: 0x0A) else { return nil }
        let footer = Array(bytes[(start + 1)...])
        var i = 0
        func name() -> String? {
            guard i < footer.count else { return nil }
            if footer[i] == UInt8(ascii: "<") {
                guard let end = footer[i...].firstIndex(of: UInt8(ascii: ">")) else { return nil }
                defer { i = end + 1 }
                return String(decoding: footer[(i + 1)..<end], as: UTF8.self)
            }
            let begin = i
            while i < footer.count, (footer[i] >= 0x41 && footer[i] <= 0x5A) || (footer[i] >= 0x61 && footer[i] <= 0x7A) { i += 1 }
            return i > begin ? String(decoding: footer[begin..<i], as: UTF8.self) : nil
        }
        guard let standard = name() else { return nil }
        while i < footer.count, "+-0123456789:".utf8.contains(footer[i]) { i += 1 }
        return (standard, name())
    }
}
