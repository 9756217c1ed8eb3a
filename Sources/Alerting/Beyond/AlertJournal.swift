import Foundation
import PharosCore

/// What the embedded Alertmanager keeps beyond Alertmanager's own state: the history, the
/// acks, the escalation episodes and the silence notices sent. Shared by the notification
/// pipeline, the follow-up loop (escalations, silence notices) and the API.
package struct AlertJournal: Sendable {
    package var history: AlertHistory
    package var acks: Acknowledgements
    package var escalations: Escalations
    package var silenceNotices: SilenceNoticeLog

    package init(history: AlertHistory, acks: Acknowledgements, escalations: Escalations, silenceNotices: SilenceNoticeLog) {
        self.history = history
        self.acks = acks
        self.escalations = escalations
        self.silenceNotices = silenceNotices
    }

    /// A `notification` or `notification_failed` entry for one integration's delivery.
    func recordNotification(of alerts: [AlertmanagerAlert], integration: ReceiverIntegration, context: NotificationContext,
                            failure: NotifyError?, kind: HistoryEntry.Kind = .notification, comment: String = "") {
        let firing = alerts.count { !$0.isResolved(at: context.now) }
        var text = "\(integration.notifier.integration)[\(integration.index)]: \(firing) firing, \(alerts.count - firing) resolved"
        if !comment.isEmpty { text = comment + "; " + text }
        history.record([HistoryEntry(
            time: context.now, kind: failure == nil ? kind : .notificationFailed, groupKey: context.groupKey,
            receiver: context.receiver, labels: context.groupLabels, comment: text, error: failure.map { "\($0)" } ?? "")])
    }
}
