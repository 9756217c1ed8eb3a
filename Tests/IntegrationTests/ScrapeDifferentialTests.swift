import Foundation
import PharosCore
import PharosTestSupport
import Testing

/// Differential scraping: a real Prometheus 2.42 and a `pharos` subprocess scrape the same
/// exposition fixtures (Prometheus' own text-format and OpenMetrics parser test files, served
/// with their content types) and must store the same series with the same values. Pharos
/// follows Prometheus 3 on `le` and `quantile` values (Docs/compatibility.md): 2.42 keeps them as
/// written, so its answer is compared after applying the 3.x rule, with family types taken from
/// 2.42's own `/api/v1/metadata`.
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
            var normalised = 0
            for index in Self.fixtures.indices {
                let types = try await Self.familyTypes(reference, job: "f\(index)")
                let query = #"{job="f\#(index)", __name__!="scrape_duration_seconds"}"#
                let answer = try await reference.postForm("/api/v1/query", "query=\(TestHTTPClient.formEncode(query))&time=\(now)")
                let want = try QueryResultJSON(json: Data(answer.body.utf8)) { labels in
                    let rewritten = Self.prometheus3Labels(labels, types: types)
                    if rewritten != labels { normalised += 1 }
                    return rewritten
                }
                let have = try await pharos.query(query, at: now)
                #expect(want.series.count > 5, "\(Self.fixtures[index]): Prometheus stored little:\n\(want)\n\(prometheus.log)")
                let difference = have.ignoringTimes.difference(from: want.ignoringTimes, tolerance: 0)
                #expect(difference == nil, "\(Self.fixtures[index]): \(difference ?? "")")
            }
            // The fixtures hold integer-valued buckets and quantiles: the rule was exercised.
            #expect(normalised > 0)
        }
    }

    /// Metric family → type as the targets of `job` declared them (`/api/v1/targets/metadata`).
    static func familyTypes(_ client: TestHTTPClient, job: String) async throws -> [String: String] {
        let selector = TestHTTPClient.formEncode(#"{job="\#(job)"}"#)
        let response = try await client.get("/api/v1/targets/metadata?match_target=\(selector)")
        let object = try JSONSerialization.jsonObject(with: Data(response.body.utf8)) as? [String: Any]
        var types: [String: String] = [:]
        for entry in object?["data"] as? [[String: Any]] ?? [] {
            if let metric = entry["metric"] as? String, let type = entry["type"] as? String { types[metric] = type }
        }
        return types
    }

    /// Prometheus 3's `le`/`quantile` rule: under a histogram family (`x_bucket` of `x`) `le`, under
    /// a summary family `quantile`, become the OpenMetrics float form when they parse as floats.
    static func prometheus3Labels(_ labels: [String: String], types: [String: String]) -> [String: String] {
        let name = labels["__name__"] ?? ""
        var out = labels
        if let le = labels["le"], name.hasSuffix("_bucket"), types[String(name.dropLast(7))] == "histogram",
           let value = Double(le) ?? Self.goSpecial(le) {
            out["le"] = GoFloat.openMetrics(value)
        }
        if let quantile = labels["quantile"], types[name] == "summary", let value = Double(quantile) ?? Self.goSpecial(quantile) {
            out["quantile"] = GoFloat.openMetrics(value)
        }
        return out
    }

    private static func goSpecial(_ text: String) -> Double? {
        switch text.lowercased() {
        case "+inf", "inf", "+infinity", "infinity": .infinity
        case "-inf", "-infinity": -.infinity
        case "nan": .nan
        default: nil
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
