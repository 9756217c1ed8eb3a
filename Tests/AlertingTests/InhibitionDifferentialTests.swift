import Alerting
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import PharosCore
import PharosTestSupport
import Testing

/// A real Alertmanager 0.25 with inhibit rules: the alerts its API reports as inhibited are
/// the ones `InhibitRule.mutes` mutes, for the same alerts and rules.
@Suite(.serialized) struct InhibitionDifferentialTests {
    static let config = """
    route: {receiver: x, group_wait: 1h}
    receivers: [{name: x}]
    inhibit_rules:
      - source_matchers: [severity="critical"]
        target_matchers: [severity=~"warning|info"]
        equal: [cluster]
      - source_matchers: [alertname="ClusterDown"]
        target_matchers: [alertname!="ClusterDown"]
        equal: [cluster, zone]
      - source_match: {team: db}
        target_match: {team: db}
    """

    static let alerts: [[String: String]] = [
        ["alertname": "ClusterDown", "cluster": "a", "severity": "critical"],
        ["alertname": "Latency", "cluster": "a", "severity": "warning"],
        ["alertname": "Latency", "cluster": "b", "severity": "warning"],
        ["alertname": "Disk", "cluster": "a", "severity": "info", "zone": "z1"],
        ["alertname": "Disk", "cluster": "b", "zone": "z1"],
        ["alertname": "Replica", "team": "db", "cluster": "c"],
        ["alertname": "Backup", "team": "db", "cluster": "c", "severity": "critical"],
        ["alertname": "Queue", "cluster": "c", "severity": "info"],
    ]

    static func request(_ url: String, method: String = "GET", body: Data? = nil) async throws -> Data {
        var request = URLRequest(url: URL(string: url)!)
        request.httpMethod = method
        request.httpBody = body
        if body != nil { request.setValue("application/json", forHTTPHeaderField: "Content-Type") }
        let (data, _) = try await URLSession.shared.data(for: request)
        return data
    }

    @Test func inhibitedAlertsMatchAlertmanager() async throws {
        let directory = try TemporaryDirectory(prefix: "pharos-inhibit")
        defer { directory.remove() }
        let file = directory.path + "/alertmanager.yml"
        try Self.config.write(toFile: file, atomically: true, encoding: .utf8)
        let port = try Peers.freePort()
        let peer = try PeerProcess(Peers.alertmanager, [
            "--config.file=\(file)", "--storage.path=\(directory.path)/data",
            "--web.listen-address=127.0.0.1:\(port)", "--cluster.listen-address=",
        ], logPath: directory.path + "/alertmanager.log")
        defer { peer.stop() }
        try await peer.waitForLog(containing: "Listening")
        let base = "http://127.0.0.1:\(port)/api/v2"
        let body = try JSONSerialization.data(withJSONObject: Self.alerts.map { ["labels": $0] })
        _ = try await Self.request(base + "/alerts", method: "POST", body: body)

        let rules = try AlertmanagerConfig.parse(Self.config, file: "alertmanager.yml").inhibitRules.map(InhibitRule.init)
        let labelSets = Self.alerts.map { Labels($0) }
        let expected = Set(labelSets.filter { rules.mutes(target: $0, firing: labelSets) }.map { $0["alertname"] + "/" + $0["cluster"] })
        // Alerts matching both sides of the team=db rule do not inhibit each other.
        #expect(expected == ["Latency/a", "Disk/a", "Queue/c"])

        // The inhibitor sees new alerts asynchronously: poll until Alertmanager's answer settles.
        var inhibited: Set<String> = []
        for _ in 0..<50 {
            let data = try await Self.request(base + "/alerts")
            let list = try JSONSerialization.jsonObject(with: data) as? [[String: Any]] ?? []
            inhibited = []
            for alert in list {
                let labels = alert["labels"] as? [String: String] ?? [:]
                let status = alert["status"] as? [String: Any] ?? [:]
                if let by = status["inhibitedBy"] as? [String], !by.isEmpty {
                    inhibited.insert((labels["alertname"] ?? "") + "/" + (labels["cluster"] ?? ""))
                }
            }
            if list.count == Self.alerts.count, inhibited == expected { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(inhibited == expected, "log:\n\(peer.log)")
    }
}
