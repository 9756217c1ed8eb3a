import Foundation
import HTTPTestSupport
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1
import PharosConfig
import PharosCore
import PharosServer
import PharosTestSupport
import ServiceLifecycle
import Synchronization
import Testing

/// A local webhook receiver: records every POST body by path; `/fail-once` answers 500 to its
/// first request, `/hang` never answers within the tests' time.
final class WebhookSink: Sendable {
    let received = Mutex<[(path: String, body: Data, status: Int)]>([])
    let failed = Atomic<Int>(0)

    var router: Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.post("/:name") { [self] request, context -> Response in
            var request = request
            let buffer = try await request.collectBody(upTo: 64 << 20)
            let name = context.parameters.get("name") ?? ""
            if name == "hang" {
                try await Task.sleep(for: .seconds(120))
            }
            var status = 200
            if name == "fail-once", failed.add(1, ordering: .relaxed).newValue == 1 { status = 500 }
            let body = Data(buffer.readableBytesView)
            received.withLock { $0.append((name, body, status)) }
            return Response(status: HTTPResponse.Status(code: status))
        }
        return router
    }

    func bodies(_ path: String, status: Int = 200) -> [[String: Any]] {
        let data = received.withLock { $0.filter { $0.path == path && $0.status == status }.map(\.body) }
        return data.map { (try? JSONSerialization.jsonObject(with: $0)) as? [String: Any] ?? [:] }
    }

    func waitFor(_ path: String, count: Int, timeout: Duration = .seconds(30)) async throws -> [[String: Any]] {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let bodies = self.bodies(path)
            if bodies.count >= count { return bodies }
            try await Task.sleep(for: .milliseconds(50))
        }
        return bodies(path)
    }
}

/// Runs `PharosServer.standard` with `pharos.yml` = `yaml` in `folder`, hands `body` the port.
func withAlertmanagerServer(folder: String, yaml: String, _ body: (Int) async throws -> Void) async throws {
    try yaml.write(toFile: folder + "/pharos.yml", atomically: true, encoding: .utf8)
    var options = ServerOptions()
    options.listenHost = "127.0.0.1"
    options.listenPort = 0
    options.storagePath = folder + "/data"
    options.configFile = folder + "/pharos.yml"
    var server = try PharosServer.standard(options: options, logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }),
                                           metrics: ServerMetrics(version: PharosServer.version))
    server.shutdownSignals = []
    let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
    let group = try server.makeServiceGroup(onListening: { port in continuation.yield(port) })
    try await withThrowingTaskGroup(of: Void.self) { tasks in
        tasks.addTask {
            defer { continuation.finish() }
            try await group.run()
        }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else {
            try await tasks.waitForAll()  // the server's own error, if it failed to start
            throw PeerError("the server stopped before listening")
        }
        do {
            try await body(port)
        } catch {
            await group.triggerGracefulShutdown()
            throw error
        }
        await group.triggerGracefulShutdown()
        try await tasks.waitForAll()
    }
}

/// Runs `arguments` through amtool against `url`; returns stdout, throws on a non-zero exit.
func amtool(_ arguments: [String], url: String) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: Peers.amtool)
    process.arguments = ["--alertmanager.url=\(url)"] + arguments
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    let errors = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
        throw PeerError("amtool \(arguments): exit \(process.terminationStatus): \(String(decoding: errors, as: UTF8.self))")
    }
    return String(decoding: data, as: UTF8.self)
}

func postJSON(_ port: Int, _ path: String, _ json: String) async throws -> TestHTTPClient.Response {
    try await TestHTTPClient(port: port).send(.POST, path, body: json, contentType: "application/json")
}

@Suite(.serialized) struct EmbeddedAlertmanagerLiveTests {
    static func config(sink: Int, groupWait: String = "200ms", extra: String = "") -> String {
        """
        alertmanager:
          route:
            receiver: hook
            group_by: [alertname]
            group_wait: \(groupWait)
            group_interval: 1s
            repeat_interval: 1h
        \(extra)
          receivers:
            - name: hook
              webhook_configs: [{url: "http://127.0.0.1:\(sink)/hook"}]
            - name: flaky
              webhook_configs: [{url: "http://127.0.0.1:\(sink)/fail-once"}]
            - name: hang
              webhook_configs: [{url: "http://127.0.0.1:\(sink)/hang", timeout: 1s}]
            - name: ok
              webhook_configs: [{url: "http://127.0.0.1:\(sink)/ok"}]
        """
    }

