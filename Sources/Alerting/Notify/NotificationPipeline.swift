import Foundation
import Logging
import PharosCore

/// One integration of a receiver as the pipeline runs it.
package struct ReceiverIntegration: Sendable {
    package var notifier: any Notifier
    /// Position among the receiver's integrations (Alertmanager's integration index).
    package var index: Int
    /// Deadline of one attempt; a hanging receiver is abandoned after it and retried.
    package var attemptTimeout: TimeInterval

    package init(notifier: any Notifier, index: Int, attemptTimeout: TimeInterval = 30) {
        self.notifier = notifier
        self.index = index
        self.attemptTimeout = attemptTimeout
    }
}

/// The group a flush notifies for.
package struct FlushedGroup: Sendable {
    package var groupKey: String
    package var groupLabels: Labels
    package var options: RouteOptions

    package init(groupKey: String, groupLabels: Labels, options: RouteOptions) {
        self.groupKey = groupKey
        self.groupLabels = groupLabels
        self.options = options
    }
}

/// Everything between a group flush and a `Notifier` call (Alertmanager's `notify` stages):
/// time-interval mute (active, then mute intervals), inhibition and silences, then per
/// integration, concurrently: dedup against the notification log, the `send_resolved` filter,
/// retries with backoff within `group_interval`, and logging of the successful notification.
package struct NotificationPipeline: Sendable {
    package var receivers: [String: [ReceiverIntegration]]
    package var inhibitRules: [InhibitRule]
    package var timeIntervals: TimeIntervals
    package var silences: Silences
    package var notificationLog: NotificationLog
    package var alerts: AlertRegistry
    package var metrics: NotifierMetrics
    package var clock: any AlertingClock
    package var externalURL: String
    package var backoff = RetryBackoff()
    package var logger: Logger
    /// Pharos' additions, when the embedded Alertmanager keeps them (nil in unit tests that
    /// exercise the Alertmanager stages alone).
    package var journal: AlertJournal?
    /// `maintenance:` windows: an alert they cover is muted while one is open.
    package var maintenance: [MaintenanceWindow] = []

    package init(receivers: [String: [ReceiverIntegration]], inhibitRules: [InhibitRule], timeIntervals: TimeIntervals,
                 silences: Silences, notificationLog: NotificationLog, alerts: AlertRegistry, metrics: NotifierMetrics,
                 clock: any AlertingClock, externalURL: String, logger: Logger) {
        self.receivers = receivers
        self.inhibitRules = inhibitRules
        self.timeIntervals = timeIntervals
        self.silences = silences
        self.notificationLog = notificationLog
        self.alerts = alerts
        self.metrics = metrics
        self.clock = clock
        self.externalURL = externalURL
        self.logger = logger
    }

    /// Runs the stages for one flush. True when every integration succeeded (or had nothing to
    /// send); the group then forgets the resolved alerts it sent.
    package func run(_ group: FlushedGroup, alerts flushed: [AlertmanagerAlert]) async -> Bool {
        let now = clock.now()
        let options = group.options
        if !options.activeTimeIntervals.isEmpty, timeIntervals.active(options.activeTimeIntervals, at: now).isEmpty {
            return true
        }
        if !options.muteTimeIntervals.isEmpty, !timeIntervals.active(options.muteTimeIntervals, at: now).isEmpty {
            return true
        }
        if let journal {
            let resolved = journal.history.noteStates(of: flushed, now: now)
            journal.acks.alertsResolved(resolved, now: now)
            if !flushed.contains(where: { !$0.isResolved(at: now) }) { journal.escalations.ended(group.groupKey) }
        }
        let context = NotificationContext(receiver: options.receiver, groupKey: group.groupKey, groupLabels: group.groupLabels,
                                          externalURL: externalURL, now: now)
        let unmuted = unmutedAlerts(flushed, now: now, context: context)
        let integrations = receivers[options.receiver] ?? []
        guard !integrations.isEmpty else { return true }
        return await withTaskGroup(of: Bool.self) { tasks in
            for integration in integrations {
                tasks.addTask {
                    await notify(integration, alerts: unmuted, context: context, options: options)
                }
            }
            var all = true
            for await success in tasks where !success { all = false }
            return all
        }
    }

    /// The alerts neither inhibited nor silenced (Alertmanager's mute stage). With a journal,
    /// each firing alert's muting is recorded in the history once per episode.
    package func unmutedAlerts(_ alerts: [AlertmanagerAlert], now: Date, context: NotificationContext? = nil) -> [AlertmanagerAlert] {
        let sources = inhibitRules.isEmpty ? [] : self.alerts.firing(at: now)
        return alerts.filter { alert in
            var kind: HistoryEntry.Kind?
            var by = ""
            if !sources.isEmpty, let source = inhibitRules.inhibitor(of: alert.labels, firing: sources) {
                kind = .inhibited
                by = source.alertmanagerString
            } else {
                let silencedBy = silences.mutedBy(alert.labels, now: now)
                    + maintenance.covering(alert.labels, at: now, intervals: timeIntervals).map { "maintenance:" + $0 }
                if !silencedBy.isEmpty {
                    kind = .silenced
                    by = silencedBy.joined(separator: ",")
                }
            }
            if let journal, !alert.isResolved(at: now) {
                journal.history.noteMute(of: alert, kind: kind, by: by, groupKey: context?.groupKey ?? "",
                                         receiver: context?.receiver ?? "", now: now)
            }
            return kind == nil
        }
    }

    /// Dedup, filter, retry and log for one integration.
    func notify(_ integration: ReceiverIntegration, alerts: [AlertmanagerAlert], context: NotificationContext,
                options: RouteOptions) async -> Bool {
        let notifier = integration.notifier
        let now = context.now
        var firing = Set<UInt64>(), resolved = Set<UInt64>()
        for alert in alerts {
            if alert.isResolved(at: now) { resolved.insert(alert.fingerprint.raw) } else { firing.insert(alert.fingerprint.raw) }
        }
        let entry = notificationLog.entry(groupKey: context.groupKey, receiver: context.receiver,
                                          integration: notifier.integration, index: integration.index)
        let repeatInterval = TimeInterval(options.repeatInterval.milliseconds) / 1000
        let acknowledged = journal?.acks.isAcknowledged(groupKey: context.groupKey, firing: firing) ?? false
        guard entry.needsUpdate(firing: firing, resolved: resolved, sendResolved: notifier.sendResolved,
                                repeatInterval: repeatInterval, acknowledged: acknowledged, now: now) else { return true }
        var sent = alerts
        if !notifier.sendResolved {
            sent = alerts.filter { !$0.isResolved(at: now) }
        }
        if !sent.isEmpty {
            let deadline = now.addingTimeInterval(TimeInterval(options.groupInterval.milliseconds) / 1000)
            let failure = await deliver(sent, with: integration, context: context, until: deadline)
            journal?.recordNotification(of: sent, integration: integration, context: context, failure: failure)
            if failure != nil { return false }
            if !firing.isEmpty { journal?.escalations.notified(context.groupKey, at: now) }
        }
        notificationLog.log(NotificationLogEntry(
            groupKey: context.groupKey, receiver: context.receiver, integration: notifier.integration,
            index: integration.index, firing: firing, resolved: resolved, timestamp: now, expiresAt: now))
        return true
    }

    /// Attempts until success, a permanent failure, or `deadline` (Alertmanager's retry stage);
    /// nil on success, else the last attempt's error.
    package func deliver(_ alerts: [AlertmanagerAlert], with integration: ReceiverIntegration, context: NotificationContext,
                         until deadline: Date) async -> NotifyError? {
        let notifier = integration.notifier
        let name = notifier.integration
        var backoff = self.backoff
        var attempt = 0
        while !Task.isCancelled {
            attempt += 1
            let started = ContinuousClock.now
            let attemptDeadline = min(clock.now().addingTimeInterval(integration.attemptTimeout), max(deadline, clock.now()))
            let outcome = await attemptOnce(notifier, alerts, context: context, until: attemptDeadline)
            metrics.recordAttempt(name, nanoseconds: Int64((ContinuousClock.now - started) / .nanoseconds(1)),
                                  failed: outcome != nil)
            guard let error = outcome else { return nil }
            let metadata: Logger.Metadata = [
                "alerting.receiver": "\(context.receiver)", "alerting.integration": "\(name)[\(integration.index)]",
                "alerting.group_key": "\(context.groupKey)", "alerting.attempt": "\(attempt)", "alerting.error": "\(error)",
            ]
            guard error.retryable else {
                logger.error("Notify for alerts failed permanently", metadata: metadata)
                return error
            }
            let next = clock.now().addingTimeInterval(backoff.next())
            guard next < deadline else {
                logger.error("Notify for alerts failed; giving up until the next group interval", metadata: metadata)
                return error
            }
            logger.info("Notify attempt failed, will retry later", metadata: metadata)
            do { try await clock.sleep(until: next) } catch { return NotifyError(retryable: true, "cancelled") }
        }
        return NotifyError(retryable: true, "cancelled")
    }

    /// One attempt, abandoned at `deadline`; nil on success.
    private func attemptOnce(_ notifier: any Notifier, _ alerts: [AlertmanagerAlert], context: NotificationContext,
                             until deadline: Date) async -> NotifyError? {
        let clock = self.clock
        return await withTaskGroup(of: NotifyError?.self) { tasks in
            tasks.addTask {
                do throws(NotifyError) {
                    try await notifier.notify(alerts, context: context)
                    return nil
                } catch {
                    return error
                }
            }
            tasks.addTask {
                do { try await clock.sleep(until: deadline) } catch { return NotifyError(retryable: true, "cancelled") }
                return NotifyError(retryable: true, "context deadline exceeded")
            }
            let first = await tasks.next() ?? nil
            tasks.cancelAll()
            return first
        }
    }
}
