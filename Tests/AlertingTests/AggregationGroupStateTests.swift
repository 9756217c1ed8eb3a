import Alerting
import Foundation
import PharosCore
import Testing

/// The flush state machine, driven by hand-picked times: no clock, no sleeping.
struct AggregationGroupStateTests {
    static let t0 = Date(timeIntervalSince1970: 1_000_000)

    static func alert(_ name: String, startsAt: Date = t0, endsAt: Date? = nil, updatedAt: Date = t0) -> AlertmanagerAlert {
        AlertmanagerAlert(labels: Labels(["alertname": name]), startsAt: startsAt,
                          endsAt: endsAt ?? startsAt.addingTimeInterval(300), updatedAt: updatedAt)
    }

    @Test func firstFlushAfterGroupWaitThenEveryGroupInterval() {
        var state = AggregationGroupState(groupWait: 30, groupInterval: 300, createdAt: Self.t0)
        #expect(state.insert(Self.alert("A"), now: Self.t0) == .none)
        #expect(state.flushIfDue(now: Self.t0.addingTimeInterval(29)) == nil)
        let first = state.flushIfDue(now: Self.t0.addingTimeInterval(30))
        #expect(first?.map(\.labels) == [Labels(["alertname": "A"])])
        #expect(state.nextFlush == Self.t0.addingTimeInterval(330))
        // A flush in progress is never handed out twice.
        #expect(state.flushIfDue(now: Self.t0.addingTimeInterval(400)) == nil)
        state.flushCompleted(first!, success: true, now: Self.t0.addingTimeInterval(30))
        #expect(state.flushIfDue(now: Self.t0.addingTimeInterval(329)) == nil)
        #expect(state.flushIfDue(now: Self.t0.addingTimeInterval(330)) != nil)
    }

    @Test func oldAlertFlushesAtOnceBeforeTheFirstFlushOnly() {
        let now = Self.t0.addingTimeInterval(100)
        var state = AggregationGroupState(groupWait: 30, groupInterval: 300, createdAt: now)
        #expect(state.insert(Self.alert("A"), now: now.addingTimeInterval(1)) == .reschedule(now.addingTimeInterval(1)))
        let flushed = state.flushIfDue(now: now.addingTimeInterval(1))
        #expect(flushed?.count == 1)
        state.flushCompleted(flushed!, success: true, now: now.addingTimeInterval(1))
        // After the first flush, new alerts wait for group_interval.
        #expect(state.insert(Self.alert("B"), now: now.addingTimeInterval(2)) == .none)
        #expect(state.nextFlush == now.addingTimeInterval(301))
    }

    @Test func resolvedAlertsLeaveAfterASuccessfulFlushUnlessUpdated() {
        var state = AggregationGroupState(groupWait: 0, groupInterval: 60, createdAt: Self.t0)
        let resolved = Self.alert("A", endsAt: Self.t0.addingTimeInterval(1))
        _ = state.insert(resolved, now: Self.t0)
        _ = state.insert(Self.alert("B"), now: Self.t0)
        let now = Self.t0.addingTimeInterval(2)
        let flushed = state.flushIfDue(now: now)!
        // Failure keeps everything.
        state.flushCompleted(flushed, success: false, now: now)
        #expect(state.alerts.count == 2)
        let again = state.flushIfDue(now: now.addingTimeInterval(60))!
        // A re-post during the flush (new updatedAt) keeps the alert.
        var updated = resolved
        updated.updatedAt = now.addingTimeInterval(61)
        _ = state.insert(updated, now: now.addingTimeInterval(61))
        state.flushCompleted(again, success: true, now: now.addingTimeInterval(62))
        #expect(state.alerts.count == 2)
        let third = state.flushIfDue(now: now.addingTimeInterval(120))!
        state.flushCompleted(third, success: true, now: now.addingTimeInterval(120))
        #expect(state.alerts.count == 1)
        #expect(!state.isEmpty)
    }

