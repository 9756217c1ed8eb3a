import PharosCore

/// An alert's state: Prometheus' `AlertState` (`inactive` covers resolved alerts kept for resending).
package enum AlertState: String, Sendable, Hashable {
    case inactive, pending, firing
}

/// One alert of an alerting rule, as the rule keeps it between evaluations. Times are ms.
package struct ActiveAlert: Sendable, Hashable {
    package var labels: Labels
    package var annotations: Labels
    package var state: AlertState
    /// The value of the sample that made it active, updated on each evaluation.
    package var value: Double
    package var activeAt: Timestamp
    package var firedAt: Timestamp?
    package var resolvedAt: Timestamp?
    package var lastSentAt: Timestamp?
    package var validUntil: Timestamp?
    package var keepFiringSince: Timestamp?

    package init(labels: Labels, annotations: Labels, state: AlertState, value: Double, activeAt: Timestamp) {
        self.labels = labels
        self.annotations = annotations
        self.state = state
        self.value = value
        self.activeAt = activeAt
    }

    /// Prometheus' `needsSending`: never while pending; always once resolved since the last
    /// send; otherwise when `resendDelay` has passed since the last send.
    func needsSending(at time: Timestamp, resendDelay: Int64) -> Bool {
        if state == .pending { return false }
        if let resolvedAt, resolvedAt > (lastSentAt ?? Int64.min) { return true }
        return (lastSentAt ?? Int64.min / 2) + resendDelay < time
    }
}

/// One alert candidate of an evaluation: the labels after the rule's labels and `alertname`,
/// the expanded annotations, and the sample's value.
package struct AlertCandidate: Sendable, Hashable {
    package var labels: Labels
    package var annotations: Labels
    package var value: Double

    package init(labels: Labels, annotations: Labels, value: Double) {
        self.labels = labels
        self.annotations = annotations
        self.value = value
    }
}

