import Alerting
import Foundation
import Logging
import PharosConfig
import PharosCore
import PharosTestSupport
import Testing

/// Acks, escalations, the history and silence notices, driven through the embedded
/// Alertmanager's own pipeline with a manual clock (no sleeping, no `run()` loop).
struct AlertJournalTests {
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)
    static let yaml = """
        route:
          receiver: team
          group_by: [alertname]
          group_wait: 0s
          group_interval: 1m
          repeat_interval: 10m
        receivers:
          - name: team
          - name: secondary
          - name: manager
          - name: chat
        """

    /// An Alertmanager whose receivers are `ScriptedNotifier`s, one per receiver name.
    struct Fixture {
        let clock: ManualClock
        let alertmanager: EmbeddedAlertmanager
        let notifiers: [String: ScriptedNotifier]

        init(policies: AlertPolicies, dataDirectory: String? = nil, start: Date = AlertJournalTests.t0) throws {
            clock = ManualClock(nowMilliseconds: Int64(start.timeIntervalSince1970 * 1000))
            var notifiers: [String: ScriptedNotifier] = [:]
            for name in ["team", "secondary", "manager", "chat"] { notifiers[name] = ScriptedNotifier() }
            let captured = notifiers
            var configuration = EmbeddedAlertmanager.Configuration()
            configuration.clock = clock
            configuration.dataDirectory = dataDirectory
            configuration.makeIntegrations = IntegrationFactory { receiver, _ in
                [ReceiverIntegration(notifier: captured[receiver.name]!, index: 0)]
            }
            alertmanager = EmbeddedAlertmanager(configuration: configuration, logger: Logger(label: "test"))
            try alertmanager.apply(AlertmanagerConfig.parse(AlertJournalTests.yaml, file: "am.yml"), policies: policies)
            self.notifiers = notifiers
        }

        func at(_ minutes: Double) {
            clock.advance(toMilliseconds: Int64((AlertJournalTests.t0.timeIntervalSince1970 + minutes * 60) * 1000))
        }

        var now: Date { clock.now() }

        /// One flush of every current group, as the group loops would do it.
        func flush() async {
            guard let dispatcher = alertmanager.dispatcher else { return }
            for group in dispatcher.currentGroups {
                let flushed = FlushedGroup(groupKey: group.groupKey, groupLabels: group.groupLabels, options: group.route.options)
                _ = await dispatcher.pipeline.run(flushed, alerts: group.alerts)
            }
        }

        func post(_ instance: String, severity: String = "critical", endsIn: TimeInterval = 3600) {
            alertmanager.receive([AlertmanagerAlert(
                labels: Labels(["alertname": "Down", "instance": instance, "severity": severity]),
                annotations: Labels(["summary": "\(instance) is down", "runbook_url": "https://runbooks/down"]),
                startsAt: now, endsAt: now.addingTimeInterval(endsIn), updatedAt: now)])
        }

        func resolve(_ instance: String, severity: String = "critical") {
            alertmanager.receive([AlertmanagerAlert(
                labels: Labels(["alertname": "Down", "instance": instance, "severity": severity]),
                startsAt: AlertJournalTests.t0, endsAt: now, updatedAt: now)])
        }

        func calls(_ receiver: String) -> Int { notifiers[receiver]!.callCount }
        func kinds() -> [HistoryEntry.Kind] { alertmanager.journal.history.query().reversed().map(\.kind) }
    }

    static let criticalPages = EscalationPolicy(
        name: "critical-pages", matchers: [try! LabelMatcher(.equal, "severity", "critical")],
        steps: [.init(after: 45 * 60, receiver: "manager"), .init(after: 15 * 60, receiver: "secondary")])

    @Test func unacknowledgedGroupEscalatesStepByStepFromItsFirstNotification() async throws {
        let f = try Fixture(policies: AlertPolicies(escalations: [Self.criticalPages]))
        f.post("a")
        await f.flush()
        #expect(f.calls("team") == 1)
        f.at(10)
        await f.alertmanager.followUp()
        #expect(f.calls("secondary") == 0)
        f.at(15)
        await f.alertmanager.followUp()
        #expect(f.calls("secondary") == 1)
        #expect(f.notifiers["secondary"]!.calls[0].map { $0.labels.value(of: "instance") } == ["a"])
        f.at(16)
        await f.alertmanager.followUp()
        #expect(f.calls("secondary") == 1)
        #expect(f.calls("manager") == 0)
        f.at(45)
        await f.alertmanager.followUp()
        #expect(f.calls("manager") == 1)
        f.at(120)
        await f.alertmanager.followUp()
        #expect(f.calls("secondary") == 1 && f.calls("manager") == 1)
        let escalations = f.alertmanager.journal.history.query().filter { $0.kind == .escalation }
        #expect(escalations.map(\.receiver) == ["manager", "secondary"])
        #expect(escalations.last?.comment.contains("critical-pages step 1 (after 15m)") == true)
        #expect(escalations.last?.groupKey == "{}:{alertname=\"Down\"}")
    }

    @Test func uncoveredOrResolvedGroupDoesNotEscalate() async throws {
        let f = try Fixture(policies: AlertPolicies(escalations: [Self.criticalPages]))
        f.post("w", severity: "warning")
        await f.flush()
        f.at(20)
        await f.alertmanager.followUp()
        #expect(f.calls("secondary") == 0)
        // A covered group that resolves before the step ends its episode.
        f.post("a")
        await f.flush()
        f.at(21)
        f.resolve("a")
        f.resolve("w", severity: "warning")
        await f.flush()
        f.at(40)
        await f.alertmanager.followUp()
        #expect(f.calls("secondary") == 0)
        #expect(f.alertmanager.journal.escalations.episodes.isEmpty)
    }

    @Test func ackStopsRepeatsAndEscalationUntilANewAlertJoinsAndResolutionIsStillSent() async throws {
        let f = try Fixture(policies: AlertPolicies(escalations: [Self.criticalPages]))
        f.post("a", endsIn: 7200)
        await f.flush()
        #expect(f.calls("team") == 1)
        f.at(5)
        let groupKey = "{}:{alertname=\"Down\"}"
        let ack = try f.alertmanager.acknowledge(groupKey: groupKey, matchers: [], by: "alice", comment: "on it")
        #expect(ack.covered.count == 1)
        // repeat_interval (10m) passes: no repeat while acknowledged; no escalation either.
        f.at(30)
        await f.flush()
        await f.alertmanager.followUp()
        #expect(f.calls("team") == 1)
        #expect(f.calls("secondary") == 0)
        // A new alert joins: the group is notified and escalates again.
        f.at(50)
        f.post("b", endsIn: 7200)
        await f.flush()
        #expect(f.calls("team") == 2)
        await f.alertmanager.followUp()
        #expect(f.calls("secondary") == 1 && f.calls("manager") == 1)
        // Ack again, then everything resolves: the resolution goes out.
        _ = try f.alertmanager.acknowledge(groupKey: groupKey, matchers: [], by: "alice", comment: "still on it")
        f.at(55)
        f.resolve("a")
        f.resolve("b")
        await f.flush()
        #expect(f.calls("team") == 3)
        #expect(f.notifiers["team"]!.calls[2].allSatisfy { $0.isResolved(at: f.now) })
        // Both acks covered only resolved alerts: retired.
        #expect(f.alertmanager.journal.acks.all.isEmpty)
        let kinds = f.kinds()
        #expect(kinds.filter { $0 == .ack }.count == 2)
        #expect(kinds.filter { $0 == .firing }.count == 2)
        #expect(kinds.filter { $0 == .resolved }.count == 2)
        #expect(kinds.filter { $0 == .notification }.count == 3)
        let ackEntry = f.alertmanager.journal.history.query().first { $0.kind == .ack }
        #expect(ackEntry?.by == "alice")
    }

    @Test func ackByMatchersCoversMatchingFiringAlertsAndCanBeWithdrawn() async throws {
        let f = try Fixture(policies: AlertPolicies())
        f.post("a")
        f.post("b")
        await f.flush()
        #expect(throws: AckError.self) {
            try f.alertmanager.acknowledge(groupKey: nil, matchers: [SilenceMatcher(name: "instance", value: "zzz", isRegex: false)],
                                           by: "bob", comment: "")
        }
        #expect(throws: AckError.self) {
            try f.alertmanager.acknowledge(groupKey: "{}:{alertname=\"Nope\"}", matchers: [], by: "bob", comment: "")
        }
        let partial = try f.alertmanager.acknowledge(groupKey: nil, matchers: [SilenceMatcher(name: "instance", value: "a", isRegex: false)],
                                                     by: "bob", comment: "")
        let acks = f.alertmanager.journal.acks
        let group = f.alertmanager.dispatcher!.currentGroups[0]
        let firing = Set(group.alerts.map(\.fingerprint.raw))
        // Only one of the two firing alerts is covered: the group is not acknowledged.
        #expect(!acks.isAcknowledged(groupKey: group.groupKey, firing: firing))
        let rest = try f.alertmanager.acknowledge(groupKey: nil, matchers: [SilenceMatcher(name: "instance", value: "a|b", isRegex: true)],
                                                  by: "bob", comment: "")
        #expect(acks.isAcknowledged(groupKey: group.groupKey, firing: firing))
        #expect(f.alertmanager.withdrawAck(rest.id))
        #expect(!f.alertmanager.withdrawAck(rest.id))
        #expect(!acks.isAcknowledged(groupKey: group.groupKey, firing: firing))
        #expect(acks.all.map(\.id) == [partial.id])
    }

    @Test func mutedAlertsAreRecordedOncePerEpisode() async throws {
        let f = try Fixture(policies: AlertPolicies())
        let id = try f.alertmanager.setSilence(Silence(
            matchers: [SilenceMatcher(name: "instance", value: "a", isRegex: false)], startsAt: f.now,
            endsAt: f.now.addingTimeInterval(1800), createdBy: "carol", comment: "maintenance"))
        f.post("a")
        await f.flush()
        f.at(2)
        await f.flush()
        #expect(f.calls("team") == 0)
        let silenced = f.alertmanager.journal.history.query(matchers: [try LabelMatcher(.equal, "instance", "a")])
            .filter { $0.kind == .silenced }
        // One for the silence itself (its equality matchers as labels), one for the alert muted.
        #expect(silenced.count == 2)
        #expect(silenced.contains { $0.by == id && $0.labels["alertname"] == "Down" })
        try f.alertmanager.expireSilence(id)
        f.at(3)
        await f.flush()
        #expect(f.calls("team") == 1)
    }

    @Test func historyIsFilteredByMatcherAndTimeNewestFirstAndPersisted() async throws {
        let directory = try TemporaryDirectory()
        do {
            let f = try Fixture(policies: AlertPolicies(), dataDirectory: directory.path)
            f.post("a")
            f.at(1)
            f.post("b")
            await f.flush()
            f.at(2)
            f.resolve("a")
            await f.flush()
        }
        let f = try Fixture(policies: AlertPolicies(), dataDirectory: directory.path, start: Self.t0.addingTimeInterval(600))
        let history = f.alertmanager.journal.history
        let forA = history.query(matchers: [try LabelMatcher(.equal, "instance", "a")])
        #expect(forA.map(\.kind) == [.resolved, .firing])
        let firing = history.query().filter { $0.kind == .firing }
        #expect(firing.map { $0.labels["instance"] } == ["b", "a"])
        #expect(history.query(start: Self.t0.addingTimeInterval(90)).allSatisfy { $0.time >= Self.t0.addingTimeInterval(90) })
        #expect(history.query(limit: 2).count == 2)
        // b is still firing after the restart: re-posting it starts no new episode.
        f.post("b")
        #expect(history.query().filter { $0.kind == .firing }.count == 2)
        // Retention: everything older than 30 days goes.
        f.at(31 * 24 * 60)
        f.alertmanager.collectGarbage()
        #expect(history.count == 0)
    }

    @Test func silenceNoticesTellTheReceiverOfStartExpiryAndEnd() async throws {
        let f = try Fixture(policies: AlertPolicies(silenceNotices: SilenceNoticeConfig(receiver: "chat", beforeExpiry: 600)))
        let id = try f.alertmanager.setSilence(Silence(
            matchers: [SilenceMatcher(name: "alertname", value: "Down", isRegex: false)], startsAt: f.now,
            endsAt: f.now.addingTimeInterval(3600), createdBy: "dave", comment: "deploy"))
        await f.alertmanager.followUp()
        f.at(1)
        await f.alertmanager.followUp()
        #expect(f.calls("chat") == 1)
        f.at(50)
        await f.alertmanager.followUp()
        #expect(f.calls("chat") == 2)
        f.at(61)
        await f.alertmanager.followUp()
        f.at(62)
        await f.alertmanager.followUp()
        let calls = f.notifiers["chat"]!.calls
        #expect(calls.map { $0[0].labels.value(of: "alertname") } == ["SilenceStarted", "SilenceExpiring", "SilenceEnded"])
        #expect(calls.allSatisfy { $0[0].labels.value(of: "silence_id") == id })
        #expect(calls[2][0].isResolved(at: f.now))
        #expect(calls[0][0].annotations.value(of: "summary")?.contains("dave") == true)
    }

    @Test func silenceNoticeStateMachine() {
        let silence = Silence(id: "s", matchers: [], startsAt: Self.t0, endsAt: Self.t0.addingTimeInterval(3600), createdBy: "", comment: "")
        func due(_ sent: Set<SilenceNotice.Kind>, _ minutes: Double) -> SilenceNotice.Kind? {
            SilenceNotice.due(for: silence, sent: sent, beforeExpiry: 600, now: Self.t0.addingTimeInterval(minutes * 60))
        }
        #expect(due([], -1) == nil)
        #expect(due([], 0) == .started)
        #expect(due([.started], 10) == nil)
        #expect(due([.started], 50) == .expiring)
        #expect(due([.started], 70) == .ended)
        #expect(due([.started, .expiring, .ended], 70) == nil)
        // Never noticed as started (it ended while Pharos was down): no end notice either.
        #expect(due([], 70) == nil)
    }

    @Test func escalationStateIsPureAndReplaysFromItsRecords() {
        var state = EscalationState()
        let policy = Self.criticalPages
        #expect(state.due("g", policy: policy, now: Self.t0) == [])
        let started = state.notified("g", at: Self.t0)
        #expect(started != nil)
        #expect(state.notified("g", at: Self.t0.addingTimeInterval(60)) == nil)
        #expect(state.due("g", policy: policy, now: Self.t0.addingTimeInterval(14 * 60)) == [])
        #expect(state.due("g", policy: policy, now: Self.t0.addingTimeInterval(46 * 60)) == [0, 1])
        let sent = state.sent("g", through: 0)!
        #expect(state.due("g", policy: policy, now: Self.t0.addingTimeInterval(46 * 60)) == [1])
        let replayed = EscalationState([started!, sent])
        #expect(replayed == state)
        let ended = state.ended("g")!
        #expect(EscalationState([started!, sent, ended]).episodes.isEmpty)
    }
}

