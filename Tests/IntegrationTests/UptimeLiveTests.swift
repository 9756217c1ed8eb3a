import Foundation
import HTTPTestSupport
import Hummingbird
import NIOHTTP1
import PharosTestSupport
import Testing

/// The `pharos` binary with two checks, one against a live HTTP server and one against a closed
/// port: `/api/pharos/v1/uptime` reports one up and one down with an ongoing incident, and the
/// public `/status` page says so in HTML. A maintenance window then covers the broken check:
/// `/api/pharos/v1/maintenance` lists it open, and its probes leave the uptime. Last,
/// `health.readiness_checks` make `/health/ready` follow the checks.
@Suite(.serialized, .timeLimit(.minutes(5))) struct UptimeLiveTests {
    @Test func uptimeAndStatusPageFollowTheChecks() async throws {
        let router = Router()
        router.get("/healthz") { _, _ in "ok" }
        try await withTestHTTPServer(router) { port in
            try await withTemporaryDirectory { folder in
                let closed = try Peers.freePort()
                let file = folder + "/pharos.yml"
                try """
                    probes:
                      modules:
                        http_2xx: {prober: http, timeout: 2s}
                      checks:
                        - {name: web, target: 'http://127.0.0.1:\(port)/healthz', module: http_2xx, interval: 1s, timeout: 1s}
                        - {name: gone, target: 'http://127.0.0.1:\(closed)/', module: http_2xx, interval: 1s, timeout: 1s}
                    """.write(toFile: file, atomically: true, encoding: .utf8)
                let pharos = try await PharosSubprocess(dataPath: folder + "/data", logPath: folder + "/pharos.log",
                                                        extraArguments: ["--config.file=\(file)"])
                defer { pharos.stop() }
                var checks: [[String: Any]] = []
                for _ in 0..<60 {
                    let body = try await pharos.client.get("/api/pharos/v1/uptime").body
                    checks = ((try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any])?["data"] as? [[String: Any]] ?? []
                    if checks.count == 2 { break }
                    try await Task.sleep(for: .milliseconds(250))
                }
                try #require(checks.count == 2, "uptime never listed both checks:\n\(pharos.log)")
                let gone = try #require(checks.first { $0["check"] as? String == "gone" })
                let web = try #require(checks.first { $0["check"] as? String == "web" })
                #expect(web["up"] as? Bool == true)
                #expect((web["uptime"] as? [String: Any])?["24h"] as? Double == 100)
                #expect((web["incidents"] as? [Any])?.isEmpty == true)
                #expect(gone["up"] as? Bool == false)
                #expect((gone["uptime"] as? [String: Any])?["24h"] as? Double == 0)
                let incident = (gone["incidents"] as? [[String: Any]])?.first
                #expect(incident?["end"] is NSNull, "\(gone)")

                let page = try await pharos.client.get("/status")
                #expect(page.status == 200)
                #expect(page.headers["content-type"] == "text/html; charset=utf-8")
                #expect(page.body.contains("1 of 2 checks down: gone"), "\(page.body)")
                #expect(page.body.contains("ongoing"))

                let start = ISO8601DateFormatter().string(from: Date().addingTimeInterval(-3600))
                try """
                    probes:
                      modules:
                        http_2xx: {prober: http, timeout: 2s}
                      checks:
                        - {name: web, target: 'http://127.0.0.1:\(port)/healthz', module: http_2xx, interval: 1s, timeout: 1s}
                        - {name: gone, target: 'http://127.0.0.1:\(closed)/', module: http_2xx, interval: 1s, timeout: 1s}
                    maintenance:
                      - {name: rebuild, checks: [gone], start: '\(start)', duration: 2h}
                    """.write(toFile: file, atomically: true, encoding: .utf8)
                #expect(try await pharos.client.send(.POST, "/-/reload", body: nil).status == 200)
                let windows = try await pharos.client.get("/api/pharos/v1/maintenance").body
                #expect(windows.contains(#""name":"rebuild""#) && windows.contains(#""active":true"#), "\(windows)")
                let after = try await pharos.client.get("/api/pharos/v1/uptime").body
                let listed = ((try? JSONSerialization.jsonObject(with: Data(after.utf8))) as? [String: Any])?["data"] as? [[String: Any]] ?? []
                let covered = try #require(listed.first { $0["check"] as? String == "gone" })
                #expect((covered["uptime"] as? [String: Any])?["24h"] is NSNull, "\(covered)")
                #expect((covered["incidents"] as? [[String: Any]])?.first?["duringMaintenance"] as? Bool == true, "\(covered)")

                // Readiness follows the configured dependency checks.
                let base = try String(contentsOfFile: file, encoding: .utf8)
                try (base + "\nhealth: {readiness_checks: [web]}\n").write(toFile: file, atomically: true, encoding: .utf8)
                #expect(try await pharos.client.send(.POST, "/-/reload", body: nil).status == 200)
                #expect(try await pharos.client.get("/health/ready").status == 200)
                try (base + "\nhealth: {readiness_checks: [web, gone]}\n").write(toFile: file, atomically: true, encoding: .utf8)
                #expect(try await pharos.client.send(.POST, "/-/reload", body: nil).status == 200)
                let ready = try await pharos.client.get("/health/ready")
                #expect(ready.status == 503)
                #expect(ready.body.contains("check:gone: probe failing"), "\(ready.body)")
                let health = try await pharos.client.get("/health")
                #expect(health.status == 503)
                #expect(health.body.contains(#""check:web":{"status":"pass""#) && health.body.contains(#""check:gone":{"status":"fail""#), "\(health.body)")
                try (base + "\nhealth: {readiness_checks: [nope]}\n").write(toFile: file, atomically: true, encoding: .utf8)
                let refused = try await pharos.client.send(.POST, "/-/reload", body: nil)
                #expect(refused.status != 200)
                #expect(refused.body.contains("unknown check \"nope\""), "\(refused.body)")
            }
        }
    }
}