/// The pure state machine of one alerting rule (Prometheus' `AlertingRule.Eval` and
/// `sendAlerts`): pending → firing after `for`, kept firing for `keep_firing_for` after the
/// condition clears, then inactive (resolved) and kept for 15 minutes so the resolution is sent.
/// No I/O, no clock: every event carries its time (ms).
package struct AlertingRuleState: Sendable, Hashable {
    /// Resolved alerts are kept this long to be re-sent as resolved (Prometheus' `resolvedRetention`).
    package static let resolvedRetention: Int64 = 15 * 60_000

    package var holdDuration: Int64
    package var keepFiringFor: Int64
    /// Alerts by label set.
    package var active: [Labels: ActiveAlert] = [:]
    /// False until `for` state has been restored after a restart; no ALERTS series are
    /// written before.
    package var restored: Bool

    package init(holdDuration: Int64, keepFiringFor: Int64, restored: Bool) {
        self.holdDuration = holdDuration
        self.keepFiringFor = keepFiringFor
        self.restored = restored
    }

    /// Active alerts (pending, firing, and resolved ones still kept), sorted by labels.
    package var alerts: [ActiveAlert] { active.values.sorted { $0.labels < $1.labels } }

    /// The rule's state as the API shows it: the most severe of its alerts.
    package var state: AlertState {
        var out = AlertState.inactive
        for alert in active.values {
            if alert.state == .firing { return .firing }
            if alert.state == .pending { out = .pending }
        }
        return out
    }

    /// Applies one evaluation's candidates at `time`; returns the `ALERTS` and
    /// `ALERTS_FOR_STATE` samples to write at `sampleTime` (empty until restored). Throws
    /// `limit` errors (and forgets every alert) when more than `limit` alerts are active.
    package mutating func evaluate(_ candidates: [AlertCandidate], at time: Timestamp, sampleTime: Timestamp,
                                   limit: Int) throws(RuleError) -> [RuleSample] {
        var current: [Labels: AlertCandidate] = [:]
        for candidate in candidates {
            guard current[candidate.labels] == nil else {
                throw RuleError(.evaluation, message: "vector contains metrics with the same labelset after applying alert labels")
            }
            current[candidate.labels] = candidate
        }
        for (labels, candidate) in current {
            if var alert = active[labels], alert.state != .inactive {
                alert.value = candidate.value
                alert.annotations = candidate.annotations
                active[labels] = alert
                continue
            }
            active[labels] = ActiveAlert(labels: labels, annotations: candidate.annotations, state: .pending,
                                         value: candidate.value, activeAt: time)
        }
        var samples: [RuleSample] = []
        var activeCount = 0
        for labels in active.keys.sorted() {
            guard var alert = active[labels] else { continue }
            if current[labels] == nil {
                var keepFiring = false
                if alert.state == .firing, keepFiringFor > 0 {
                    if alert.keepFiringSince == nil { alert.keepFiringSince = time }
                    if time - (alert.keepFiringSince ?? time) < keepFiringFor { keepFiring = true }
                }
                if alert.state == .pending || (alert.resolvedAt.map { time - $0 > Self.resolvedRetention } ?? false) {
                    active[labels] = nil
                    continue
                }
                if alert.state != .inactive, !keepFiring {
                    alert.state = .inactive
                    alert.resolvedAt = time
                }
                active[labels] = alert
                if !keepFiring { continue }
            } else {
                alert.keepFiringSince = nil
            }
            activeCount += 1
            if alert.state == .pending, time - alert.activeAt >= holdDuration {
                alert.state = .firing
                alert.firedAt = time
            }
            active[labels] = alert
            if restored {
                samples.append(RuleSample(labels: Self.alertsSeries(alert), value: 1))
                samples.append(RuleSample(labels: Self.forStateSeries(alert.labels), value: Double(Self.floorSeconds(alert.activeAt))))
            }
        }
        _ = sampleTime
        if limit > 0, activeCount > limit {
            active = [:]
            throw RuleError(.limit, message: "exceeded limit of \(limit) with \(activeCount) alerts")
        }
        return samples
    }

    /// The alerts to send after an evaluation at `time`, marked sent (Prometheus' `sendAlerts`):
    /// `endsAt` is the resolution time, or `time + 4 × max(interval, resendDelay)`.
    package mutating func alertsToSend(at time: Timestamp, resendDelay: Int64, interval: Int64) -> [ActiveAlert] {
        var out: [ActiveAlert] = []
        for labels in active.keys.sorted() {
            guard var alert = active[labels], alert.needsSending(at: time, resendDelay: resendDelay) else { continue }
            alert.lastSentAt = time
            alert.validUntil = time + 4 * max(interval, resendDelay)
            active[labels] = alert
            out.append(alert)
        }
        return out
    }

    /// `ALERTS{alertname=…, alertstate=…, <labels>}`.
    package static func alertsSeries(_ alert: ActiveAlert) -> Labels {
        var builder = LabelsBuilder(alert.labels)
        builder.set(Labels.metricName, "ALERTS")
        builder.set("alertstate", alert.state.rawValue)
        return builder.labels()
    }

    /// `ALERTS_FOR_STATE{alertname=…, <labels>}`, valued with `activeAt` in Unix seconds.
    package static func forStateSeries(_ labels: Labels) -> Labels {
        var builder = LabelsBuilder(labels)
        builder.set(Labels.metricName, "ALERTS_FOR_STATE")
        return builder.labels()
    }

    static func floorSeconds(_ ms: Timestamp) -> Int64 {
        ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000)
    }
}

extension AlertingRuleState {
    /// Prometheus' `RestoreForState` for one alert: given the last `ALERTS_FOR_STATE` sample
    /// (at `downAt` ms, valued with the original `activeAt` in seconds), the `activeAt` to
    /// resume with at `now`, so the alert waits the rest of its `for` (at least `gracePeriod`)
    /// rather than starting over. nil when the sample is a staleness marker (not active then).
    package static func restoredActiveAt(downAt: Timestamp, value: Double, now: Timestamp, holdDuration: Int64,
                                         gracePeriod: Int64) -> Timestamp? {
        guard !value.isStaleMarker, value.isFinite else { return nil }
        let downAtSeconds = floorSeconds(downAt) * 1000
        var activeAt = Int64(value) * 1000
        let remaining = holdDuration - (downAtSeconds - activeAt)
        if remaining <= 0 {
            // It was firing when the server went down; the next evaluation fires it again.
        } else if remaining < gracePeriod {
            activeAt = now + gracePeriod - holdDuration
        } else {
            activeAt += now - downAtSeconds
        }
        return activeAt
    }
}
