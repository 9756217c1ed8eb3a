import PharosCore
import Rules
import Testing

/// The alert state machine with no I/O: events carry their times (ms).
struct AlertingRuleStateTests {
    let labels = Labels(["alertname": "Down", "job": "api"])
    var candidate: AlertCandidate { AlertCandidate(labels: labels, annotations: .empty, value: 1) }

    @Test func pendingThenFiringAfterForThenResolved() throws {
        var state = AlertingRuleState(holdDuration: 120_000, keepFiringFor: 0, restored: true)
        var samples = try state.evaluate([candidate], at: 0, sampleTime: 0, limit: 0)
        #expect(state.alerts.map(\.state) == [.pending])
        #expect(samples.map(\.labels) == [Labels(["__name__": "ALERTS", "alertname": "Down", "alertstate": "pending", "job": "api"]),
                                          Labels(["__name__": "ALERTS_FOR_STATE", "alertname": "Down", "job": "api"])])
        _ = try state.evaluate([candidate], at: 60_000, sampleTime: 60_000, limit: 0)
        #expect(state.state == .pending)
        samples = try state.evaluate([candidate], at: 120_000, sampleTime: 120_000, limit: 0)
        #expect(state.state == .firing && state.alerts[0].firedAt == 120_000)
        #expect(samples[0].labels["alertstate"] == "firing" && samples[1].value == 0)
        samples = try state.evaluate([], at: 180_000, sampleTime: 180_000, limit: 0)
        #expect(samples.isEmpty && state.alerts[0].state == .inactive && state.alerts[0].resolvedAt == 180_000)
        // Kept 15 minutes after resolution to be sent as resolved, then dropped.
        _ = try state.evaluate([], at: 180_000 + 15 * 60_000, sampleTime: 0, limit: 0)
        #expect(state.alerts.count == 1)
        _ = try state.evaluate([], at: 180_000 + 15 * 60_000 + 1, sampleTime: 0, limit: 0)
        #expect(state.alerts.isEmpty)
    }

    @Test func pendingAlertThatClearsIsForgotten() throws {
        var state = AlertingRuleState(holdDuration: 120_000, keepFiringFor: 0, restored: true)
        _ = try state.evaluate([candidate], at: 0, sampleTime: 0, limit: 0)
        _ = try state.evaluate([], at: 60_000, sampleTime: 0, limit: 0)
        #expect(state.alerts.isEmpty)
    }

    @Test func zeroForFiresAtOnce() throws {
        var state = AlertingRuleState(holdDuration: 0, keepFiringFor: 0, restored: true)
        _ = try state.evaluate([candidate], at: 5_000, sampleTime: 5_000, limit: 0)
        #expect(state.state == .firing)
    }

    @Test func keepFiringForHoldsTheAlert() throws {
        var state = AlertingRuleState(holdDuration: 0, keepFiringFor: 120_000, restored: true)
        _ = try state.evaluate([candidate], at: 0, sampleTime: 0, limit: 0)
        var samples = try state.evaluate([], at: 60_000, sampleTime: 60_000, limit: 0)
        #expect(state.state == .firing && state.alerts[0].keepFiringSince == 60_000 && samples.count == 2)
        samples = try state.evaluate([], at: 179_999, sampleTime: 0, limit: 0)
        #expect(state.state == .firing)
        samples = try state.evaluate([], at: 180_000, sampleTime: 0, limit: 0)
        #expect(state.alerts[0].state == .inactive && samples.isEmpty)
    }

    @Test func limitForgetsAlertsAndFails() {
        var state = AlertingRuleState(holdDuration: 0, keepFiringFor: 0, restored: true)
        let two = [candidate, AlertCandidate(labels: labels.setting("job", to: "db"), annotations: .empty, value: 1)]
        let error = #expect(throws: RuleError.self) { try state.evaluate(two, at: 0, sampleTime: 0, limit: 1) }
        #expect(error?.message == "exceeded limit of 1 with 2 alerts")
        #expect(state.alerts.isEmpty)
    }

    @Test func duplicateLabelsetIsAnError() {
        var state = AlertingRuleState(holdDuration: 0, keepFiringFor: 0, restored: true)
        let error = #expect(throws: RuleError.self) { try state.evaluate([candidate, candidate], at: 0, sampleTime: 0, limit: 0) }
        #expect(error?.message == "vector contains metrics with the same labelset after applying alert labels")
    }

    @Test func noSeriesBeforeRestore() throws {
        var state = AlertingRuleState(holdDuration: 0, keepFiringFor: 0, restored: false)
        #expect(try state.evaluate([candidate], at: 0, sampleTime: 0, limit: 0).isEmpty)
    }

    @Test func resendEveryResendDelayAndOnResolution() throws {
        var state = AlertingRuleState(holdDuration: 0, keepFiringFor: 0, restored: true)
        _ = try state.evaluate([candidate], at: 0, sampleTime: 0, limit: 0)
        var sent = state.alertsToSend(at: 0, resendDelay: 60_000, interval: 15_000)
        #expect(sent.count == 1 && sent[0].validUntil == 240_000)
        _ = try state.evaluate([candidate], at: 15_000, sampleTime: 0, limit: 0)
        #expect(state.alertsToSend(at: 15_000, resendDelay: 60_000, interval: 15_000).isEmpty)
        _ = try state.evaluate([candidate], at: 75_000, sampleTime: 0, limit: 0)
        #expect(state.alertsToSend(at: 75_000, resendDelay: 60_000, interval: 15_000).count == 1)
        _ = try state.evaluate([], at: 90_000, sampleTime: 0, limit: 0)
        sent = state.alertsToSend(at: 90_000, resendDelay: 60_000, interval: 15_000)
        #expect(sent.count == 1 && sent[0].resolvedAt == 90_000)
        #expect(state.alertsToSend(at: 105_000, resendDelay: 60_000, interval: 15_000).isEmpty)
    }

    @Test func restoredActiveAtFollowsPrometheus() {
        let minute: Int64 = 60_000
        // Was pending 2m of a 30m `for` when the server went down at 10m; back at 20m: waits the other 28m.
        #expect(AlertingRuleState.restoredActiveAt(downAt: 10 * minute, value: 8 * 60, now: 20 * minute,
                                                   holdDuration: 30 * minute, gracePeriod: 10 * minute) == 18 * minute)
        // 25 of 30 minutes spent: the grace period applies.
        #expect(AlertingRuleState.restoredActiveAt(downAt: 30 * minute, value: 5 * 60, now: 40 * minute,
                                                   holdDuration: 30 * minute, gracePeriod: 10 * minute) == 20 * minute)
        // Already firing: unchanged.
        #expect(AlertingRuleState.restoredActiveAt(downAt: 60 * minute, value: 0, now: 70 * minute,
                                                   holdDuration: 30 * minute, gracePeriod: 10 * minute) == 0)
        #expect(AlertingRuleState.restoredActiveAt(downAt: 60 * minute, value: StaleNaN.value, now: 70 * minute,
                                                   holdDuration: 30 * minute, gracePeriod: 10 * minute) == nil)
    }
}
