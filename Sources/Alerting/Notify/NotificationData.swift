import Foundation
import PharosCore

/// Alertmanager's `template.Data` for one notification: the receiver, status, alerts (firing
/// ones with Go's zero `endsAt`), group, common labels and annotations, external URL.
package struct NotificationData: Sendable, Hashable {
    package struct Alert: Sendable, Hashable {
        package var status: String
        package var labels: Labels
        package var annotations: Labels
        package var startsAt: Date
        /// Nil for a firing alert (Go's zero time).
        package var endsAt: Date?
        package var generatorURL: String
        package var fingerprint: String
    }

    package var receiver: String
    package var status: String
    package var alerts: [Alert]
    package var groupLabels: Labels
    package var commonLabels: Labels
    package var commonAnnotations: Labels
    package var externalURL: String

    package init(_ alerts: [AlertmanagerAlert], context: NotificationContext) {
        let now = context.now
        receiver = context.receiver
        groupLabels = context.groupLabels
        externalURL = context.externalURL
        self.alerts = alerts.map { alert in
            let resolved = alert.isResolved(at: now)
            return Alert(status: resolved ? "resolved" : "firing", labels: alert.labels, annotations: alert.annotations,
                         startsAt: alert.startsAt, endsAt: resolved ? alert.endsAt : nil,
                         generatorURL: alert.generatorURL, fingerprint: alert.fingerprint.description)
        }
        status = self.alerts.contains { $0.status == "firing" } ? "firing" : "resolved"
        commonLabels = Self.common(alerts.map(\.labels))
        commonAnnotations = Self.common(alerts.map(\.annotations))
    }

    static func common(_ sets: [Labels]) -> Labels {
        guard var common = sets.first else { return .empty }
        for set in sets.dropFirst() {
            common = Labels(common.filter { set.value(of: $0.name) == $0.value })
        }
        return common
    }
}
