import Foundation
import PharosCore

/// An alert inside the embedded Alertmanager (Alertmanager's `types.Alert`).
package struct AlertmanagerAlert: Sendable, Hashable {
    package var labels: Labels {
        didSet { fingerprint = AlertFingerprint(labels) }
    }
    /// The labels' fingerprint, kept with them (every stage of the pipeline looks it up).
    package private(set) var fingerprint: AlertFingerprint
    package var annotations: Labels
    package var startsAt: Date
    /// When the alert resolves; for an alert posted without `endsAt`, `updatedAt + resolve_timeout`.
    package var endsAt: Date
    package var generatorURL: String
    package var updatedAt: Date
    /// True when `endsAt` was not set by the sender (Alertmanager's `Timeout`).
    package var timeout: Bool

    package init(labels: Labels, annotations: Labels = .empty, startsAt: Date, endsAt: Date,
                 generatorURL: String = "", updatedAt: Date, timeout: Bool = false) {
        self.labels = labels
        fingerprint = AlertFingerprint(labels)
        self.annotations = annotations
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.generatorURL = generatorURL
        self.updatedAt = updatedAt
        self.timeout = timeout
    }

    /// Resolved at `now`: `endsAt` is not after `now`.
    package func isResolved(at now: Date) -> Bool { endsAt <= now }
}

/// What a notifier is told about the group it notifies for.
package struct NotificationContext: Sendable {
    package var receiver: String
    /// Alertmanager's group key, e.g. `{}/{severity="critical"}:{alertname="X"}`.
    package var groupKey: String
    package var groupLabels: Labels
    /// The Alertmanager's external URL (Pharos' own, by default).
    package var externalURL: String
    package var now: Date

    package init(receiver: String, groupKey: String, groupLabels: Labels, externalURL: String, now: Date) {
        self.receiver = receiver
        self.groupKey = groupKey
        self.groupLabels = groupLabels
        self.externalURL = externalURL
        self.now = now
    }
}

/// A failed notification attempt; `retryable` as Alertmanager decides it (5xx, 429, network: yes).
package struct NotifyError: Error, Sendable, CustomStringConvertible {
    package var retryable: Bool
    package var message: String

    package init(retryable: Bool, _ message: String) {
        self.retryable = retryable
        self.message = message
    }

    package var description: String { message }
}

/// One integration of a receiver: one entry of `webhook_configs`, `slack_configs`, ….
package protocol Notifier: Sendable {
    /// The integration's name as Alertmanager's metrics label it: "webhook", "email", "pagerduty", "opsgenie", "wechat", "slack", "victorops", "pushover", "sns", "telegram", "discord", "webex".
    var integration: String { get }
    /// The config's `send_resolved`.
    var sendResolved: Bool { get }
    /// Sends one notification for `alerts` (firing and resolved, already filtered by the caller).
    func notify(_ alerts: [AlertmanagerAlert], context: NotificationContext) async throws(NotifyError)
}