    @Test func dispatchOrderIsJobThenInstanceThenLabels() {
        let a = AlertmanagerAlert(labels: Labels(["job": "b", "x": "1"]), startsAt: Self.t0, endsAt: Self.t0, updatedAt: Self.t0)
        let b = AlertmanagerAlert(labels: Labels(["job": "a", "x": "2"]), startsAt: Self.t0, endsAt: Self.t0, updatedAt: Self.t0)
        let c = AlertmanagerAlert(labels: Labels(["x": "0"]), startsAt: Self.t0, endsAt: Self.t0, updatedAt: Self.t0)
        #expect([a, c, b].sorted(by: AlertmanagerAlert.dispatchOrder).map { $0.labels["x"] } == ["2", "1", "0"])
    }
}

/// Alertmanager's `DedupStage.needsUpdate` and its alert merge rules.
struct DedupAndMergeTests {
    static let t0 = Date(timeIntervalSince1970: 1_000_000)

    static func entry(firing: Set<UInt64>, resolved: Set<UInt64> = [], at time: Date = t0) -> NotificationLogEntry {
        NotificationLogEntry(groupKey: "g", receiver: "r", integration: "webhook", index: 0, firing: firing,
                             resolved: resolved, timestamp: time, expiresAt: time)
    }

    @Test func needsUpdateAsAlertmanager() {
        // (previous firing, previous resolved, firing, resolved, sendResolved, seconds since, expected)
        let cases: [(Set<UInt64>, Set<UInt64>, Set<UInt64>, Set<UInt64>, Bool, Double, Bool)] = [
            ([1], [], [1], [], true, 10, false),
            ([1], [], [1, 2], [], true, 10, true),
            ([1, 2], [], [1], [2], true, 10, true),
            ([1, 2], [], [1], [2], false, 10, false),
            ([1], [], [], [1], false, 10, true),
            ([], [1], [], [1], true, 10, false),
            ([1], [], [1], [], true, 3601, true),
        ]
        for (index, c) in cases.enumerated() {
            let entry: NotificationLogEntry? = Self.entry(firing: c.0, resolved: c.1)
            #expect(entry.needsUpdate(firing: c.2, resolved: c.3, sendResolved: c.4, repeatInterval: 3600,
                                      now: Self.t0.addingTimeInterval(c.5)) == c.6, "case \(index)")
        }
        let none: NotificationLogEntry? = nil
        #expect(none.needsUpdate(firing: [1], resolved: [], sendResolved: true, repeatInterval: 3600, now: Self.t0))
    }

    @Test func nothingToSendWithoutEntryAndOnlyResolved() {
        let entry: NotificationLogEntry? = nil
        #expect(!entry.needsUpdate(firing: [], resolved: [1], sendResolved: true, repeatInterval: 60, now: Self.t0))
    }

    @Test func mergeKeepsEarliestStartAndExplicitEnd() {
        let old = AlertmanagerAlert(labels: Labels(["a": "1"]), startsAt: Self.t0, endsAt: Self.t0.addingTimeInterval(600),
                                    updatedAt: Self.t0)
        var new = old
        new.startsAt = Self.t0.addingTimeInterval(60)
        new.endsAt = Self.t0.addingTimeInterval(360)
        new.updatedAt = Self.t0.addingTimeInterval(60)
        new.timeout = true
        let merged = AlertmanagerAlert.stored(old: old, new: new)
        #expect(merged.startsAt == Self.t0)
        #expect(merged.endsAt == Self.t0.addingTimeInterval(600))
        #expect(merged.updatedAt == new.updatedAt)
    }

    @Test func fingerprintIsFNV1aOfSortedLabels() {
        // model.LabelSet{}.Fingerprint() is FNV-1a's offset basis.
        #expect(AlertFingerprint(Labels.empty).description == "cbf29ce484222325")
        #expect(AlertFingerprint(Labels(["b": "2", "a": "1"])) == AlertFingerprint(Labels(["a": "1", "b": "2"])))
    }

    @Test func groupKeyAsAlertmanager() {
        var config = RouteConfig()
        config.receiver = "x"
        config.groupBy = ["severity", "alertname"]
        let route = Route(config)
        let labels = route.groupLabels(for: Labels(["alertname": "X", "severity": "critical", "job": "j"]))
        #expect(route.groupKey(groupLabels: labels) == #"{}:{alertname="X", severity="critical"}"#)
    }
}
