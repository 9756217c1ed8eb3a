import Foundation

/// One entry of a named `time_intervals` list: Alertmanager's `timeinterval.TimeIntervalSpec`.
///
/// Every field that is set must contain the instant; a nil field matches everything. Ranges
/// are inclusive except `times`, whose end minute is exclusive. Evaluated in `location`
/// (UTC when nil), so DST shifts move the wall-clock window with the zone.
package struct TimeIntervalSpec: Sendable, Hashable {
    /// Minutes since midnight, `start..<end` (`00:00`–`24:00`).
    package struct TimeRange: Sendable, Hashable {
        package var startMinute: Int
        package var endMinute: Int
        package init(startMinute: Int, endMinute: Int) {
            self.startMinute = startMinute
            self.endMinute = endMinute
        }
    }

    /// An inclusive range: weekdays 0 (Sunday)…6, days of month ±1…31 (negative from the
    /// end), months 1…12, years.
    package struct InclusiveRange: Sendable, Hashable {
        package var begin: Int
        package var end: Int
        package init(_ begin: Int, _ end: Int) {
            self.begin = begin
            self.end = end
        }
    }

    package var times: [TimeRange]?
    package var weekdays: [InclusiveRange]?
    package var daysOfMonth: [InclusiveRange]?
    package var months: [InclusiveRange]?
    package var years: [InclusiveRange]?
    /// The IANA zone the other fields are read in; nil is UTC.
    package var location: TimeZone?

    package init(times: [TimeRange]? = nil, weekdays: [InclusiveRange]? = nil, daysOfMonth: [InclusiveRange]? = nil,
                 months: [InclusiveRange]? = nil, years: [InclusiveRange]? = nil, location: TimeZone? = nil) {
        self.times = times
        self.weekdays = weekdays
        self.daysOfMonth = daysOfMonth
        self.months = months
        self.years = years
        self.location = location
    }

    /// True when `date` falls in this interval (Alertmanager's `ContainsTime`).
    package func contains(_ date: Date) -> Bool {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = location ?? TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .weekday], from: date)
        guard let year = parts.year, let month = parts.month, let day = parts.day, let hour = parts.hour,
              let minute = parts.minute, let weekday = parts.weekday else { return false }
        if let times {
            let minuteOfDay = hour * 60 + minute
            guard times.contains(where: { minuteOfDay >= $0.startMinute && minuteOfDay < $0.endMinute }) else { return false }
        }
        if let daysOfMonth {
            let length = calendar.range(of: .day, in: .month, for: date)?.count ?? 31
            let matched = daysOfMonth.contains { range in
                var begin = range.begin < 0 ? length + range.begin + 1 : range.begin
                var end = range.end < 0 ? length + range.end + 1 : range.end
                if begin > length { return false }
                begin = Self.clamp(begin, -length, length)
                end = Self.clamp(end, -length, length)
                return day >= begin && day <= end
            }
            guard matched else { return false }
        }
        if let months {
            guard months.contains(where: { month >= $0.begin && month <= $0.end }) else { return false }
        }
        if let weekdays {
            let goWeekday = weekday - 1  // Foundation: 1 = Sunday; Go: 0 = Sunday.
            guard weekdays.contains(where: { goWeekday >= $0.begin && goWeekday <= $0.end }) else { return false }
        }
        if let years {
            guard years.contains(where: { year >= $0.begin && year <= $0.end }) else { return false }
        }
        return true
    }

    private static func clamp(_ n: Int, _ low: Int, _ high: Int) -> Int { n <= low ? low : (n >= high ? high : n) }
}

/// The named intervals of a config (`time_intervals` and legacy `mute_time_intervals`).
package struct TimeIntervals: Sendable, Hashable {
    package var byName: [String: [TimeIntervalSpec]]

    package init(_ byName: [String: [TimeIntervalSpec]] = [:]) { self.byName = byName }

    /// The names among `names` whose intervals contain `date` (Alertmanager's `Intervener`);
    /// unknown names are skipped (validation has refused them already).
    package func active(_ names: [String], at date: Date) -> [String] {
        names.filter { name in byName[name]?.contains { $0.contains(date) } ?? false }
    }
}
