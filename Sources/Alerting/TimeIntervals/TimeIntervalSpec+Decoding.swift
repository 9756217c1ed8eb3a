import Foundation
import PharosConfig
import PharosCore

extension NamedTimeInterval {
    /// `{name, time_intervals: […]}`; `kind` names the list in messages.
    static func decode(_ cursor: ConfigCursor, kind: String) throws(ConfigError) -> NamedTimeInterval {
        let fields = try cursor.mapping("config.plain")
        let name = try fields.string("name") ?? ""
        var intervals: [TimeIntervalSpec] = []
        for item in try fields.take("time_intervals")?.sequence() ?? [] { intervals.append(try TimeIntervalSpec.decode(item)) }
        try fields.finish()
        if name.isEmpty { throw cursor.fail(.invalidConfig, "missing name in \(kind)") }
        return NamedTimeInterval(name: name, intervals: intervals)
    }
}

extension TimeIntervalSpec {
    static let weekdayNames = ["sunday": 0, "monday": 1, "tuesday": 2, "wednesday": 3, "thursday": 4, "friday": 5, "saturday": 6]
    static let monthNames = ["january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
                             "august": 8, "september": 9, "october": 10, "november": 11, "december": 12]

    /// Decodes one interval with Alertmanager's checks and messages (`timeinterval.go`).
    package static func decode(_ cursor: ConfigCursor) throws(ConfigError) -> TimeIntervalSpec {
        let fields = try cursor.mapping("timeinterval.TimeIntervalSpec")
        var interval = TimeIntervalSpec()
        if let node = fields.take("times") {
            var ranges: [TimeRange] = []
            for item in try node.sequence() { ranges.append(try decodeTimeRange(item)) }
            interval.times = ranges
        }
        if let node = fields.take("weekdays") {
            interval.weekdays = try rangeList(node) { text, item throws(ConfigError) in
                let range = try parseRange(text, at: item) { part in weekdayNames[part].map { .success($0) } ?? .failure("\(part) is not a valid weekday") }
                if range.begin > range.end { throw item.fail("start day cannot be before end day") }
                return range
            }
        }
        if let node = fields.take("days_of_month") {
            interval.daysOfMonth = try rangeList(node) { text, item throws(ConfigError) in
                let range = try parseRange(text, at: item, member: integer)
                for value in [range.begin, range.end] where value == 0 || value < -31 || value > 31 {
                    throw item.fail("\(value) is not a valid day of the month: out of range")
                }
                if range.begin < 0, range.end > 0 { throw item.fail("end day must be negative if start day is negative") }
                let checkBegin = range.begin < 0 ? 28 + range.begin : range.begin
                let checkEnd = range.end < 0 ? 28 + range.end : range.end
                if checkBegin > checkEnd { throw item.fail("end day \(range.end) is always before start day \(range.begin)") }
                return range
            }
        }
        if let node = fields.take("months") {
            interval.months = try rangeList(node) { text, item throws(ConfigError) in
                let range = try parseRange(text, at: item) { part in
                    if let month = monthNames[part] { return .success(month) }
                    return Int(part).map { .success($0) } ?? .failure("\(part) is not a valid month")
                }
                if range.begin > range.end {
                    let names = Dictionary(uniqueKeysWithValues: monthNames.map { ($1, $0) })
                    throw item.fail("end month \(names[range.end] ?? "") is before start month \(names[range.begin] ?? "")")
                }
                return range
            }
        }
        if let node = fields.take("years") {
            interval.years = try rangeList(node) { text, item throws(ConfigError) in
                let range = try parseRange(text, at: item, member: integer)
                if range.begin > range.end { throw item.fail("end year \(range.end) is before start year \(range.begin)") }
                return range
            }
        }
        if let node = fields.take("location") {
            let name = try node.string()
            // Go's LoadLocation: "" and "UTC" are UTC, "Local" the machine's zone.
            let zone: TimeZone? = switch name {
            case "", "UTC": TimeZone(identifier: "UTC")
            case "Local": TimeZone.current
            default: zoneFileExists(name) ? TimeZone(identifier: name) : nil
            }
            guard let zone else {
                let folder = "/usr/share/zoneinfo/" + name
                var isDirectory: ObjCBool = false
                let directory = !name.isEmpty && FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory) && isDirectory.boolValue
                throw node.fail("unknown time zone \(name)" + (directory ? ": is a directory" : ""))
            }
            interval.location = zone
        }
        try fields.finish()
        return interval
    }

    /// Go's `LoadLocation` reads the zone database's files, so names Foundation also
    /// understands (`GMT+5`) but that have no file are refused; without a database on the
    /// machine, Foundation decides.
    static func zoneFileExists(_ name: String) -> Bool {
        let root = "/usr/share/zoneinfo"
        guard FileManager.default.fileExists(atPath: root) else { return true }
        if name.hasPrefix("/") || name.contains("..") { return false }
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: root + "/" + name, isDirectory: &isDirectory) && !isDirectory.boolValue
    }

    private static func integer(_ part: String) -> Result<Int, RangeMessage> {
        Int(part).map { .success($0) } ?? .failure(RangeMessage("strconv.Atoi: parsing \(goQuote(part)): invalid syntax"))
    }

    struct RangeMessage: Error, ExpressibleByStringLiteral, ExpressibleByStringInterpolation {
        var text: String
        init(_ text: String) { self.text = text }
        init(stringLiteral value: String) { text = value }
    }

    private static func rangeList(
        _ node: ConfigCursor, _ parse: (String, ConfigCursor) throws(ConfigError) -> InclusiveRange
    ) throws(ConfigError) -> [InclusiveRange] {
        var out: [InclusiveRange] = []
        for item in try node.sequence() { out.append(try parse(try item.string(), item)) }
        return out
    }

    /// `a` or `a:b`, case-insensitive (`stringableRangeFromString`).
    private static func parseRange(
        _ text: String, at item: ConfigCursor, member: (String) -> Result<Int, RangeMessage>
    ) throws(ConfigError) -> InclusiveRange {
        let lowered = text.lowercased()
        let parts = lowered.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        if parts.count > 2 { throw item.fail("couldn't parse range \(lowered), invalid format") }
        var values: [Int] = []
        for part in parts {
            switch member(part) {
            case .success(let value): values.append(value)
            case .failure(let message): throw item.fail(message.text)
            }
        }
        return InclusiveRange(values[0], values.count == 2 ? values[1] : values[0])
    }

    private static func decodeTimeRange(_ cursor: ConfigCursor) throws(ConfigError) -> TimeRange {
        let fields = try cursor.mapping("timeinterval.yamlTimeRange")
        let start = try fields.string("start_time") ?? ""
        let end = try fields.string("end_time") ?? ""
        try fields.finish()
        if start.isEmpty || end.isEmpty { throw cursor.fail("both start and end times must be provided") }
        let startMinute = try parseClock(start, at: cursor)
        let endMinute = try parseClock(end, at: cursor)
        if startMinute >= endMinute { throw cursor.fail("start time cannot be equal or greater than end time") }
        return TimeRange(startMinute: startMinute, endMinute: endMinute)
    }

    /// `HH:MM` from 00:00 to 23:59, or `24:00`.
    private static func parseClock(_ text: String, at cursor: ConfigCursor) throws(ConfigError) -> Int {
        let bytes = Array(text.utf8)
        let invalid = cursor.fail("couldn't parse timestamp \(text), invalid format")
        if text == "24:00" { return 24 * 60 }
        guard bytes.count == 5, bytes[2] == UInt8(ascii: ":"),
              let hours = Int(String(text.prefix(2))), let minutes = Int(String(text.suffix(2))),
              bytes[0] >= 48, bytes[0] <= 50, hours <= 23, bytes[3] >= 48, bytes[3] <= 53, minutes <= 59,
              bytes[1] >= 48, bytes[1] <= 57, bytes[4] >= 48, bytes[4] <= 57
        else { throw invalid }
        return hours * 60 + minutes
    }
}
