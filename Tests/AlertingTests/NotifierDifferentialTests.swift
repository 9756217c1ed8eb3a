import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import PharosCore
import PharosTestSupport
import Testing
@testable import Alerting

/// A real Alertmanager 0.25 (Debian's prometheus-alertmanager) and Pharos' notifiers, given the
/// same config and the same alerts, send the same Slack and PagerDuty payloads, field by field.
@Suite(.timeLimit(.minutes(2)))
struct NotifierDifferentialTests {
    static let externalURL = "http://am.example:9093"

    static func config(_ url: String) -> String {
        """
        global:
          slack_api_url: \(url)/slack
          resolve_timeout: 5m
        route:
          receiver: team-X.pager
          group_by: [alertname]
          group_wait: 1s
          group_interval: 1m
          repeat_interval: 1h
        receivers:
        - name: team-X.pager
          slack_configs:
          - channel: '#ops'
            send_resolved: true
            icon_url: 'http://icons/{{ .Status }}.png'
            text: '{{ range .Alerts }}*{{ .Labels.instance }}*: {{ .Annotations.summary }}{{ "\\n" }}{{ end }}'
            pretext: '{{ .CommonAnnotations.runbook_url }}'
            fields:
            - {title: Severity, value: '{{ .CommonLabels.severity }}'}
            actions:
            - {type: button, text: 'Runbook {{ .GroupLabels.alertname }}', url: 'http://rb/{{ .GroupLabels.alertname }}'}
          - api_url: \(url)/slack2
          pagerduty_configs:
          - routing_key: rk-{{ .CommonLabels.severity }}
            url: \(url)/pd
            severity: '{{ .CommonLabels.severity }}'
            class: latency
            component: '{{ .CommonLabels.job }}'
            details: {team: db, first: '{{ (index .Alerts 0).Labels.instance }}'}
            images: [{src: 'http://img/{{ .GroupLabels.alertname }}', alt: graph, href: 'http://g'}]
            links: [{href: 'http://rb', text: runbook}]
          - routing_key: plain
            url: \(url)/pd2
        """
    }

    /// Sorted by instance, the order Alertmanager's aggregation group hands them over.
    static let alerts: [[String: String]] = [
        ["alertname": "HighLatency", "severity": "critical", "instance": "a:9100", "job": "api"],
        ["alertname": "HighLatency", "severity": "critical", "instance": "b:9100", "job": "api"],
    ]

    @Test func slackAndPagerDutyPayloadsMatchAlertmanager() async throws {
        let receiver = PayloadReceiver()
        try await receiver.run { url in
            let directory = try TemporaryDirectory(prefix: "pharos-notify-diff")
            defer { directory.remove() }
            let file = directory.path + "/alertmanager.yml"
            let yaml = Self.config(url)
            try yaml.write(toFile: file, atomically: true, encoding: .utf8)
            let port = try Peers.freePort()
            let peer = try PeerProcess(Peers.alertmanager, [
                "--config.file=\(file)", "--storage.path=\(directory.path)/data",
                "--web.listen-address=127.0.0.1:\(port)", "--cluster.listen-address=",
                "--web.external-url=\(Self.externalURL)",
            ], logPath: directory.path + "/alertmanager.log")
            defer { peer.stop() }
            try await peer.waitForLog(containing: "Listening")
            let startsAt = Date(timeIntervalSince1970: 1_700_000_000)
            let posted = Self.alerts.map { labels -> [String: Any] in
                ["labels": labels, "annotations": ["summary": "slow \(labels["instance"]!)", "runbook_url": "http://rb/1"],
                 "startsAt": "2023-11-14T22:13:20Z", "generatorURL": "http://prom/graph?g0.expr=up"]
            }
            var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)/api/v2/alerts")!)
            request.httpMethod = "POST"
            request.httpBody = try JSONSerialization.data(withJSONObject: posted)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            let (_, response) = try await URLSession.shared.data(for: request)
            #expect((response as? HTTPURLResponse)?.statusCode == 200)
            var theirs: [String: PayloadReceiver.Received] = [:]
            for path in ["/slack", "/slack2", "/pd", "/pd2"] {
                theirs[path] = try await receiver.wait(path: path, count: 1, timeout: .seconds(20)).first
            }
            // What Alertmanager sent is the rich payload this config asks for (not an empty match).
            let pdPayload = theirs["/pd"]?.json["payload"] as? NSDictionary
            #expect((pdPayload?["custom_details"] as? NSDictionary)?["first"] as? String == "a:9100")
            #expect(pdPayload?["severity"] as? String == "critical")
            let slackAttachment = (theirs["/slack"]?.json["attachments"] as? [NSDictionary])?.first
            #expect(slackAttachment?["text"] as? String == "*a:9100*: slow a:9100\n*b:9100*: slow b:9100\n")
            #expect(slackAttachment?["title"] as? String == "[FIRING:2] HighLatency (api critical)")
            // Alertmanager's fingerprints are the ones Pharos computes.
            let (listed, _) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(port)/api/v2/alerts")!)
            for alert in try JSONSerialization.jsonObject(with: listed) as? [[String: Any]] ?? [] {
                let labels = alert["labels"] as? [String: String] ?? [:]
                #expect(alert["fingerprint"] as? String == alertFingerprint(Labels(labels)))
            }

            // Pharos: the same config through its loader, the same alerts and group.
            let config = try AlertmanagerConfig.parse(yaml, file: file)
            let made = try NotifierFactory.make(for: config.receivers[0], templates: NotificationTemplates())
            #expect(made.unsupported.isEmpty)
            let now = Date()
            let ours = Self.alerts.map { labels in
                AlertmanagerAlert(labels: Labels(labels),
                                  annotations: Labels(["summary": "slow \(labels["instance"]!)", "runbook_url": "http://rb/1"]),
                                  startsAt: startsAt, endsAt: now.addingTimeInterval(300),
                                  generatorURL: "http://prom/graph?g0.expr=up", updatedAt: now, timeout: true)
            }
            let context = NotificationContext(receiver: "team-X.pager", groupKey: #"{}:{alertname="HighLatency"}"#,
                                              groupLabels: Labels(["alertname": "HighLatency"]),
                                              externalURL: Self.externalURL, now: now)
            let before = receiver.received.count
            for notifier in made.notifiers { try await notifier.notify(ours, context: context) }
            let mine = Array(receiver.received.dropFirst(before))
            #expect(mine.map(\.path) == ["/pd", "/pd2", "/slack", "/slack2"])
            for got in mine {
                let expected = try #require(theirs[got.path])
                #expect(got.json == expected.json, "\(got.path): Pharos \(got.json) vs Alertmanager \(expected.json)")
            }
        }
    }
}
