import Alerting
import Foundation
import PharosCore
import Relabel

/// An alert on its way from the rule manager to Alertmanagers (Prometheus' `notifier.Alert`).
package struct ForwardedAlert: Sendable, Hashable {
    package var labels: Labels
    package var annotations: Labels
    /// When the alert started firing (ms since the epoch).
    package var startsAt: Timestamp
    /// When it resolved, or until when it stays valid without a resend (ms).
    package var endsAt: Timestamp
    package var generatorURL: String

    package init(labels: Labels, annotations: Labels = .empty, startsAt: Timestamp, endsAt: Timestamp, generatorURL: String = "") {
        self.labels = labels
        self.annotations = annotations
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.generatorURL = generatorURL
    }

    /// The alert as the embedded Alertmanager stores it.
    package func alertmanagerAlert(receivedAt now: Date) -> AlertmanagerAlert {
        AlertmanagerAlert(labels: labels, annotations: annotations,
                          startsAt: Date(timeIntervalSince1970: Double(startsAt) / 1000),
                          endsAt: Date(timeIntervalSince1970: Double(endsAt) / 1000),
                          generatorURL: generatorURL, updatedAt: now)
    }
}

extension ForwardedAlert {
    /// Alertmanager API v2's `PostableAlerts` body: `[{"annotations","endsAt","startsAt","generatorURL","labels"}]`,
    /// timestamps as `strfmt.DateTime` (UTC, milliseconds).
    package static func postableJSON(_ alerts: [ForwardedAlert]) -> [UInt8] {
        JSONOut.array(alerts.map { alert in
            var fields: [(String, JSONOut)] = [
                ("annotations", .labels(alert.annotations)),
                ("endsAt", .string(AlertmanagerTime.apiString(Date(timeIntervalSince1970: Double(alert.endsAt) / 1000)))),
                ("startsAt", .string(AlertmanagerTime.apiString(Date(timeIntervalSince1970: Double(alert.startsAt) / 1000)))),
            ]
            if !alert.generatorURL.isEmpty { fields.append(("generatorURL", .string(alert.generatorURL))) }
            fields.append(("labels", .labels(alert.labels)))
            return .object(fields)
        }).bytes
    }

    /// Prometheus' `relabelAlerts`: external labels fill in what the alert lacks (an empty
    /// value counts as lacking), then `configs` run; alerts they drop, or leave without labels,
    /// are left out.
    package static func relabel(_ alerts: [ForwardedAlert], externalLabels: Labels, _ configs: [RelabelConfig]) -> [ForwardedAlert] {
        if externalLabels.isEmpty && configs.isEmpty { return alerts }
        return alerts.compactMap { alert in
            var labels = alert.labels
            for label in externalLabels where (labels.value(of: label.name) ?? "").isEmpty {
                labels = labels.setting(label.name, to: label.value)
            }
            guard let relabelled = Relabel.process(labels, configs), !relabelled.isEmpty else { return nil }
            var out = alert
            out.labels = relabelled
            return out
        }
    }
}
