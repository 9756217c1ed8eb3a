import Alerting
import Foundation
import PharosConfig
import Testing

@Suite struct TimeIntervalTests {
    static func interval(_ yaml: String) throws -> TimeIntervalSpec {
        let text = """
        route: {receiver: x}
        receivers: [{name: x}]
        time_intervals:
          - name: t
            time_intervals:
              - \(yaml)
        """
        return try #require(try AlertmanagerConfig.parse(text, file: "t.yml").timeIntervals.first?.intervals.first)
    }

    static func date(_ text: String) -> Date {
        try! Date(text, strategy: .iso8601)
    }

    @Test func timesAreHalfOpen() throws {
        let ti = try Self.interval("{times: [{start_time: '09:00', end_time: '17:00'}]}")
        #expect(!ti.contains(Self.date("2024-03-04T08:59:59Z")))
        #expect(ti.contains(Self.date("2024-03-04T09:00:00Z")))
        #expect(ti.contains(Self.date("2024-03-04T16:59:59Z")))
        #expect(!ti.contains(Self.date("2024-03-04T17:00:00Z")))
        let allDay = try Self.interval("{times: [{start_time: '00:00', end_time: '24:00'}]}")
        #expect(allDay.contains(Self.date("2024-03-04T23:59:00Z")))
    }

    @Test func weekdaysMonthsYears() throws {
        let ti = try Self.interval("{weekdays: ['Monday:Friday'], months: ['march', '12'], years: ['2024:2025']}")
        #expect(ti.contains(Self.date("2024-03-04T12:00:00Z")))  // Monday
        #expect(!ti.contains(Self.date("2024-03-03T12:00:00Z"))) // Sunday
        #expect(!ti.contains(Self.date("2024-04-01T12:00:00Z"))) // April
        #expect(ti.contains(Self.date("2025-12-01T12:00:00Z")))
        #expect(!ti.contains(Self.date("2026-03-02T12:00:00Z"))) // 2026
    }

    @Test func negativeDaysOfMonthCountFromTheEnd() throws {
        let lastDay = try Self.interval("{days_of_month: ['-1']}")
        #expect(lastDay.contains(Self.date("2024-02-29T10:00:00Z")))
        #expect(!lastDay.contains(Self.date("2023-02-28T10:00:00Z").addingTimeInterval(-86_400)))
        #expect(lastDay.contains(Self.date("2023-02-28T10:00:00Z")))
        #expect(lastDay.contains(Self.date("2024-04-30T10:00:00Z")))
        let lastWeek = try Self.interval("{days_of_month: ['-7:-1']}")
        #expect(lastWeek.contains(Self.date("2024-01-25T00:00:00Z")))
        #expect(!lastWeek.contains(Self.date("2024-01-24T23:59:00Z")))
        let firstDays = try Self.interval("{days_of_month: ['1:5', '31']}")
        #expect(firstDays.contains(Self.date("2024-01-05T00:00:00Z")))
        #expect(!firstDays.contains(Self.date("2024-01-06T00:00:00Z")))
        #expect(firstDays.contains(Self.date("2024-01-31T00:00:00Z")))
    }

    @Test func locationShiftsTheWindowAcrossDST() throws {
        let ti = try Self.interval("{times: [{start_time: '09:00', end_time: '17:00'}], weekdays: [monday], location: Europe/Berlin}")
        // Winter: Berlin is UTC+1, 09:00 local = 08:00Z.
        #expect(ti.contains(Self.date("2024-03-25T07:30:00Z")) == false)
        #expect(ti.contains(Self.date("2024-03-18T08:00:00Z")))
        #expect(!ti.contains(Self.date("2024-03-18T07:59:00Z")))
        // Summer (after 2024-03-31): UTC+2, 09:00 local = 07:00Z.
        #expect(ti.contains(Self.date("2024-04-01T07:00:00Z")))
        #expect(!ti.contains(Self.date("2024-04-01T06:59:00Z")))
        #expect(!ti.contains(Self.date("2024-04-01T15:00:00Z")))
        // The weekday is the local one: Sunday 23:30Z is Monday 01:30 in Berlin, outside 09-17.
        let mondays = try Self.interval("{weekdays: [monday], location: Europe/Berlin}")
        #expect(mondays.contains(Self.date("2024-03-31T23:30:00Z")))
        #expect(!mondays.contains(Self.date("2024-03-31T21:30:00Z")))
    }

    @Test func dstGapAndNegativeDaysInAZone() throws {
        // New York springs forward on 2024-03-10 at 02:00 → 03:00.
        let ti = try Self.interval("{times: [{start_time: '02:00', end_time: '03:00'}], location: America/New_York}")
        #expect(!ti.contains(Self.date("2024-03-10T07:30:00Z")))  // 03:30 EDT
        #expect(ti.contains(Self.date("2024-03-11T06:30:00Z")))   // 02:30 EDT
        let lastDay = try Self.interval("{days_of_month: ['-1'], location: Australia/Sydney}")
        #expect(lastDay.contains(Self.date("2024-03-30T14:00:00Z")))  // 2024-03-31 01:00 in Sydney
        #expect(!lastDay.contains(Self.date("2024-03-30T12:00:00Z"))) // 2024-03-30 23:00 in Sydney
    }

    @Test func rangeErrors() {
        let cases: [(String, String)] = [
            ("{weekdays: ['friday:monday']}", "start day cannot be before end day"),
            ("{days_of_month: ['0']}", "0 is not a valid day of the month: out of range"),
            ("{days_of_month: ['-3:5']}", "end day must be negative if start day is negative"),
            ("{days_of_month: ['10:2']}", "end day 2 is always before start day 10"),
            ("{months: ['june:may']}", "end month may is before start month june"),
            ("{months: ['smarch']}", "smarch is not a valid month"),
            ("{years: ['2025:2020']}", "end year 2020 is before start year 2025"),
            ("{times: [{start_time: '9:00', end_time: '10:00'}]}", "couldn't parse timestamp 9:00, invalid format"),
            ("{times: [{start_time: '09:00'}]}", "both start and end times must be provided"),
            ("{weekdays: ['mon:tue:wed']}", "couldn't parse range mon:tue:wed, invalid format"),
            ("{hours: [1]}", "field hours not found in type timeinterval.TimeIntervalSpec"),
        ]
        for (yaml, want) in cases {
            do {
                _ = try Self.interval(yaml)
                Issue.record("\(yaml) loaded; want \(want)")
            } catch {
                #expect("\(error)".contains(want), "\(yaml): \(error)")
            }
        }
    }

    @Test func intervener() throws {
        let config = try AlertmanagerConfig.parse("""
        route: {receiver: x}
        receivers: [{name: x}]
        time_intervals:
          - name: weekend
            time_intervals: [{weekdays: ['saturday', 'sunday']}]
          - name: never
            time_intervals: [{years: ['1999']}]
        """, file: "t.yml")
        let saturday = Self.date("2024-03-02T12:00:00Z")
        #expect(config.namedTimeIntervals.active(["weekend", "never"], at: saturday) == ["weekend"])
        #expect(config.namedTimeIntervals.active(["weekend"], at: Self.date("2024-03-04T12:00:00Z")).isEmpty)
    }
}
