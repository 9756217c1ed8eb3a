/// Calendar fields of a Unix time in UTC, for `year()`, `month()`, `day_of_month()`, … .
package struct CivilTime: Hashable, Sendable {
    package var year: Int64
    /// 1...12
    package var month: Int64
    /// 1...31
    package var day: Int64
    /// 1...366
    package var dayOfYear: Int64
    /// 0 (Sunday) ... 6
    package var dayOfWeek: Int64
    package var hour: Int64
    package var minute: Int64
    package var daysInMonth: Int64

    /// The UTC calendar time of `seconds` since the epoch (proleptic Gregorian calendar).
    package init(unixSeconds seconds: Int64) {
        let (days, secondOfDay) = Self.floorDivide(seconds, 86_400)
        hour = secondOfDay / 3600
        minute = secondOfDay % 3600 / 60
        dayOfWeek = Self.floorDivide(days + 4, 7).remainder   // 1970-01-01 was a Thursday.
        // Howard Hinnant's days-to-civil algorithm over 400-year eras starting 0000-03-01.
        let z = days + 719_468
        let era = Self.floorDivide(z, 146_097).quotient
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfMarchYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfMarchYear + 2) / 153
        day = dayOfMarchYear - (153 * mp + 2) / 5 + 1
        month = mp < 10 ? mp + 3 : mp - 9
        year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        let cumulative: [Int64] = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334]
        dayOfYear = cumulative[Int(month - 1)] + day + (leap && month > 2 ? 1 : 0)
        let lengths: [Int64] = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        daysInMonth = lengths[Int(month - 1)]
    }

    private static func floorDivide(_ a: Int64, _ b: Int64) -> (quotient: Int64, remainder: Int64) {
        var q = a / b, r = a % b
        if r < 0 { q -= 1; r += b }
        return (q, r)
    }
}

extension InstantKernels {
    /// The date function called `name` (`year`, `month`, `day_of_month`, `day_of_week`,
    /// `day_of_year`, `days_in_month`, `hour`, `minute`) applied to a value in seconds since
    /// the epoch, or `nil` when `name` is not a date function.
    ///
    /// As in Prometheus the seconds are truncated toward zero. Go converts NaN, ±Inf and values
    /// beyond ±2^63 to an undefined integer; Pharos returns NaN for those instead.
    package static func dateFunction(named name: String) -> (@Sendable (Double) -> Double)? {
        let field: @Sendable (CivilTime) -> Int64
        switch name {
        case "year": field = { $0.year }
        case "month": field = { $0.month }
        case "day_of_month": field = { $0.day }
        case "day_of_week": field = { $0.dayOfWeek }
        case "day_of_year": field = { $0.dayOfYear }
        case "days_in_month": field = { $0.daysInMonth }
        case "hour": field = { $0.hour }
        case "minute": field = { $0.minute }
        default: return nil
        }
        return { seconds in
            guard let time = civilTime(seconds) else { return .nan }
            return Double(field(time))
        }
    }

    /// The UTC calendar time of `seconds` (truncated toward zero), or `nil` when not representable.
    package static func civilTime(_ seconds: Double) -> CivilTime? {
        // Keep far from Int64's ends so the day arithmetic cannot overflow.
        guard seconds.isFinite, Swift.abs(seconds) < 9.2e18 else { return nil }
        return CivilTime(unixSeconds: Int64(seconds.rounded(.towardZero)))
    }
}
