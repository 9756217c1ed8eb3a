import Foundation
import Logging
import PharosCore
import Synchronization

extension EmbeddedAlertmanager {
    /// One pass of what runs beside the groups' flushes: escalation steps that fell due and
    /// silence notices. Called by `run()` every `followUpInterval`; tests call it directly.
    package func followUp() async {
        guard let runtime = runtime.withLock({ $0 }) else { return }
        let now = configuration.clock.now()
        await withDiscardingTaskGroup { tasks in
            for group in runtime.dispatcher.currentGroups {
                tasks.addTask { await self.escalate(group, policies: runtime.policies, pipeline: runtime.dispatcher.pipeline, now: now) }
            }
            if let notices = runtime.policies.silenceNotices {
                tasks.addTask { await self.sendSilenceNotices(notices, pipeline: runtime.dispatcher.pipeline, now: now) }
                if !runtime.policies.maintenance.isEmpty {
                    tasks.addTask {
                        await self.sendMaintenanceNotices(runtime.policies.maintenance, receiver: notices.receiver,
                                                          intervals: runtime.config.namedTimeIntervals,
                                                          pipeline: runtime.dispatcher.pipeline, now: now)
                    }
                }
            }
        }
    }

    /// Sends the due escalation steps of `group`: it must be firing, covered by a policy,
    /// unmuted, notified at least once in this episode and not acknowledged.
    func escalate(_ group: AggregationGroup, policies: AlertPolicies, pipeline: NotificationPipeline, now: Date) async {
        let firing = group.alerts.filter { !$0.isResolved(at: now) }
        guard !firing.isEmpty, let policy = policies.escalations.first(where: { $0.covers(firing) }) else { return }
        let steps = journal.escalations.due(group.groupKey, policy: policy, now: now)
        guard let last = steps.last else { return }
        let context = NotificationContext(receiver: group.route.options.receiver, groupKey: group.groupKey,
                                          groupLabels: group.groupLabels, externalURL: configuration.externalURL, now: now)
        let unmuted = pipeline.unmutedAlerts(firing, now: now, context: context)
        guard !unmuted.isEmpty,
              !journal.acks.isAcknowledged(groupKey: group.groupKey, firing: Set(firing.map(\.fingerprint.raw))) else { return }
        journal.escalations.sent(group.groupKey, through: last)
        let deadline = now.addingTimeInterval(TimeInterval(group.route.options.groupInterval.milliseconds) / 1000)
        for index in steps {
            let step = policy.steps[index]
            var stepContext = context
            stepContext.receiver = step.receiver
            let comment = "escalation policy \(policy.name) step \(index + 1) (after \(PrometheusDuration(milliseconds: Int64(step.after * 1000))))"
            logger.info("Escalating an unacknowledged alert group", metadata: [
                "alerting.group_key": "\(group.groupKey)", "alerting.policy": "\(policy.name)",
                "alerting.step": "\(index + 1)", "alerting.receiver": "\(step.receiver)",
            ])
            for integration in pipeline.receivers[step.receiver] ?? [] {
                let failure = await pipeline.deliver(unmuted, with: integration, context: stepContext, until: deadline)
                journal.recordNotification(of: unmuted, integration: integration, context: stepContext, failure: failure,
                                           kind: .escalation, comment: comment)
            }
        }
    }

    /// Tells the `silence_notices` receiver about silences that started, are about to expire
    /// or ended. Each notice is logged before it is sent, so none is sent twice.
    func sendSilenceNotices(_ notices: SilenceNoticeConfig, pipeline: NotificationPipeline, now: Date) async {
        let integrations = pipeline.receivers[notices.receiver] ?? []
        for silence in silences.all.sorted(by: { ($0.startsAt, $0.id) < ($1.startsAt, $1.id) }) {
            let sent = journal.silenceNotices.sentKinds(silence.id)
            guard let kind = SilenceNotice.due(for: silence, sent: sent, beforeExpiry: notices.beforeExpiry, now: now) else { continue }
            journal.silenceNotices.log(SilenceNotice(silenceID: silence.id, kind: kind, sentAt: now))
            let alert = SilenceNotice.alert(for: silence, kind: kind, now: now)
            let groupLabels = Labels([Label(name: "silence_id", value: silence.id)])
            let context = NotificationContext(receiver: notices.receiver, groupKey: "{}:" + groupLabels.alertmanagerString,
                                              groupLabels: groupLabels, externalURL: configuration.externalURL, now: now)
            for integration in integrations {
                let failure = await pipeline.deliver([alert], with: integration, context: context, until: now.addingTimeInterval(60))
                journal.recordNotification(of: [alert], integration: integration, context: context, failure: failure,
                                           comment: "silence notice: \(kind.rawValue)")
            }
        }
    }

    /// Tells the `silence_notices` receiver when a maintenance window opens and closes, once
    /// per opening (logged before sending, so none is sent twice, also across a restart).
    func sendMaintenanceNotices(_ windows: [MaintenanceWindow], receiver: String, intervals: TimeIntervals,
                                pipeline: NotificationPipeline, now: Date) async {
        for window in windows {
            let open = window.openedAt(now, intervals: intervals)
            let current = open.map { window.episodeID(openedAt: $0) }
            var due: [(id: String, started: Bool, openedAt: Date)] = []
            if let open, let current, !journal.silenceNotices.sentKinds(current).contains(.started) {
                due.append((current, true, open))
            }
            for id in journal.silenceNotices.ids(withPrefix: MaintenanceWindow.episodePrefix + window.name + "/") where id != current {
                let kinds = journal.silenceNotices.sentKinds(id)
                guard kinds.contains(.started), !kinds.contains(.ended), let seconds = Double(id.split(separator: "/").last ?? "") else { continue }
                due.append((id, false, Date(timeIntervalSince1970: seconds)))
            }
            for notice in due {
                journal.silenceNotices.log(SilenceNotice(silenceID: notice.id, kind: notice.started ? .started : .ended, sentAt: now))
                let alert = window.noticeAlert(started: notice.started, openedAt: notice.openedAt, now: now)
                let groupLabels = Labels([Label(name: "maintenance", value: window.name)])
                let context = NotificationContext(receiver: receiver, groupKey: "{}:" + groupLabels.alertmanagerString,
                                                  groupLabels: groupLabels, externalURL: configuration.externalURL, now: now)
                for integration in pipeline.receivers[receiver] ?? [] {
                    let failure = await pipeline.deliver([alert], with: integration, context: context, until: now.addingTimeInterval(60))
                    journal.recordNotification(of: [alert], integration: integration, context: context, failure: failure,
                                               comment: "maintenance notice: \(notice.started ? "started" : "ended")")
                }
            }
        }
    }
}
