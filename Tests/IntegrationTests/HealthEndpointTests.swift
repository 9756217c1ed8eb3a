import Foundation
import NIOHTTP1
import PharosServer
import Testing

@Suite(.timeLimit(.minutes(10))) struct HealthEndpointTests {
    @Test func healthEndpointsWhenReady() async throws {
        try await withLiveServer { port, server async throws in
            let client = TestHTTPClient(port: port)
            #expect(server.gate.isReady)
            let healthy = try await client.get("/-/healthy")
            #expect(healthy.status == 200)
            #expect(healthy.body == "Pharos is Healthy.\n")
            #expect(try await client.get("/-/ready").status == 200)
            let head = try await client.send(.HEAD, "/-/healthy", body: nil)
            #expect(head.status == 200)
            #expect(head.body.isEmpty)
            #expect(try await client.get("/health/live").status == 200)
            #expect(try await client.get("/health/ready").status == 200)
            #expect(try await client.get("/health/startup").status == 200)
            let health = try await client.get("/health")
            #expect(health.status == 200)
            #expect(health.body == #"{"status":"pass","checks":{"startup":{"status":"pass","latency_seconds":0},"ready":{"status":"pass","latency_seconds":0}}}"#)
            #expect(try await client.get("/no/such/path").status == 404)
        }
    }

    @Test func notReadyUntilTheGateOpens() async throws {
        try await withLiveServer(configure: { (server: inout PharosServer) in server.readyWhenListening = false }) { port, server async throws in
            let client = TestHTTPClient(port: port)
            #expect(try await client.get("/-/healthy").status == 200)
            #expect(try await client.get("/health/live").status == 200)
            #expect(try await client.get("/-/ready").status == 503)
            #expect(try await client.get("/health/ready").status == 503)
            #expect(try await client.get("/health/startup").status == 503)
            let health = try await client.get("/health")
            #expect(health.status == 503)
            #expect(health.body == #"{"status":"fail","checks":{"startup":{"status":"fail","latency_seconds":0,"message":"starting up"},"ready":{"status":"fail","latency_seconds":0,"message":"not ready"}}}"#)
            server.gate.markStarted()
            #expect(try await client.get("/health/startup").status == 200)
            #expect(try await client.get("/health/ready").status == 503)
            server.gate.markReady()
            #expect(try await client.get("/health/ready").status == 200)
            #expect(try await client.get("/-/ready").body == "Pharos is Ready.\n")
        }
    }

    @Test func healthReportsEachCheck() async throws {
        try await withLiveServer { port, server async throws in
            server.gate.addCheck("tsdb") { (true, "") }
            server.gate.addCheck("config") { (false, "cannot read \"x.yml\"") }
            let response = try await TestHTTPClient(port: port).get("/health")
            #expect(response.status == 503)
            let object = try JSONSerialization.jsonObject(with: Data(response.body.utf8)) as? [String: Any]
            #expect(object?["status"] as? String == "fail")
            let checks = object?["checks"] as? [String: [String: Any]]
            #expect(checks?["tsdb"]?["status"] as? String == "pass")
            #expect(checks?["config"]?["status"] as? String == "fail")
            #expect(checks?["config"]?["message"] as? String == "cannot read \"x.yml\"")
            #expect((checks?["tsdb"]?["latency_seconds"] as? Double ?? -1) >= 0)
        }
    }
}
