import Foundation
import HTTPTestSupport
import PharosTestSupport
import Testing

/// `alerting:` against a real Alertmanager 0.25, side by side with Prometheus 2.42 on the same
/// rules and notifier config: the alerts reach Alertmanager with the same labels and
/// annotations, and `/api/v1/alertmanagers` answers the same.
@Suite(.serialized) struct NotifierLiveTests {
    static let rules = """
        groups:
          - name: always
            interval: 1s
            rules:
              - alert: AlwaysFiring
                expr: vector(1)
                labels: {severity: page, team: db}
                annotations:
                  summary: "value {{ $value }}"
                  runbook_url: https://runbooks.example/always
        """

    static func config(cluster: String, amPort: Int) -> String {
        """
        global:
          evaluation_interval: 1s
          external_labels: {cluster: \(cluster)}
        rule_files: [rules.yml]
        alerting:
          alert_relabel_configs:
            - source_labels: [severity]
              regex: page
              target_label: severity
              replacement: critical
            - regex: team
              action: labeldrop
          alertmanagers:
            - static_configs: [{targets: ["127.0.0.1:\(amPort)"]}]
            - path_prefix: /prefix
              static_configs: [{targets: ["127.0.0.1:1", "127.0.0.1:2"]}]
              relabel_configs:
                - source_labels: [__address__]
                  regex: .*:2
                  action: drop
        """
    }

    static func json(_ text: String) -> Any? { try? JSONSerialization.jsonObject(with: Data(text.utf8)) }

    @Test func rulesReachARealAlertmanagerAsFromPrometheus() async throws {
        try await withTemporaryDirectory { folder in
            let amPort = try Peers.freePort()
            try "route: {receiver: none, group_wait: 1h}\nreceivers: [{name: none}]\n"
                .write(toFile: folder + "/alertmanager.yml", atomically: true, encoding: .utf8)
            let alertmanager = try PeerProcess(Peers.alertmanager, [
                "--config.file=\(folder)/alertmanager.yml", "--storage.path=\(folder)/am-data",
                "--web.listen-address=127.0.0.1:\(amPort)", "--cluster.listen-address=",
            ], logPath: folder + "/alertmanager.log")
            defer { alertmanager.stop() }
            try await alertmanager.waitForLog(containing: "Listening")
            try Self.rules.write(toFile: folder + "/rules.yml", atomically: true, encoding: .utf8)
            // Prometheus drops the alerts of its first evaluation (no Alertmanager discovered yet) and
            // resends after the resend delay.
            let prometheus = try await PrometheusPeer.start(folder: folder, config: Self.config(cluster: "prometheus", amPort: amPort),
                                                            extraArguments: ["--rules.alert.resend-delay=1s"])
            defer { prometheus.stop() }
            try await withAlertmanagerServer(folder: folder, yaml: Self.config(cluster: "pharos", amPort: amPort)) { port in
                let am = TestHTTPClient(port: amPort)
                var byCluster: [String: [String: Any]] = [:]
                let deadline = ContinuousClock.now + .seconds(30)
                while byCluster.count < 2, ContinuousClock.now < deadline {
                    let alerts = Self.json(try await am.get("/api/v2/alerts").body) as? [[String: Any]] ?? []
                    for alert in alerts {
                        if let cluster = (alert["labels"] as? [String: String])?["cluster"] { byCluster[cluster] = alert }
                    }
                    if byCluster.count < 2 { try await Task.sleep(for: .milliseconds(200)) }
                }
                let ours = try #require(byCluster["pharos"], "Pharos' alert did not reach Alertmanager: \(byCluster.keys)")
                let theirs = try #require(byCluster["prometheus"], "Prometheus' alert did not reach Alertmanager")
                var ourLabels = ours["labels"] as? [String: String] ?? [:]
                var theirLabels = theirs["labels"] as? [String: String] ?? [:]
                #expect(ourLabels == ["alertname": "AlwaysFiring", "severity": "critical", "cluster": "pharos"])
                ourLabels["cluster"] = nil
                theirLabels["cluster"] = nil
                #expect(ourLabels == theirLabels)
                #expect(ours["annotations"] as? [String: String] == theirs["annotations"] as? [String: String])
                #expect((ours["generatorURL"] as? String)?.contains("/graph?g0.expr=vector%281%29") == true, "\(ours["generatorURL"] ?? "")")

                // The same Alertmanager lists from both.
                let ourList = Self.json(try await TestHTTPClient(port: port).get("/api/v1/alertmanagers").body) as? NSDictionary
                let theirList = Self.json(try await prometheus.client.get("/api/v1/alertmanagers").body) as? NSDictionary
                #expect(ourList != nil && ourList == theirList, "ours \(String(describing: ourList)) theirs \(String(describing: theirList))")
            }
        }
    }
}
