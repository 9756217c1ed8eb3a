import Foundation
import Logging
import NIOCore
import NIOHTTP1
import PharosHTTP
import PharosTestSupport
import Testing
import TSDB

/// Exemplars side by side with Prometheus 2.42 (`--enable-feature=exemplar-storage`):
/// 1. both scrape the same OpenMetrics body with exemplars (three versions, each seen by both
///    before the next is written) and must answer `/api/v1/query_exemplars` alike;
/// 2. both receive the same remote write requests with exemplars, and answer alike;
/// 3. Prometheus remote-writes what it scraped, exemplars included (`send_exemplars`), to
///    Pharos, which must then hold exactly Prometheus' exemplars;
/// 4. each replays the other's WAL (exemplar records, type 4) into the same exemplars;
/// and Pharos alone: `/metrics` names, and a reload that shrinks `max_exemplars`.
@Suite(.serialized, .timeLimit(.minutes(5)))
struct ExemplarDifferentialTests {
    /// Scraped series only: Pharos also holds Prometheus' copies (label `via="rw"`, part 3).
    static let queries = [
        #"req_total{via=""}"#, #"req_total{code="200",via=""}"#, #"rate(req_total{via=""}[5m])"#,
        #"lat_bucket{le=~"0.1|1.0",via=""}"#,
        #"histogram_quantile(0.9, sum by (le) (rate(lat_bucket{via=""}[1m]))) / sum(rate(req_total{via=""}[1m]))"#,
        #"{__name__=~"req_total|jobs_total",via=""} or lat_count{via=""}"#, #"jobs_total{via=""}"#, #"lat_count{via=""}"#,
        "1 + 1", "does_not_exist", #"{job="om",via=""}"#, #"{job="om",via!="rw"}"#,
    ]

    static func scrapeConfig(port: Int, pharosPort: Int?, maxExemplars: Int) -> String {
        var config = """
            global:
              scrape_interval: 1s
              scrape_timeout: 900ms
            storage:
              exemplars:
                max_exemplars: \(maxExemplars)
            scrape_configs:
              - job_name: om
                metrics_path: /exemplars.om.txt
                static_configs:
                  - targets: ['127.0.0.1:\(port)']

            """
        if let pharosPort {
            config += """
                remote_write:
                  - url: http://127.0.0.1:\(pharosPort)/api/v1/write
                    send_exemplars: true
                    queue_config: {batch_send_deadline: 200ms, min_backoff: 50ms, max_backoff: 500ms}
                    write_relabel_configs:
                      - {source_labels: [job], regex: om, action: keep}
                      - {target_label: via, replacement: rw}

                """
        }
        return config
    }

