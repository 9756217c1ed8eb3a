import Foundation
import PharosCore

/// The flush logic of one aggregation group (Alertmanager's `aggrGroup`) as a pure state
/// machine: the owner feeds it alerts and the time, sleeps until `nextFlush`, and performs the
/// flushes it returns. No I/O, no clock of its own.
///
/// - The first flush comes `group_wait` after the group was created, or at once when an alert
///   that started more than `group_wait` ago joins before it.
/// - Each flush moves the next one `group_interval` later (measured from the flush).
/// - After a successful notification, the resolved alerts that were sent and have not changed
///   since are removed; the group is finished when it holds no alert.
///
/// `repeat_interval` is not a timer here: the notification log decides at each flush.
package struct AggregationGroupState: Sendable {
    package let groupWait: TimeInterval
    package let groupInterval: TimeInterval
    package private(set) var alerts: [AlertFingerprint: AlertmanagerAlert] = [:]
    package private(set) var nextFlush: Date
    package private(set) var hasFlushed = false
    /// True while a flush handed out by `flushIfDue` has not been completed.
    package private(set) var flushing = false

    package init(groupWait: TimeInterval, groupInterval: TimeInterval, createdAt now: Date) {
        self.groupWait = groupWait
        self.groupInterval = groupInterval
        nextFlush = now.addingTimeInterval(groupWait)
    }

    package var isEmpty: Bool { alerts.isEmpty }

    /// What `insert` asks of the owner.
    package enum InsertAction: Equatable, Sendable {
        /// Nothing changes in the schedule.
        case none
        /// The next flush moved earlier: wake the sleeper.
        case reschedule(Date)
    }

    /// Adds or replaces an alert (already merged by the store).
    package mutating func insert(_ alert: AlertmanagerAlert, now: Date) -> InsertAction {
        alerts[alert.fingerprint] = alert
        // Immediately trigger a flush if the wait duration for this alert is already over.
        if !hasFlushed, alert.startsAt.addingTimeInterval(groupWait) < now, nextFlush > now {
            nextFlush = now
            return .reschedule(now)
        }
        return .none
    }

    /// The alerts to notify, sorted in dispatch order, when a flush is due at `now`; nil
    /// otherwise. Schedules the next flush `group_interval` later.
    package mutating func flushIfDue(now: Date) -> [AlertmanagerAlert]? {
        guard !flushing, now >= nextFlush, !alerts.isEmpty else { return nil }
        nextFlush = now.addingTimeInterval(groupInterval)
        hasFlushed = true
        flushing = true
        return alerts.values.sorted(by: AlertmanagerAlert.dispatchOrder)
    }

    /// Ends the flush returned by `flushIfDue`. On success, drops the resolved alerts that were
    /// sent unchanged (`DeleteIfNotModified`); on failure keeps everything for the next flush.
    package mutating func flushCompleted(_ sent: [AlertmanagerAlert], success: Bool, now: Date) {
        flushing = false
        guard success else { return }
        for alert in sent where alert.isResolved(at: now) {
            let fingerprint = alert.fingerprint
            if let current = alerts[fingerprint], current.updatedAt == alert.updatedAt, current.isResolved(at: now) {
                alerts[fingerprint] = nil
            }
        }
    }
}
