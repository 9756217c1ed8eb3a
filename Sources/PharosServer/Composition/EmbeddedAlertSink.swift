import Alerting
import Foundation
import Rules

/// The rule manager's `AlertSink` into the embedded Alertmanager: alerts are stored (and
/// persisted) before `send` returns, and dispatched without waiting for any notification.
struct EmbeddedAlertSink: AlertSink {
    let alertmanager: EmbeddedAlertmanager

    func send(_ alerts: [Rules.Alert], expression: String) async {
        alertmanager.receive(alerts.map { alert in
            AlertmanagerAlert(labels: alert.labels, annotations: alert.annotations,
                              startsAt: Date(timeIntervalSince1970: Double(alert.startsAt) / 1000),
                              endsAt: Date(timeIntervalSince1970: Double(alert.endsAt) / 1000),
                              generatorURL: alert.generatorURL, updatedAt: Date())
        })
    }
}
