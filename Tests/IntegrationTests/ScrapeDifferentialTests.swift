import Foundation
import PharosTestSupport
import Testing

/// Differential scraping: a real Prometheus 2.42 and a `pharos` subprocess scrape the same
/// exposition fixtures (Prometheus' own text-format and OpenMetrics parser test files, served
/// with their content types) and must store the same series with the same values — `le` and
/// `quantile` label values included, which Prometheus 2.x keeps as written.
@Suite(.serialized, .timeLimit(.minutes(10))) struct ScrapeDifferentialTests {
    static let fixtures = [
        "textparse/1histogram.om.txt", "textparse/alltypes.5mfs.om.txt", "textparse/alltypes.237mfs.prom.txt",
        "textparse/alltypes.237mfs.nometa.prom.txt", "promtool/metrics-test.prom",
    ]

    static var fixtureServerScript: String {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.appendingPathComponent("scripts/testapps/fixture_server.py").path
    }

    @Test func prometheusAndPharosStoreTheSameSeries() async throws {
        try await withTemporaryDirectory { folder in
            let served = folder + "/fixtures"
            try FileManager.default.createDirectory(atPath: served, withIntermediateDirectories: true)
            for fixture in Self.fixtures {
                let name = URL(fileURLWithPath: fixture).lastPathComponent
                try FileManager.default.copyItem(atPath: Conformance.path("exposition/" + fixture), toPath: served + "/" + name)
            }
            let port = try Peers.freePort()
            let server = try PeerProcess(try Peers.python3(), [Self.fixtureServerScript, "\(port)", served],
                                         logPath: folder + "/fixtures.log")
            defer { server.stop() }
            try await server.waitForLog(containing: "listening on \(port)", timeout: .seconds(30))

            var config = "global:\n  scrape_interval: 1s\n  scrape_timeout: 900ms\nscrape_configs:\n"
            for (index, fixture) in Self.fixtures.enumerated() {
                config += """
                      - job_name: f\(index)
                        metrics_path: /\(URL(fileURLWithPath: fixture).lastPathComponent)
                        static_configs:
                          - targets: ['127.0.0.1:\(port)']

                    """
            }
            try config.write(toFile: folder + "/scrape.yml", atomically: true, encoding: .utf8)
            let pharos = try await PharosSubprocess(dataPath: folder + "/pharos-data", logPath: folder + "/pharos.log",
                                                    extraArguments: ["--config.file=\(folder)/scrape.yml"])
            defer { pharos.stop() }
            let prometheus = try await PrometheusPeer.start(folder: folder, config: config)
            defer { prometheus.stop() }
            let reference = prometheus.client

            // Both have scraped every fixture at least twice (scrape_series_added is 0 again).
            for _ in 0..<100 {
                let want = try? await reference.query("count(scrape_series_added == 0)", at: Date().timeIntervalSince1970)
                let have = try? await pharos.query("count(scrape_series_added == 0)", at: Date().timeIntervalSince1970)
                let complete = QueryResultJSON(series: ["{}": [.init(0, Double(Self.fixtures.count))]])
                if want?.series["{}"]?.first?.value == complete.series["{}"]?.first?.value,
                   have?.series["{}"]?.first?.value == complete.series["{}"]?.first?.value { break }
                try await Task.sleep(for: .milliseconds(200))
            }
            let now = Date().timeIntervalSince1970
            for index in Self.fixtures.indices {
                let query = #"{job="f\#(index)", __name__!="scrape_duration_seconds"}"#
                let want = try await reference.query(query, at: now)
                let have = try await pharos.query(query, at: now)
                #expect(want.series.count > 5, "\(Self.fixtures[index]): Prometheus stored little:\n\(want)\n\(prometheus.log)")
                let difference = have.ignoringTimes.difference(from: want.ignoringTimes, tolerance: 0)
                #expect(difference == nil, "\(Self.fixtures[index]): \(difference ?? "")")
            }
        }
    }
}

extension QueryResultJSON {
    /// The same series and values with every point's time set to 0 (two servers scrape at
    /// different instants).
    var ignoringTimes: QueryResultJSON {
        QueryResultJSON(series: series.mapValues { $0.map { Point(0, $0.value) } })
    }
}
