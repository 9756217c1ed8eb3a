import Alerting
import Foundation
import Logging
import PharosConfig
import PharosCore
import PharosTestSupport
import Testing

/// `maintenance:` windows: decoding with positioned errors, when they are open, what they
/// cover, and that the pipeline mutes the alerts they cover while open (recorded in history).
struct MaintenanceTests {
    static let alertmanagerYAML = """
        route: {receiver: team, group_by: [alertname], group_wait: 0s, group_interval: 1m, repeat_interval: 10m}
        receivers: [{name: team}]
        time_intervals:
          - name: nightly
            time_intervals: [{times: [{start_time: '02:00', end_time: '03:00'}]}]
        """

    static func policies(_ maintenance: String) throws(ConfigError) -> AlertPolicies {
        let config = try parseConfig("maintenance:\n" + maintenance, filename: "pharos.yml")
        return try AlertPolicies.from(config, alertmanager: try AlertmanagerConfig.parse(Self.alertmanagerYAML, file: "am.yml"))
    }

    static let t0 = Date(timeIntervalSince1970: 1_796_688_000)  // 2026-12-08T00:00:00Z

    @Test func oneOffAndRecurringWindows() throws {
        let windows = try Self.policies("""
              - {name: db-upgrade, checks: [db], start: 2026-12-08T01:00:00Z, duration: 2h}
              - {name: nightly-backup, matchers: ['team="payments"'], time_intervals: [nightly]}
            """).maintenance
        #expect(windows.map(\.name) == ["db-upgrade", "nightly-backup"])
        let intervals = try AlertmanagerConfig.parse(Self.alertmanagerYAML, file: "am.yml").namedTimeIntervals
        let once = windows[0], nightly = windows[1]
        #expect(!once.isActive(at: Self.t0.addingTimeInterval(3599), intervals: intervals))
        #expect(once.isActive(at: Self.t0.addingTimeInterval(3600), intervals: intervals))
        #expect(!once.isActive(at: Self.t0.addingTimeInterval(3 * 3600), intervals: intervals))
        #expect(nightly.isActive(at: Self.t0.addingTimeInterval(2.5 * 3600), intervals: intervals))
        #expect(!nightly.isActive(at: Self.t0.addingTimeInterval(3.5 * 3600), intervals: intervals))
        #expect(once.covers(Labels(["check": "db", "instance": "x"])))
        #expect(!once.covers(Labels(["check": "api"])))
        #expect(nightly.covers(Labels(["alertname": "Down", "team": "payments"])))
        #expect(once.nextStart(after: Self.t0, intervals: intervals) == Self.t0.addingTimeInterval(3600))
        #expect(nightly.nextStart(after: Self.t0, intervals: intervals) == Self.t0.addingTimeInterval(2 * 3600))
        #expect(once.nextStart(after: Self.t0.addingTimeInterval(4 * 3600), intervals: intervals) == nil)
    }

    static let broken: [(String, String)] = [
        ("  - {checks: [db], start: 2026-12-08T01:00:00Z, duration: 2h}", "needs a name"),
        ("  - {name: a, start: 2026-12-08T01:00:00Z, duration: 2h}", "needs checks or matchers"),
        ("  - {name: a, checks: [db]}", "needs start and duration, or time_intervals"),
        ("  - {name: a, checks: [db], start: tomorrow, duration: 2h}", "start must be an RFC 3339 time"),
        ("  - {name: a, checks: [db], start: 2026-12-08T01:00:00Z}", "needs a positive duration"),
        ("  - {name: a, checks: [db], time_intervals: [weekly]}", "undefined time interval \"weekly\""),
        ("  - {name: a, checks: [db], time_intervals: [nightly], duration: 1h}", "not both"),
        ("  - {name: a, checks: [db], start: 2026-12-08T01:00:00Z, duration: 2h, mute: true}", "field mute not found"),
        ("  - {name: a, checks: [db], start: 2026-12-08T01:00:00Z, duration: 2h}\n  - {name: a, checks: [x], start: 2026-12-08T01:00:00Z, duration: 1h}", "defined twice"),
    ]

    @Test(arguments: broken) func brokenWindowsAreRefusedNamingTheKey(_ yaml: String, _ message: String) {
        do {
            _ = try Self.policies(yaml + "\n")
            Issue.record("accepted: \(yaml)")
        } catch {
            #expect(error.description.contains(message), "\(error)")
            #expect(error.description.hasPrefix("pharos.yml:"), "\(error)")
        }
    }

    @Test func anOpenWindowMutesTheAlertsItCoversAndTheHistorySaysWhy() throws {
        let clock = ManualClock(nowMilliseconds: Int64(Self.t0.timeIntervalSince1970 * 1000) + 3_600_000 + 60_000)
        var configuration = EmbeddedAlertmanager.Configuration()
        configuration.clock = clock
        let alertmanager = EmbeddedAlertmanager(configuration: configuration, logger: Logger(label: "test"))
        try alertmanager.apply(AlertmanagerConfig.parse(Self.alertmanagerYAML, file: "am.yml"), policies: try Self.policies("""
              - {name: db-upgrade, checks: [db], start: 2026-12-08T01:00:00Z, duration: 2h}
            """))
        let now = clock.now()
        let db = AlertmanagerAlert(labels: Labels(["alertname": "ProbeFailed", "check": "db"]), startsAt: now,
                                   endsAt: now.addingTimeInterval(600), updatedAt: now)
        let api = AlertmanagerAlert(labels: Labels(["alertname": "ProbeFailed", "check": "api"]), startsAt: now,
                                    endsAt: now.addingTimeInterval(600), updatedAt: now)
        let pipeline = try #require(alertmanager.dispatcher?.pipeline)
        #expect(pipeline.unmutedAlerts([db, api], now: now).map(\.labels) == [api.labels])
        #expect(alertmanager.journal.history.query().first { $0.kind == .silenced }?.by == "maintenance:db-upgrade")
        // After the window, nothing is muted.
        #expect(pipeline.unmutedAlerts([db, api], now: now.addingTimeInterval(2 * 3600)).count == 2)
    }
}

extension MaintenanceTests {
    @Test func theSilenceNoticeReceiverIsToldWhenAWindowOpensAndCloses() async throws {
        let start = AlertJournalTests.t0.addingTimeInterval(60)
        let windows = try AlertPolicies.from(
            parseConfig("maintenance:\n  - {name: upgrade, checks: [db], start: '\(ISO8601DateFormatter().string(from: start))', duration: 10m}\n",
                        filename: "pharos.yml"), alertmanager: nil).maintenance
        let f = try AlertJournalTests.Fixture(policies: AlertPolicies(
            silenceNotices: SilenceNoticeConfig(receiver: "chat", beforeExpiry: 600), maintenance: windows))
        f.at(0.5)
        await f.alertmanager.followUp()
        #expect(f.notifiers["chat"]!.calls.isEmpty)
        f.at(2)
        await f.alertmanager.followUp()
        f.at(3)
        await f.alertmanager.followUp()
        f.at(12)
        await f.alertmanager.followUp()
        f.at(13)
        await f.alertmanager.followUp()
        let calls = f.notifiers["chat"]!.calls
        #expect(calls.map { $0[0].labels.value(of: "alertname") } == ["MaintenanceStarted", "MaintenanceEnded"])
        #expect(calls.first?[0].labels.value(of: "maintenance") == "upgrade")
        #expect(calls.first?[0].annotations.value(of: "summary") == "Maintenance upgrade started: checks db are muted")
    }
}
