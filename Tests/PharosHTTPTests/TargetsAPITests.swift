import Foundation
import NIOCore
import PharosCore
import Testing
@testable import PharosHTTP

struct FixedTargets: TargetsProviding {
    var active: [APIActiveTarget]
    var dropped: [(scrapePool: String, discoveredLabels: Labels)]
    func activeTargets() async -> [APIActiveTarget] { active }
    func droppedTargets() async -> [(scrapePool: String, discoveredLabels: Labels)] { dropped }
}

@Suite(.timeLimit(.minutes(5))) struct TargetsAPITests {
    static let provider = FixedTargets(
        active: [APIActiveTarget(discoveredLabels: Labels(["__address__": "a:1", "job": "node"]),
                                 labels: Labels(["instance": "a:1", "job": "node"]), scrapePool: "node",
                                 scrapeURL: "http://a:1/metrics", lastError: "", lastScrape: nil, lastScrapeDuration: 0,
                                 health: "unknown", scrapeInterval: "15s", scrapeTimeout: "10s")],
        dropped: [("node", Labels(["__address__": "b:2", "job": "node"]))])

    func body(_ query: String) async throws -> String {
        String(buffer: try await PrometheusAPI.targets(try FormParameters(encoded: query), from: Self.provider))
    }

    @Test func everyState() async throws {
        let active = #"{"discoveredLabels":{"__address__":"a:1","job":"node"},"labels":{"instance":"a:1","job":"node"},"scrapePool":"node","#
            + #""scrapeUrl":"http://a:1/metrics","globalUrl":"http://a:1/metrics","lastError":"","lastScrape":"0001-01-01T00:00:00Z","#
            + #""lastScrapeDuration":0.0,"health":"unknown","scrapeInterval":"15s","scrapeTimeout":"10s"}"#
        let dropped = #"{"discoveredLabels":{"__address__":"b:2","job":"node"},"scrapePool":"node"}"#
        #expect(try await body("") == #"{"status":"success","data":{"activeTargets":["# + active + #"],"droppedTargets":["# + dropped
            + #"],"droppedTargetCounts":{"node":1}}}"#)
        #expect(try await body("state=ACTIVE") == #"{"status":"success","data":{"activeTargets":["# + active
            + #"],"droppedTargets":[],"droppedTargetCounts":null}}"#)
        #expect(try await body("state=dropped&scrapePool=other") == #"{"status":"success","data":{"activeTargets":[],"droppedTargets":[],"droppedTargetCounts":{"node":1}}}"#)
        // An unknown state shows nothing, as in Prometheus (no error).
        #expect(try await body("state=x") == #"{"status":"success","data":{"activeTargets":[],"droppedTargets":[],"droppedTargetCounts":null}}"#)
    }

    /// Pools in name order (targets keep their order within a pool); counts come from the
    /// provider, so a `keep_dropped_targets` cap does not shrink them, and list empty pools.
    @Test func poolsSortedAndCountsFromTheProvider() async throws {
        struct Capped: TargetsProviding {
            func activeTargets() async -> [APIActiveTarget] {
                ["b:1", "a:1", "b:2"].map { address in
                    APIActiveTarget(discoveredLabels: Labels(["__address__": address]), labels: Labels(["instance": address]),
                                    scrapePool: String(address.prefix(1)), scrapeURL: "http://\(address)/metrics", lastError: "",
                                    lastScrape: nil, lastScrapeDuration: 0, health: "unknown", scrapeInterval: "15s", scrapeTimeout: "10s")
                }
            }
            func droppedTargets() async -> [(scrapePool: String, discoveredLabels: Labels)] {
                [("b", Labels(["__address__": "x:1"])), ("a", Labels(["__address__": "y:1"]))]
            }
            func droppedTargetCounts() async -> [String: Int] { ["a": 7, "b": 1, "c": 0] }
        }
        let text = String(buffer: try await PrometheusAPI.targets(try FormParameters(encoded: "state=any"), from: Capped()))
        let data = try #require((try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])?["data"] as? [String: Any])
        let active = (data["activeTargets"] as? [[String: Any]] ?? []).compactMap { $0["scrapeUrl"] as? String }
        #expect(active == ["http://a:1/metrics", "http://b:1/metrics", "http://b:2/metrics"])
        let dropped = (data["droppedTargets"] as? [[String: Any]] ?? []).compactMap { $0["scrapePool"] as? String }
        #expect(dropped == ["a", "b"])
        #expect(data["droppedTargetCounts"] as? [String: Int] == ["a": 7, "b": 1, "c": 0])
    }
}
