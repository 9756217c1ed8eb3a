import PromQL
import Testing

/// Date functions over seconds since the epoch, from functions.test.
@Suite(.timeLimit(.minutes(5))) struct DateKernelsTests {
    @Test(arguments: [
        ("year", 0.0, 1970.0), ("year", 1136239445, 2006),
        ("month", 0, 1), ("month", 1136239445, 1),
        ("day_of_month", 0, 1), ("day_of_month", 1136239445, 2),
        ("day_of_year", 0, 1), ("day_of_year", 1136239445, 2),
        ("day_of_week", 0, 4), ("day_of_week", 1136239445, 1),
        ("hour", 0, 0), ("hour", 1136239445, 22),
        ("minute", 0, 0), ("minute", 1136239445, 4),
        ("year", 1230767999, 2008), ("year", 1230768000, 2009),
        ("month", 1456790399, 2), ("day_of_month", 1456790399, 29),
        ("month", 1456790400, 3), ("day_of_month", 1456790400, 1),
        ("day_of_year", 1483191420, 366), ("day_of_year", 1672493820, 365),
        ("days_in_month", 1454284800, 29), ("days_in_month", 1485907200, 28),
        ("days_in_month", 0, 31), ("days_in_month", 951782400, 29),   // 2000-02-29: divisible by 400
        ("days_in_month", -2206310400, 28),                           // 1900-02-01: divisible by 100
        // Before the epoch, fractions truncate toward zero as Go's int64 conversion does.
        ("year", -1, 1969), ("day_of_week", -1, 3), ("hour", -1, 23), ("minute", -1, 59),
        ("hour", -0.5, 0), ("day_of_year", -1, 365), ("month", -1, 12), ("day_of_month", -1, 31),
        ("year", 1136239445.9, 2006), ("minute", 59.9, 0),
        ("year", 253402300799, 9999), ("year", -62135596800, 1),
        ("year", .nan, .nan), ("hour", .infinity, .nan), ("minute", 1e300, .nan),
    ])
    func dateFunction(_ name: String, _ seconds: Double, _ expected: Double) throws {
        let function = try #require(InstantKernels.dateFunction(named: name))
        #expect(kernelEqual(function(seconds), expected), "\(name)(\(seconds)) = \(function(seconds))")
    }

    @Test(arguments: ["", "time", "week", "abs", "Year"])
    func dateFunctionRejectsOtherNames(_ name: String) {
        #expect(InstantKernels.dateFunction(named: name) == nil)
    }

    @Test func civilTimeAcrossAWholeLeapYear() throws {
        // Every day of 2016 (a leap year) walks day_of_year 1...366 with consistent months.
        var previous: CivilTime?
        for day in 0..<366 {
            let time = try #require(InstantKernels.civilTime(1_451_606_400 + Double(day) * 86_400 + 3_600))
            #expect(time.year == 2016)
            #expect(time.dayOfYear == Int64(day + 1))
            #expect(time.hour == 1)
            if let previous {
                #expect(time.dayOfWeek == (previous.dayOfWeek + 1) % 7)
                #expect(time.day == (previous.day == previous.daysInMonth ? 1 : previous.day + 1))
            }
            previous = time
        }
    }
}