    @Test func amtoolAlertsAndSilences() async throws {
        try await withTemporaryDirectory { folder in
            let sink = WebhookSink()
            try await withTestHTTPServer(sink.router) { sinkPort in
                try await withAlertmanagerServer(folder: folder, yaml: Self.config(sink: sinkPort)) { port in
                    let url = "http://127.0.0.1:\(port)"
                    _ = try amtool(["alert", "add", "alertname=AmtoolTest", "severity=critical", "--annotation=summary=hi"], url: url)
                    let alerts = try amtool(["alert", "query", "-o", "json"], url: url)
                    #expect(alerts.contains("AmtoolTest"))
                    let id = try amtool(["silence", "add", "alertname=AmtoolTest", "-c", "maintenance", "-a", "me", "-d", "1h"], url: url)
                        .trimmingCharacters(in: .whitespacesAndNewlines)
                    #expect(UUID(uuidString: id) != nil)
                    let silences = try amtool(["silence", "query", "-o", "json"], url: url)
                    #expect(silences.contains(id))
                    let silenced = try amtool(["alert", "query", "-s", "-o", "json"], url: url)
                    #expect(silenced.contains(id))
                    _ = try amtool(["silence", "expire", id], url: url)
                    let active = try amtool(["silence", "query", "-o", "json"], url: url)
                    #expect(!active.contains(id))
                    let expired = try amtool(["silence", "query", "--expired", "-o", "json"], url: url)
                    #expect(expired.contains(id))
                }
            }
        }
    }

