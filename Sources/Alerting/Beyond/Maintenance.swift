import Foundation
import PharosConfig
import PharosCore

/// One entry of `maintenance:` (CONFIG.md): while it is active, the alerts of its checks (or of
/// the alerts its matchers select) are muted as by a silence, and the checks' uptime leaves
/// that time out.
package struct MaintenanceWindow: Sendable, Hashable {
    /// When the window is open.
    package enum Schedule: Sendable, Hashable {
        /// Once: `[start, start + duration)`.
        case once(start: Date, duration: TimeInterval)
        /// Whenever one of the Alertmanager config's named time intervals is.
        case recurring([String])
    }

    package var name: String
    /// Names of `probes.checks`; an alert belongs to a check by its `check` label.
    package var checks: [String]
    package var matchers: [LabelMatcher]
    package var schedule: Schedule

    /// Whether the window is open at `date`.
    package func isActive(at date: Date, intervals: TimeIntervals) -> Bool {
        switch schedule {
        case .once(let start, let duration): start <= date && date < start.addingTimeInterval(duration)
        case .recurring(let names): !intervals.active(names, at: date).isEmpty
        }
    }

    /// Whether an alert (or a check's series) with `labels` is covered.
    package func covers(_ labels: Labels) -> Bool {
        if !checks.isEmpty {
            guard let check = labels.value(of: "check"), checks.contains(check) else { return false }
        }
        return matchers.allSatisfy { $0.matches(labels.value(of: $0.name) ?? "") }
    }

    /// The next opening after `date` (itself when open), looked for minute by minute up to
    /// `horizon` ahead for recurring windows; nil when none.
    package func nextStart(after date: Date, intervals: TimeIntervals, horizon: TimeInterval = 7 * 86_400) -> Date? {
        switch schedule {
        case .once(let start, let duration):
            return start.addingTimeInterval(duration) > date ? max(start, date) : nil
        case .recurring:
            if isActive(at: date, intervals: intervals) { return date }
            var minute = (date.timeIntervalSince1970 / 60).rounded(.up) * 60
            let end = date.timeIntervalSince1970 + horizon
            while minute <= end {
                let candidate = Date(timeIntervalSince1970: minute)
                if isActive(at: candidate, intervals: intervals) { return candidate }
                minute += 60
            }
            return nil
        }
    }
}

extension MaintenanceWindow {
    /// Episode ids in the silence-notice log start so: `maintenance/<name>/<opened, unix s>`.
    package static let episodePrefix = "maintenance/"

    /// When the current opening began (nil when closed): the start of a one-off window, or the
    /// first minute of the recurring interval's current run (looked for up to a week back).
    package func openedAt(_ date: Date, intervals: TimeIntervals) -> Date? {
        guard isActive(at: date, intervals: intervals) else { return nil }
        switch schedule {
        case .once(let start, _): return start
        case .recurring:
            var minute = (date.timeIntervalSince1970 / 60).rounded(.down) * 60
            let limit = date.timeIntervalSince1970 - 7 * 86_400
            while minute - 60 >= limit, isActive(at: Date(timeIntervalSince1970: minute - 60), intervals: intervals) { minute -= 60 }
            return Date(timeIntervalSince1970: minute)
        }
    }

    func episodeID(openedAt: Date) -> String { Self.episodePrefix + name + "/" + String(Int64(openedAt.timeIntervalSince1970)) }

    /// The notice's alert (`MaintenanceStarted` or `MaintenanceEnded`, label `maintenance`).
    func noticeAlert(started: Bool, openedAt: Date, now: Date) -> AlertmanagerAlert {
        let scope = (checks.isEmpty ? [] : ["checks " + checks.joined(separator: ", ")])
            + (matchers.isEmpty ? [] : ["alerts matching {" + matchers.map(\.description).joined(separator: ", ") + "}"])
        let labels = Labels([
            Label(name: "alertname", value: started ? "MaintenanceStarted" : "MaintenanceEnded"),
            Label(name: "maintenance", value: name),
        ])
        let summary = "Maintenance \(name) \(started ? "started" : "ended"): \(scope.joined(separator: " and ")) \(started ? "are" : "are no longer") muted"
        return AlertmanagerAlert(labels: labels, annotations: Labels([Label(name: "summary", value: summary)]),
                                 startsAt: openedAt, endsAt: started ? now.addingTimeInterval(3600) : now, updatedAt: now)
    }
}

extension [MaintenanceWindow] {
    /// The names of the windows open at `date` that cover `labels`.
    package func covering(_ labels: Labels, at date: Date, intervals: TimeIntervals) -> [String] {
        filter { $0.isActive(at: date, intervals: intervals) && $0.covers(labels) }.map(\.name)
    }
}

extension MaintenanceWindow {
    /// Decodes `maintenance:`; `timeIntervals` are the Alertmanager config's names (recurring
    /// windows must name them).
    static func decodeAll(_ cursor: ConfigCursor, timeIntervals: Set<String>, hasAlertmanager: Bool) throws(ConfigError) -> [MaintenanceWindow] {
        var windows: [MaintenanceWindow] = []
        var names: Set<String> = []
        for item in try cursor.sequence() {
            let fields = try item.mapping("maintenance window")
            guard let nameCursor = fields.take("name"), let name = try? nameCursor.string(), !name.isEmpty else {
                throw item.fail("a maintenance window needs a name")
            }
            guard names.insert(name).inserted else { throw nameCursor.fail("maintenance window \(goQuote(name)) is defined twice") }
            let checks = try fields.stringList("checks") ?? []
            let matchers = try fields.take("matchers")?.matcherList(.fallback) ?? []
            if checks.isEmpty, matchers.isEmpty {
                throw item.fail("maintenance window \(goQuote(name)) needs checks or matchers")
            }
            let startCursor = fields.take("start"), duration = try fields.duration("duration")
            let intervalsCursor = fields.take("time_intervals")
            let schedule: Schedule
            if let intervalsCursor {
                guard startCursor == nil, duration == nil else {
                    throw item.fail("maintenance window \(goQuote(name)) takes start and duration, or time_intervals, not both")
                }
                let listed = try intervalsCursor.stringList()
                guard !listed.isEmpty else { throw intervalsCursor.fail("time_intervals is empty") }
                guard hasAlertmanager else {
                    throw intervalsCursor.fail("time_intervals name intervals of the alertmanager: section, which is absent")
                }
                for interval in listed where !timeIntervals.contains(interval) {
                    throw intervalsCursor.fail("undefined time interval \(goQuote(interval)) (not in the alertmanager config's time_intervals)")
                }
                schedule = .recurring(listed)
            } else {
                guard let startCursor else { throw item.fail("maintenance window \(goQuote(name)) needs start and duration, or time_intervals") }
                let text = try startCursor.string()
                guard let start = AlertmanagerTime.parse(text) else {
                    throw startCursor.fail("start must be an RFC 3339 time (2026-12-01T02:00:00Z), got \(goQuote(text))")
                }
                guard let duration, duration.milliseconds > 0 else {
                    throw item.fail("maintenance window \(goQuote(name)) needs a positive duration")
                }
                schedule = .once(start: start, duration: TimeInterval(duration.milliseconds) / 1000)
            }
            try fields.finish()
            windows.append(MaintenanceWindow(name: name, checks: checks, matchers: matchers, schedule: schedule))
        }
        return windows
    }
}
