@testable import Discovery
import Foundation
import HTTPTestSupport
import Hummingbird
import MetricsTestKit
import NIOCore
import PharosConfig
import PharosCore
import PharosTestSupport
import Synchronization
import Testing

/// HTTP SD against a local server whose answer the test changes.
@Suite(.timeLimit(.minutes(2))) struct HTTPDiscoveryTests {
    /// What the stand-in answers next, and the headers of what it received.
    final class Answer: Sendable {
        let state = Mutex((status: 200, contentType: "application/json", body: "[]", headers: [[String: String]]()))

        func set(_ body: String, status: Int = 200, contentType: String = "application/json") {
            state.withLock { $0.status = status; $0.body = body; $0.contentType = contentType }
        }

        var requests: [[String: String]] { state.withLock { $0.headers } }

        var router: Router<BasicRequestContext> {
            let router = Router()
            router.get("/sd") { request, _ -> Response in
                var headers: [String: String] = [:]
                for field in request.headers { headers[field.name.canonicalName] = field.value }
                let (status, type, body) = self.state.withLock { state in
                    state.headers.append(headers)
                    return (state.status, state.contentType, state.body)
                }
                return Response(status: .init(code: status), headers: [.contentType: type],
                                body: .init(byteBuffer: ByteBuffer(string: body)))
            }
            return router
        }
    }

    @Test func refreshFollowsTheAnswerAndKeepsGroupsOnFailure() async throws {
        let answer = Answer()
        try await withTestHTTPServer(answer.router) { port in
            let url = "http://127.0.0.1:\(port)/sd"
            let clock = ManualClock(nowMilliseconds: 0), metrics = TestMetrics()
            var config = HTTPSDConfig(url: url, refreshInterval: PrometheusDuration(milliseconds: 30_000))
            config.httpClient.authorization = .init(type: "Bearer", credentials: "sd-token")
            let discoverer = try HTTPDiscoverer(config: config, context: testContext(metrics, clock: clock))
            answer.set(#"[{"targets": ["a:1", "b:1"], "labels": {"env": "prod"}}, {"targets": ["c:1"]}]"#)
            let collected = Collected()
            try await whileRunning(discoverer, into: collected) {
                #expect(await poll { collected.count == 1 })
                let groups = collected.all[0]
                #expect(groups.map(\.source) == ["\(url):0", "\(url):1"])
                #expect(groups[0].targets == [Labels(["__address__": "a:1"]), Labels(["__address__": "b:1"])])
                #expect(groups[0].labels == Labels(["env": "prod", "__meta_url": url]))
                let headers = try #require(answer.requests.first)
                #expect(headers["accept"] == "application/json")
                #expect(headers["x-prometheus-refresh-interval-seconds"] == "30")
                #expect(headers["authorization"] == "Bearer sd-token")

                // Failures: non-200, bad JSON, wrong content type: nothing sent, each counted.
                for (body, status, type) in [("[]", 500, "application/json"), ("[{", 200, "application/json"),
                                             ("[]", 200, "text/plain")] {
                    answer.set(body, status: status, contentType: type)
                    let before = answer.requests.count
                    await clock.waitForSleepers(1)
                    clock.advance(byNanoseconds: 30_000_000_000)
                    #expect(await poll { answer.requests.count == before + 1 && metrics.counterValue("prometheus_sd_http_failures_total") == before })
                }
                #expect(collected.count == 1)
                #expect(metrics.counterValue("prometheus_sd_refresh_failures_total", [("mechanism", "http"), ("config", "job")]) == 3)

                // A shorter list empties the sources beyond it.
                answer.set(#"[{"targets": ["z:1"]}]"#, contentType: "application/json; charset=utf-8")
                await clock.waitForSleepers(1)
                clock.advance(byNanoseconds: 30_000_000_000)
                #expect(await poll { collected.count == 2 })
                #expect(collected.all[1].map(\.source) == ["\(url):0", "\(url):1"])
                #expect(collected.all[1][1].targets.isEmpty)
                #expect(addresses(collected.merged) == ["z:1"])
            }
        }
    }

    @Test func unreachableServerIsAFailureNotACrash() async throws {
        let port = try Peers.freePort()
        let metrics = TestMetrics()
        let discoverer = try HTTPDiscoverer(config: HTTPSDConfig(url: "http://127.0.0.1:\(port)/sd"), context: testContext(metrics))
        let collected = Collected()
        try await whileRunning(discoverer, into: collected) {
            #expect(await poll { metrics.counterValue("prometheus_sd_http_failures_total") == 1 })
        }
        #expect(collected.count == 0)
    }
}

/// The answer format: every malformed body is a one-line error, never a crash.
@Suite(.timeLimit(.minutes(2))) struct HTTPSDResponseTests {
    static let url = "http://sd/x"

    @Test(arguments: [
        ("", "cannot parse JSON"), ("{", "cannot parse JSON"), ("{}", "want a list of target groups, got an object"),
        ("[null]", "nil target group item found"), ("[1]", "group 0: want an object, got a number or boolean"),
        (#"[{"targets": "a:1"}]"#, "group 0: targets: want a list of strings, got a string"),
        (#"[{"targets": [1]}]"#, "group 0: targets: want a string, got a number or boolean"),
        (#"[{"target": []}]"#, #"group 0: unknown field "target""#),
        (#"[{"labels": {"a": 1}}]"#, "group 0: label a: want a string, got a number or boolean"),
        (#"[{"labels": {"": "x"}}]"#, #"group 0: "" is not a valid label name"#),
        (#"[{"labels": []}]"#, "group 0: labels: want an object, got a list"),
    ])
    func brokenBodies(body: String, message: String) {
        #expect {
            _ = try HTTPSDResponse.parse(Array(body.utf8), url: Self.url)
        } throws: { error in
            guard let error = error as? DiscoveryError else { return false }
            return error.kind == .parse && error.description.contains(message) && !error.description.contains("\n")
        }
    }

    @Test func everyPrefixAndCorruptionParsesOrFails() {
        let body = Array(#"[{"targets": ["a:1", "[::1]:9"], "labels": {"env": "prod", "zone": "eu-1"}}, {"targets": []}]"#.utf8)
        var random = SplitMix64(seed: 12)
        for end in 0...body.count {
            _ = try? HTTPSDResponse.parse(Array(body[..<end]), url: Self.url)
        }
        for _ in 0..<500 {
            var corrupted = body
            corrupted[Int(random.next() % UInt64(body.count))] = UInt8(truncatingIfNeeded: random.next())
            _ = try? HTTPSDResponse.parse(corrupted, url: Self.url)
        }
        #expect(throws: Never.self) { try HTTPSDResponse.parse(body, url: Self.url) }
    }
}