    @Test func malformedAlertIsRefusedNamingTheField() async throws {
        try await withTemporaryDirectory { folder in
            try await withAlertmanagerServer(folder: folder, yaml: Self.config(sink: 1)) { port in
                let response = try await postJSON(port, "/api/v2/alerts", #"[{"annotations": {}}]"#)
                #expect(response.status == 400)
                #expect(response.body.contains("0.labels in body is required"))
                let bad = try await postJSON(port, "/api/v2/alerts", #"[{"labels": {"a": "b"}, "startsAt": "yesterday"}]"#)
                #expect(bad.status == 400)
                #expect(bad.body.contains("0.startsAt"))
            }
        }
    }

    @Test func groupsStatusReceiversAndSilenceLookups() async throws {
        try await withTemporaryDirectory { folder in
            try await withAlertmanagerServer(folder: folder, yaml: Self.config(sink: 1, groupWait: "1h")) { port in
                let client = TestHTTPClient(port: port)
                _ = try await postJSON(port, "/api/v2/alerts", #"[{"labels": {"alertname": "G", "x": "1"}}, {"labels": {"alertname": "G", "x": "2"}}]"#)
                let groups = try JSONSerialization.jsonObject(with: Data(try await client.get("/api/v2/alerts/groups").body.utf8)) as? [[String: Any]]
                #expect(groups?.count == 1)
                #expect((groups?.first?["labels"] as? [String: String]) == ["alertname": "G"])
                #expect((groups?.first?["receiver"] as? [String: String]) == ["name": "hook"])
                #expect((groups?.first?["alerts"] as? [Any])?.count == 2)
                let filtered = try await client.get("/api/v2/alerts?filter=x%3D%222%22")
                let list = try JSONSerialization.jsonObject(with: Data(filtered.body.utf8)) as? [[String: Any]]
                #expect(list?.count == 1)
                #expect((list?.first?["receivers"] as? [[String: String]]) == [["name": "hook"]])
                let receivers = try await client.get("/api/v2/receivers").body
                #expect(receivers.contains(#"{"name":"flaky"}"#))
                let status = try await client.get("/api/v2/status").body
                #expect(status.contains(#""status":"disabled""#))
                // The inline section is shown as YAML, amtool's `config show` reads it.
                let shown = try amtool(["config", "show"], url: "http://127.0.0.1:\(port)")
                #expect(shown.contains("receiver: hook") && shown.contains("group_wait: 1h"), "\(shown)")
                #expect(try await client.get("/api/v2/silence/00000000-0000-0000-0000-000000000000").status == 404)
                #expect(try await client.send(.DELETE, "/api/v2/silence/nope", body: nil).status == 404)
                let past = try await postJSON(port, "/api/v2/silences", #"{"matchers": [{"name": "a", "value": "b", "isRegex": false}], "startsAt": "2020-01-01T00:00:00Z", "endsAt": "2020-01-02T00:00:00Z", "createdBy": "me", "comment": "c"}"#)
                #expect(past.status == 400)
                #expect(past.body.contains("end time can't be in the past"))
            }
        }
    }

    @Test func failingThenSucceedingReceiverGetsItOnceAndHangDoesNotDelayOthers() async throws {
        try await withTemporaryDirectory { folder in
            let sink = WebhookSink()
            try await withTestHTTPServer(sink.router) { sinkPort in
                let routes = """
                    routes:
                      - {matchers: [team="flaky"], receiver: flaky}
                      - {matchers: [team="both"], receiver: hang, continue: true}
                      - {matchers: [team="both"], receiver: ok}
                """
                try await withAlertmanagerServer(folder: folder, yaml: Self.config(sink: sinkPort, extra: routes)) { port in
                    let start = ContinuousClock.now
                    _ = try await postJSON(port, "/api/v2/alerts", #"[{"labels": {"alertname": "F", "team": "flaky"}}, {"labels": {"alertname": "B", "team": "both"}}]"#)
                    let ok = try await sink.waitFor("ok", count: 1, timeout: .seconds(10))
                    #expect(ok.count == 1)
                    #expect(ContinuousClock.now - start < .seconds(3))
                    let flaky = try await sink.waitFor("fail-once", count: 1, timeout: .seconds(10))
                    #expect(flaky.count == 1)
                    try await Task.sleep(for: .seconds(2))
                    #expect(sink.bodies("fail-once").count == 1)
                    #expect(sink.bodies("fail-once", status: 500).count == 1)
                    let metrics = try await TestHTTPClient(port: port).get("/metrics").body
                    #expect(metrics.contains(#"alertmanager_notifications_failed_total{integration="webhook"} 1"#) ||
                            metrics.contains(#"alertmanager_notifications_failed_total{integration="webhook"}"#), "\(metrics)")
                    #expect(metrics.contains("alertmanager_notification_latency_seconds"))
                }
            }
        }
    }

    @Test func tenThousandAlertsInOneBurstAreAllDelivered() async throws {
        try await withTemporaryDirectory { folder in
            let sink = WebhookSink()
            try await withTestHTTPServer(sink.router) { sinkPort in
                try await withAlertmanagerServer(folder: folder, yaml: Self.config(sink: sinkPort)) { port in
                    try await withThrowingTaskGroup(of: Int.self) { tasks in
                        for batch in 0..<10 {
                            tasks.addTask {
                                let items = (0..<1000).map { i in
                                    #"{"labels": {"alertname": "Burst\#(i % 50)", "instance": "i\#(batch * 1000 + i)"}}"#
                                }
                                return try await postJSON(port, "/api/v2/alerts", "[" + items.joined(separator: ",") + "]").status
                            }
                        }
                        for try await status in tasks { #expect(status == 200) }
                    }
                    let deadline = ContinuousClock.now + .seconds(60)
                    var seen = Set<String>()
                    while ContinuousClock.now < deadline {
                        seen = Set(sink.bodies("hook").flatMap { body in
                            ((body["alerts"] as? [[String: Any]]) ?? []).compactMap { $0["fingerprint"] as? String }
                        })
                        if seen.count >= 10_000 { break }
                        try await Task.sleep(for: .milliseconds(200))
                    }
                    #expect(seen.count == 10_000)
                    #expect(Set(sink.bodies("hook").compactMap { $0["groupKey"] as? String }).count == 50)
                }
            }
        }
    }
}
