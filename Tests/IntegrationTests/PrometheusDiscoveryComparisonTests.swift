import Foundation
import HTTPTestSupport
import Hummingbird
import NIOCore
import PharosTestSupport
import Synchronization
import Testing

/// The same http_sd and file_sd config in Pharos and in Prometheus 2.42: both must list the
/// same active targets (labels, discovered labels, URL) and the same dropped targets
/// (discovered labels). 2.42's shape has no `scrapePool`/`droppedTargetCounts` on dropped
/// targets (Prometheus 3 added them; Pharos has them), so those are compared apart.
@Suite(.serialized, .timeLimit(.minutes(4))) struct PrometheusDiscoveryComparisonTests {
    static func router(metricsPort: @escaping @Sendable () -> Int) -> Router<BasicRequestContext> {
        let router = Router()
        router.get("/sd") { _, _ -> Response in
            let port = metricsPort()
            let body = """
                [{"targets": ["127.0.0.1:\(port)", "localhost:\(port)"], "labels": {"team": "web", "drop": "no"}},
                 {"targets": ["127.0.0.1:1"], "labels": {"team": "old", "drop": "yes"}},
                 {"targets": [], "labels": {"team": "empty"}}]
                """
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: body)))
        }
        router.get("/metrics") { _, _ -> Response in
            Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                     body: .init(byteBuffer: ByteBuffer(string: "compare_up 1\n")))
        }
        return router
    }

    static func config(sdPort: Int, folder: String) -> String {
        """
        global: {scrape_interval: 2s, scrape_timeout: 1s}
        scrape_configs:
          - job_name: http-sd
            http_sd_configs:
              - url: http://127.0.0.1:\(sdPort)/sd
                refresh_interval: 2s
            relabel_configs:
              - source_labels: [drop]
                regex: yes
                action: drop
              - source_labels: [__meta_url]
                target_label: sd_url
          - job_name: file-sd
            file_sd_configs:
              - files: [\(folder)/targets/*.json]
                refresh_interval: 2s
            relabel_configs:
              - source_labels: [__address__]
                regex: 'skip.*'
                action: drop
              - source_labels: [__meta_filepath]
                regex: '.*/(.*)\\.json'
                target_label: file
        """
    }

    /// A comparable form of a targets list: each target as sorted `key=value` text.
    static func canonical(_ targets: [[String: Any]], keys: [String]) -> [String] {
        targets.map { target in
            keys.map { key in
                if let labels = target[key] as? [String: String] {
                    return key + ":" + labels.keys.sorted().map { "\($0)=\(labels[$0]!)" }.joined(separator: ",")
                }
                return "\(key):\(target[key] ?? "")"
            }.joined(separator: " ")
        }.sorted()
    }

    static func targets(_ client: TestHTTPClient) async throws -> (active: [[String: Any]], dropped: [[String: Any]]) {
        let response = try await client.get("/api/v1/targets")
        let data = (try JSONSerialization.jsonObject(with: Data(response.body.utf8)) as? [String: Any])?["data"] as? [String: Any]
        return (data?["activeTargets"] as? [[String: Any]] ?? [], data?["droppedTargets"] as? [[String: Any]] ?? [])
    }

    @Test func activeAndDroppedTargetsMatchPrometheus() async throws {
        try await withTemporaryDirectory { folder in
            let port = PortBox()
            try await withTestHTTPServer(Self.router { port.value }) { sdPort in
                port.value = sdPort
                try FileManager.default.createDirectory(atPath: folder + "/targets", withIntermediateDirectories: true)
                try """
                    [{"targets": ["127.0.0.1:\(sdPort)"], "labels": {"env": "prod"}},
                     {"targets": ["skip-me:9100", "localhost:\(sdPort)"], "labels": {"env": "dev"}}]
                    """.write(toFile: folder + "/targets/nodes.json", atomically: true, encoding: .utf8)
                let config = Self.config(sdPort: sdPort, folder: folder)
                try config.write(toFile: folder + "/pharos.yml", atomically: true, encoding: .utf8)
                let pharos = try await PharosSubprocess(dataPath: folder + "/pharos-data", logPath: folder + "/pharos.log",
                                                        extraArguments: ["--config.file=\(folder)/pharos.yml"])
                defer { pharos.stop() }
                let prometheus = try await PrometheusPeer.start(folder: folder, config: config)
                defer { prometheus.stop() }

                // 2 + 1 + 2 active (of which http-sd's two), 1 + 1 dropped, in both.
                var listings: [(active: [[String: Any]], dropped: [[String: Any]])] = []
                for client in [pharos.client, prometheus.client] {
                    var listing: (active: [[String: Any]], dropped: [[String: Any]]) = ([], [])
                    let deadline = ContinuousClock.now + .seconds(60)
                    while ContinuousClock.now < deadline {
                        listing = try await Self.targets(client)
                        if listing.active.count == 4, listing.dropped.count == 2 { break }
                        try await Task.sleep(for: .milliseconds(200))
                    }
                    try #require(listing.active.count == 4 && listing.dropped.count == 2,
                                 "\(listing)\n\(pharos.log)\n\(prometheus.log)")
                    listings.append(listing)
                }
                let (ours, theirs) = (listings[0], listings[1])
                // globalUrl differs on purpose: Prometheus swaps localhost for its external host name.
                let keys = ["scrapePool", "labels", "discoveredLabels", "scrapeUrl", "scrapeInterval", "scrapeTimeout"]
                #expect(Self.canonical(ours.active, keys: keys) == Self.canonical(theirs.active, keys: keys))
                #expect(Self.canonical(ours.dropped, keys: ["discoveredLabels"]) == Self.canonical(theirs.dropped, keys: ["discoveredLabels"]))
                // The same fields on every target, apart from Prometheus 3's additions.
                #expect(Set(ours.active.flatMap(\.keys)) == Set(theirs.active.flatMap(\.keys)))
                #expect(Set(ours.dropped.flatMap(\.keys)) == Set(theirs.dropped.flatMap(\.keys)).union(["scrapePool"]))
                // Pools in name order within the list, as Prometheus walks them.
                let pools = ours.active.compactMap { $0["scrapePool"] as? String }
                #expect(pools == pools.sorted())
            }
        }
    }
}

/// The stand-in's own port, known only once it runs.
final class PortBox: Sendable {
    private let port = Mutex(0)
    var value: Int {
        get { port.withLock { $0 } }
        set { port.withLock { $0 = newValue } }
    }
}
