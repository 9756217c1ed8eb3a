import Foundation
import HTTPTestSupport
import PharosTestSupport
import Testing

/// Real Alertmanager 0.25 and Pharos, same routing config, same alerts: the webhook payloads
/// match field by field (externalURL aside; the alerts carry explicit start times).
@Suite(.serialized) struct AlertmanagerWebhookDifferentialTests {
    static func routing(_ url: String) -> String {
        """
        route:
          receiver: hook
          group_by: [alertname, cluster]
          group_wait: 1s
          group_interval: 1s
          repeat_interval: 1h
          routes:
            - matchers: [severity="critical"]
              receiver: pager
              group_by: [cluster]
        receivers:
          - name: hook
            webhook_configs: [{url: "\(url)", max_alerts: 2}]
          - name: pager
            webhook_configs: [{url: "\(url)"}]
        """
    }

    static let alerts = """
    [
      {"labels": {"alertname": "Latency", "cluster": "a", "severity": "warning", "instance": "i1"},
       "annotations": {"summary": "slow <a&b>"}, "startsAt": "2026-12-07T10:00:00.123Z", "generatorURL": "http://prom/graph?g0.expr=x"},
      {"labels": {"alertname": "Latency", "cluster": "a", "severity": "warning", "instance": "i2"},
       "annotations": {"summary": "slow <a&b>"}, "startsAt": "2026-12-07T10:00:01Z"},
      {"labels": {"alertname": "Latency", "cluster": "a", "severity": "warning", "instance": "i3"}, "startsAt": "2026-12-07T10:00:02Z"},
      {"labels": {"alertname": "Down", "cluster": "b", "severity": "critical", "job": "api"}, "startsAt": "2026-12-07T10:00:03Z"},
      {"labels": {"alertname": "Gone", "cluster": "c", "severity": "critical"}, "startsAt": "2026-12-07T09:00:00Z",
       "endsAt": "2099-01-01T00:00:00Z"}
    ]
    """

    /// The payloads keyed by groupKey, without `externalURL`.
    static func normalised(_ bodies: [[String: Any]]) throws -> [String: NSDictionary] {
        var out: [String: NSDictionary] = [:]
        for body in bodies {
            var body = body
            body["externalURL"] = nil
            // Alertmanager writes endsAt of firing alerts as Go's zero time; resolved ones do not occur here.
            out[body["groupKey"] as? String ?? ""] = body as NSDictionary
        }
        return out
    }

    @Test func webhookPayloadsMatchAlertmanager() async throws {
        try await withTemporaryDirectory { folder in
            let sink = WebhookSink()
            try await withTestHTTPServer(sink.router) { sinkPort in
                let amFile = folder + "/alertmanager.yml"
                try Self.routing("http://127.0.0.1:\(sinkPort)/am").write(toFile: amFile, atomically: true, encoding: .utf8)
                let amPort = try Peers.freePort()
                let peer = try PeerProcess(Peers.alertmanager, [
                    "--config.file=\(amFile)", "--storage.path=\(folder)/am-data",
                    "--web.listen-address=127.0.0.1:\(amPort)", "--cluster.listen-address=",
                ], logPath: folder + "/alertmanager.log")
                defer { peer.stop() }
                try await peer.waitForLog(containing: "Listening")
                let inline = Self.routing("http://127.0.0.1:\(sinkPort)/pharos")
                    .split(separator: "\n").map { "  " + $0 }.joined(separator: "\n")
                try await withAlertmanagerServer(folder: folder, yaml: "alertmanager:\n" + inline) { port in
                    _ = try await postJSON(amPort, "/api/v2/alerts", Self.alerts)
                    _ = try await postJSON(port, "/api/v2/alerts", Self.alerts)
                    let theirs = try await sink.waitFor("am", count: 3, timeout: .seconds(20))
                    let ours = try await sink.waitFor("pharos", count: 3, timeout: .seconds(20))
                    try await Task.sleep(for: .seconds(1))
                    let expected = try Self.normalised(sink.bodies("am"))
                    let actual = try Self.normalised(sink.bodies("pharos"))
                    #expect(theirs.count == 3 && ours.count == 3)
                    #expect(Set(actual.keys) == Set(expected.keys))
                    #expect(expected.values.contains { ($0["truncatedAlerts"] as? Int) == 1 })
                    #expect(expected.keys.contains(#"{}/{severity="critical"}:{cluster="b"}"#))
                    for (key, payload) in expected {
                        #expect(actual[key] == payload, "group \(key):\nalertmanager: \(payload)\npharos: \(actual[key] as Any)")
                    }
                }
            }
        }
    }

    @Test func killDuringGroupWaitNotifiesOnceAfterRestart() async throws {
        try await withTemporaryDirectory { folder in
            let sink = WebhookSink()
            try await withTestHTTPServer(sink.router) { sinkPort in
                let yaml = EmbeddedAlertmanagerLiveTests.config(sink: sinkPort, groupWait: "3s")
                try yaml.write(toFile: folder + "/pharos.yml", atomically: true, encoding: .utf8)
                let arguments = ["--config.file=\(folder)/pharos.yml"]
                let first = try await PharosSubprocess(dataPath: folder + "/data", logPath: folder + "/pharos-1.log",
                                                       extraArguments: arguments)
                let response = try await postJSON(first.port, "/api/v2/alerts", #"[{"labels": {"alertname": "Crash"}}]"#)
                #expect(response.status == 200)
                try await Task.sleep(for: .milliseconds(300))
                first.kill9()
                try await Task.sleep(for: .milliseconds(300))
                #expect(sink.bodies("hook").isEmpty)
                let second = try await PharosSubprocess(dataPath: folder + "/data", logPath: folder + "/pharos-2.log",
                                                        extraArguments: arguments)
                let delivered = try await sink.waitFor("hook", count: 1, timeout: .seconds(15))
                #expect(delivered.count == 1)
                second.stop()
                // A third start finds the notification in the log: nothing is repeated.
                let third = try await PharosSubprocess(dataPath: folder + "/data", logPath: folder + "/pharos-3.log",
                                                       extraArguments: arguments)
                try await Task.sleep(for: .seconds(5))
                #expect(sink.bodies("hook").count == 1, "log:\n\(third.log)")
                third.stop()
            }
        }
    }
}
