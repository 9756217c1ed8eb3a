import AlertForwarding
import Foundation
import PharosHTTP
import Rules

/// The rule manager's `AlertSink`: every alert goes through the notifier, which relabels it and
/// hands it to the embedded Alertmanager (stored before `send` returns) and to the queue of the
/// `alerting:` Alertmanagers.
struct ForwardingAlertSink: AlertSink {
    let forwarder: AlertForwarder

    func send(_ alerts: [Rules.Alert], expression: String) async {
        forwarder.send(alerts.map { alert in
            ForwardedAlert(labels: alert.labels, annotations: alert.annotations, startsAt: alert.startsAt,
                           endsAt: alert.endsAt, generatorURL: alert.generatorURL)
        })
    }
}

/// The notifier's Alertmanagers in `/api/v1/alertmanagers`' shape.
struct ForwarderAlertmanagers: AlertmanagersProviding {
    let forwarder: AlertForwarder

    func alertmanagers() -> (active: [String], dropped: [String]) { forwarder.alertmanagers }
}