    @Test func queryExemplarsAnswersLikePrometheus() async throws {
        try await withTemporaryDirectory { folder in
            let served = folder + "/fixtures"
            try FileManager.default.createDirectory(atPath: served, withIntermediateDirectories: true)
            let base = Int64(Date().timeIntervalSince1970 * 1000) / 1000 * 1000 - 60_000
            let fixture = served + "/exemplars.om.txt"
            try ExemplarFixture.body(version: 1, base: base).write(toFile: fixture, atomically: true, encoding: .utf8)
            let port = try Peers.freePort()
            let server = try PeerProcess(try Peers.python3(), [ScrapeDifferentialTests.fixtureServerScript, "\(port)", served],
                                         logPath: folder + "/fixtures.log")
            defer { server.stop() }
            try await server.waitForLog(containing: "listening on \(port)", timeout: .seconds(30))

            try Self.scrapeConfig(port: port, pharosPort: nil, maxExemplars: 1000)
                .write(toFile: folder + "/pharos.yml", atomically: true, encoding: .utf8)
            let pharos = try await PharosSubprocess(dataPath: folder + "/pharos-data", logPath: folder + "/pharos.log",
                                                    extraArguments: ["--config.file=\(folder)/pharos.yml"])
            defer { pharos.stop() }
            let prometheus = try await PrometheusPeer.start(
                folder: folder, config: Self.scrapeConfig(port: port, pharosPort: pharos.port, maxExemplars: 1000),
                extraArguments: ["--enable-feature=exemplar-storage", "--web.enable-remote-write-receiver"])
            defer { prometheus.stop() }
            let both = [("Prometheus", prometheus.client), ("Pharos", pharos.client)]
            let scraped = #"{job="om",via=""}"#

            // 1. Scrape: each version reaches both servers before the next is written.
            let expectedRequestExemplars = [1: 1, 2: 2, 3: 2]   // v3's exemplar is out of order
            for version in 1...3 {
                if version > 1 {
                    try ExemplarFixture.body(version: version, base: base).write(toFile: fixture, atomically: true, encoding: .utf8)
                }
                for (name, client) in both {
                    let body = try await client.waitForExemplars(scraped) { counts in
                        counts.first { $0.key.contains("le=0.1") }?.value == version
                            && counts.first { $0.key.contains("jobs_total") }?.value == version
                    }
                    let counts = ExemplarFixture.counts(body)
                    #expect(counts.count == 5, "\(name) v\(version): \(body)")
                    #expect(counts.first { $0.key.contains("code=200") }?.value == expectedRequestExemplars[version],
                            "\(name) v\(version): \(body)")
                }
            }
            for query in Self.queries {
                try await Self.compare(query, prometheus.client, pharos.client)
            }
            let now = Double(base) / 1000 + 60
            for window in ["start=1700000001.5&end=1700000002.25", "start=1700000011", "end=1700000001",
                           "start=\(now - 600)&end=\(now + 600)", "start=1&end=2"] {
                try await Self.compare(#"{job="om",via=""}"#, prometheus.client, pharos.client, extra: window)
            }
            // Bad requests answer with the same status and body.
            for parameters in ["query=sum(", "query=", "query=up&start=x", "query=up&end=2&start=3", "query=up&end=tomorrow",
                               "query=rate(up)"] {
                let want = try await prometheus.client.queryExemplars(parameters)
                let have = try await pharos.client.queryExemplars(parameters)
                #expect(have.status == want.status && have.body == want.body,
                        "\(parameters)\nPharos:     \(have.status) \(have.body)\nPrometheus: \(want.status) \(want.body)")
            }
            // POST takes the same form.
            let form = "query=" + TestHTTPClient.formEncode(#"req_total{via=""}"#)
            let wantPost = try await prometheus.client.postForm("/api/v1/query_exemplars", form)
            let havePost = try await pharos.client.postForm("/api/v1/query_exemplars", form)
            #expect(ExemplarFixture.normalized(havePost.body, scrapeTimed: ExemplarFixture.scrapeTimed)
                    == ExemplarFixture.normalized(wantPost.body, scrapeTimed: ExemplarFixture.scrapeTimed))

            // 2. The same remote writes into both.
            for request in ExemplarFixture.remoteWrites(base: base) {
                for (name, client) in both {
                    let response = try await client.remoteWrite(request)
                    #expect(response.status == 204, "\(name): \(response.status) \(response.body)")
                }
            }
            for query in [#"{job="rw"}"#, "rw_total", "rw_bucket or rw_gauge", "rw_without_samples_total", "rate(rw_total[1m])"] {
                try await Self.compare(query, prometheus.client, pharos.client, timesDiffer: false)
            }

            // 3. What Prometheus scraped, remote-written to Pharos with its exemplars.
            let want = ExemplarFixture.normalized(try await prometheus.client.queryExemplars("query=" + TestHTTPClient.formEncode(scraped)).body)
            var have = ""
            for _ in 0..<150 {
                let body = try await pharos.client.queryExemplars("query=" + TestHTTPClient.formEncode(#"{via="rw"}"#)).body
                have = ExemplarFixture.normalized(body, dropLabel: "via")
                if have == want { break }
                try await Task.sleep(for: .milliseconds(200))
            }
            #expect(have == want, "Prometheus' exemplars via remote write\nPharos:     \(have)\nPrometheus: \(want)")

            // 4a. Pharos replays the WAL Prometheus wrote (snappy-compressed) into the same exemplars.
            let everything = "query=" + TestHTTPClient.formEncode(#"{__name__=~".+"}"#)
            let prometheusAll = ExemplarFixture.normalized(try await prometheus.client.queryExemplars(everything).body)
            prometheus.stop()
            let reopened = try TSDB.open(directory: folder + "/prometheus-data", logger: Logger(label: "test") { _ in SwallowingLogHandler() })
            let replayed = try await reopened.exemplars(from: .min, through: .max, matching: [[]])
            try reopened.close()
            #expect(ExemplarFixture.normalized(String(buffer: APIResponse.exemplars(replayed))) == prometheusAll,
                    "Pharos replaying Prometheus' WAL")
            let pharosAll = ExemplarFixture.normalized(try await pharos.client.queryExemplars(everything).body)

            // Pharos alone: self-metrics, then a reload that shrinks the ring to the newest two.
            let metrics = try await pharos.client.get("/metrics").body
            for name in ["prometheus_tsdb_exemplar_exemplars_appended_total", "prometheus_tsdb_exemplar_exemplars_in_storage",
                         "prometheus_tsdb_exemplar_series_with_exemplars_in_storage", "prometheus_tsdb_exemplar_last_exemplars_timestamp_seconds",
                         "prometheus_tsdb_exemplar_out_of_order_exemplars_total", "prometheus_target_scrapes_exemplar_out_of_order_total"] {
                #expect(metrics.contains("\n\(name) ") || metrics.contains("\n\(name){"), "\(name) missing")
            }
            #expect(metrics.contains("\nprometheus_tsdb_exemplar_max_exemplars 1000"))
            try Self.scrapeConfig(port: port, pharosPort: nil, maxExemplars: 2)
                .write(toFile: folder + "/pharos.yml", atomically: true, encoding: .utf8)
            #expect(try await pharos.client.send(.POST, "/-/reload", body: nil).status == 200)
            let shrunk = try await pharos.client.queryExemplars("query=" + TestHTTPClient.formEncode(#"{__name__=~".+"}"#)).body
            #expect(ExemplarFixture.counts(shrunk).values.reduce(0, +) == 2, "\(shrunk)")
            #expect(try await pharos.client.get("/metrics").body.contains("\nprometheus_tsdb_exemplar_max_exemplars 2"))

            // 4b. Prometheus replays the WAL Pharos wrote: every exemplar Pharos held before the shrink.
            pharos.stop()
            let replayFolder = folder + "/replay"
            try FileManager.default.createDirectory(atPath: replayFolder + "/prometheus-data", withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: folder + "/pharos-data/wal", toPath: replayFolder + "/prometheus-data/wal")
            let replaying = try await PrometheusPeer.start(folder: replayFolder, config: "storage: {exemplars: {max_exemplars: 1000}}\n",
                                                           extraArguments: ["--enable-feature=exemplar-storage"])
            defer { replaying.stop() }
            let fromOurWAL = ExemplarFixture.normalized(try await replaying.client.queryExemplars(everything).body)
            #expect(fromOurWAL == pharosAll, "Prometheus replaying Pharos' WAL\nPrometheus: \(fromOurWAL)\nPharos:     \(pharosAll)")
            #expect(ExemplarFixture.counts(pharosAll).count >= 10)
        }
    }

    /// `query_exemplars` for `query` (plus `extra` parameters) must answer alike on both.
    static func compare(_ query: String, _ prometheus: TestHTTPClient, _ pharos: TestHTTPClient, extra: String = "",
                        timesDiffer: Bool = true, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let parameters = "query=" + TestHTTPClient.formEncode(query) + (extra.isEmpty ? "" : "&" + extra)
        let want = try await prometheus.queryExemplars(parameters)
        let have = try await pharos.queryExemplars(parameters)
        let timed: (String) -> Bool = { key in timesDiffer && ExemplarFixture.scrapeTimed(key) }
        #expect(have.status == want.status, "\(parameters): \(have.body) vs \(want.body)", sourceLocation: sourceLocation)
        #expect(ExemplarFixture.normalized(have.body, scrapeTimed: timed) == ExemplarFixture.normalized(want.body, scrapeTimed: timed),
                "\(parameters)\nPharos:     \(have.body)\nPrometheus: \(want.body)", sourceLocation: sourceLocation)
    }
}