struct AlertPoliciesDecodingTests {
    static let alertmanager = try! AlertmanagerConfig.parse(AlertJournalTests.yaml, file: "am.yml")

    static func decode(_ text: String) throws(ConfigError) -> AlertPolicies {
        let config = try parseConfig(text, filename: "/etc/pharos/pharos.yml", environment: [:])
        return try AlertPolicies.from(config, alertmanager: alertmanager)
    }

    @Test func decodesCONFIGmdExample() throws {
        let policies = try Self.decode("""
            escalations:
              - name: critical-pages
                matchers: ['severity="critical"']
                steps:
                  - after: 15m
                    receiver: secondary
                  - after: 45m
                    receiver: manager
            silence_notices:
              receiver: chat
              before_expiry: 1h
            """)
        #expect(policies.escalations.count == 1)
        #expect(policies.escalations[0].steps.map(\.after) == [900, 2700])
        #expect(policies.escalations[0].matchers.map(\.description) == ["severity=\"critical\""])
        #expect(policies.silenceNotices == SilenceNoticeConfig(receiver: "chat", beforeExpiry: 3600))
    }

    @Test(arguments: [
        ("escalations:\n  - name: x\n    steps:\n      - after: 5m\n        receiver: nobody\n", "5:", "undefined receiver \"nobody\""),
        ("escalations:\n  - name: x\n    steps: []\n", "3:", "has no steps"),
        ("escalations:\n  - steps:\n      - after: 5m\n        receiver: team\n", "2:", "needs a name"),
        ("escalations:\n  - name: x\n    steps:\n      - receiver: team\n", "4:", "needs after"),
        ("escalations:\n  - name: x\n    wait: 5m\n    steps:\n      - after: 5m\n        receiver: team\n", "3:", "field wait not found"),
        ("escalations:\n  - name: x\n    matchers: ['a=~(']\n    steps:\n      - after: 5m\n        receiver: team\n", "3:", "("),
        ("escalations:\n  - name: x\n    steps:\n      - after: 5m\n        receiver: team\n  - name: x\n    steps:\n      - after: 5m\n        receiver: team\n", "6:", "defined twice"),
        ("silence_notices:\n  receiver: nobody\n", "2:", "undefined receiver"),
        ("silence_notices:\n  before_expiry: 1h\n", "2:", "needs a receiver"),
        ("silence_notices:\n  receiver: chat\n  before_expiry: soon\n", "3:", "soon"),
    ])
    func brokenSectionsNameFileLineAndKey(text: String, line: String, message: String) {
        do {
            _ = try Self.decode(text)
            Issue.record("accepted: \(text)")
        } catch {
            let description = "\(error)"
            #expect(description.contains("pharos.yml:" + line), "\(description)")
            #expect(description.contains(message), "\(description)")
        }
    }

    @Test func receiverWithoutAlertmanagerSectionIsRefused() throws {
        let config = try parseConfig("silence_notices:\n  receiver: chat\n", filename: "p.yml", environment: [:])
        #expect(throws: ConfigError.self) { try AlertPolicies.from(config, alertmanager: nil) }
    }
}
