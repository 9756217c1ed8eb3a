import Foundation
import HTTPTestSupport
import NIOHTTP1
import PharosTestSupport
import Testing

/// Acks, history and escalations on a running Pharos, over HTTP, with a real webhook receiver.
@Suite(.serialized) struct AlertJournalLiveTests {
    static func config(sink: Int) -> String {
        """
        alertmanager:
          route:
            receiver: team
            group_by: [alertname]
            group_wait: 100ms
            group_interval: 500ms
            repeat_interval: 2s
          receivers:
            - name: team
              webhook_configs: [{url: "http://127.0.0.1:\(sink)/team"}]
            - name: secondary
              webhook_configs: [{url: "http://127.0.0.1:\(sink)/secondary"}]
        escalations:
          - name: pages
            matchers: ['severity="critical"']
            steps:
              - after: 2s
                receiver: secondary
        """
    }

    static func alert(_ instance: String) -> String {
        #"[{"labels":{"alertname":"Down","severity":"critical","instance":"\#(instance)"},"annotations":{"runbook_url":"https://runbooks/down"}}]"#
    }

    static func data(_ response: TestHTTPClient.Response) -> Any? {
        (try? JSONSerialization.jsonObject(with: Data(response.body.utf8)) as? [String: Any])?["data"]
    }

    @Test func ackHistoryAndEscalationOverHTTP() async throws {
        try await withTemporaryDirectory { folder in
            let sink = WebhookSink()
            try await withTestHTTPServer(sink.router) { sinkPort in
                try await withAlertmanagerServer(folder: folder, yaml: Self.config(sink: sinkPort)) { port in
                    let client = TestHTTPClient(port: port)
                    #expect(try await postJSON(port, "/api/v2/alerts", Self.alert("a")).status == 200)
                    let first = try await sink.waitFor("team", count: 1)
                    let groupKey = try #require(first.first?["groupKey"] as? String)
                    let alerts = first.first?["alerts"] as? [[String: Any]]
                    #expect((alerts?.first?["annotations"] as? [String: String])?["runbook_url"] == "https://runbooks/down")

                    // Broken acks are refused naming what is wrong.
                    let neither = try await postJSON(port, "/api/pharos/v1/alerts/acks", #"{"by":"alice"}"#)
                    #expect(neither.status == 400 && neither.body.contains("groupKey or matchers"))
                    let badMatcher = try await postJSON(port, "/api/pharos/v1/alerts/acks", #"{"matchers":[{"name":1}]}"#)
                    #expect(badMatcher.status == 400 && badMatcher.body.contains("matchers[0]"))
                    let unknown = try await postJSON(port, "/api/pharos/v1/alerts/acks", #"{"groupKey":"{}:{alertname=\"X\"}"}"#)
                    #expect(unknown.status == 404 && unknown.body.contains("\"errorType\":\"not_found\""))

                    let body = try JSONSerialization.data(withJSONObject: ["groupKey": groupKey, "by": "alice", "comment": "looking"])
                    let acked = try await postJSON(port, "/api/pharos/v1/alerts/acks", String(decoding: body, as: UTF8.self))
                    #expect(acked.status == 200, "\(acked.body)")
                    let id = try #require((Self.data(acked) as? [String: Any])?["id"] as? String)
                    let list = try await client.get("/api/pharos/v1/alerts/acks")
                    let acks = Self.data(list) as? [[String: Any]]
                    #expect(acks?.map { $0["id"] as? String } == [id])
                    #expect(acks?.first?["by"] as? String == "alice")

                    // Acknowledged: past repeat_interval and the escalation step, nothing more is sent.
                    try await Task.sleep(for: .seconds(4))
                    #expect(sink.bodies("team").count == 1)
                    #expect(sink.bodies("secondary").isEmpty)

                    // Withdrawn: the group escalates (its first notification is > 2s old) and repeats.
                    #expect(try await client.send(.DELETE, "/api/pharos/v1/alerts/acks/\(id)", body: nil).status == 200)
                    #expect(try await client.send(.DELETE, "/api/pharos/v1/alerts/acks/\(id)", body: nil).status == 404)
                    let escalated = try await sink.waitFor("secondary", count: 1, timeout: .seconds(15))
                    #expect(escalated.count == 1)
                    #expect(escalated.first?["groupKey"] as? String == groupKey)
                    #expect(escalated.first?["receiver"] as? String == "secondary")

                    // The escalation entry is written once the receiver has answered.
                    var entries: [[String: Any]] = []
                    var kinds: Set<String> = []
                    for _ in 0..<100 where !kinds.contains("escalation") {
                        let history = try await client.get("/api/pharos/v1/alerts/history?filter=alertname%3D%22Down%22&limit=100")
                        #expect(history.status == 200)
                        entries = Self.data(history) as? [[String: Any]] ?? []
                        kinds = Set(entries.compactMap { $0["kind"] as? String })
                        if !kinds.contains("escalation") { try await Task.sleep(for: .milliseconds(50)) }
                    }
                    #expect(kinds.isSuperset(of: ["firing", "notification", "ack", "escalation"]), "\(kinds)")
                    let times = entries.compactMap { $0["time"] as? String }
                    #expect(times == times.sorted(by: >))
                    let none = try await client.get("/api/pharos/v1/alerts/history?filter=alertname%3D%22Other%22")
                    #expect((Self.data(none) as? [Any])?.isEmpty == true)
                    let bad = try await client.get("/api/pharos/v1/alerts/history?start=yesterday")
                    #expect(bad.status == 400 && bad.body.contains("start"))
                }
            }
        }
    }

    @Test func alertmanagerSectionAddedOnReloadTakesEffect() async throws {
        try await withTemporaryDirectory { folder in
            let sink = WebhookSink()
            try await withTestHTTPServer(sink.router) { sinkPort in
                try await withAlertmanagerServer(folder: folder, yaml: "global:\n  scrape_interval: 15s\n") { port in
                    let client = TestHTTPClient(port: port)
                    try Self.config(sink: sinkPort).write(toFile: folder + "/pharos.yml", atomically: true, encoding: .utf8)
                    let reload = try await client.send(.POST, "/-/reload", body: nil)
                    #expect(reload.status == 200, "\(reload.body)")
                    #expect(try await postJSON(port, "/api/v2/alerts", Self.alert("r")).status == 200)
                    let delivered = try await sink.waitFor("team", count: 1)
                    #expect(delivered.count == 1)
                    let receivers = try await client.get("/api/v2/receivers")
                    #expect(receivers.body.contains("secondary"))
                }
            }
        }
    }
}
