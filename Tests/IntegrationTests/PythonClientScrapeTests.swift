import Foundation
import PharosTestSupport
import Testing

/// Pharos scrapes a Python `prometheus_client` app (counter, gauge, histogram, summary, all
/// with labels) and its exact values come back through `/api/v1/query` of the `pharos` binary
/// started with a config file.
@Suite(.serialized, .timeLimit(.minutes(10))) struct PythonClientScrapeTests {
    @Test func scrapedValuesComeBackThroughTheQueryAPI() async throws {
        try await withTemporaryDirectory { folder in
            let (app, appPort) = try await MetricsTestApp.startApp(folder: folder, tick: false)
            defer { app.stop() }
            let config = MetricsTestApp.scrapeConfig(appPort: appPort)
            try config.write(toFile: folder + "/pharos.yml", atomically: true, encoding: .utf8)
            let server = try await PharosSubprocess(dataPath: folder + "/data", logPath: folder + "/pharos.log",
                                                    extraArguments: ["--config.file=\(folder)/pharos.yml"])
            defer { server.stop() }
            do {
                let pharos = server.client
                let target = #"instance="127.0.0.1:\#(appPort)", job="app", team="observability""#
                let instance = #"instance="127.0.0.1:\#(appPort)", job="app""#
                let team = #"team="observability""#
                var up = QueryResultJSON(series: [:])
                for _ in 0..<60 {
                    up = try await pharos.query("up", at: Date().timeIntervalSince1970)
                    if up.series.values.first?.first?.value == 1 { break }
                    try await Task.sleep(for: .milliseconds(500))
                }
                try #require(up.series.values.first?.first?.value == 1, "Pharos never scraped the app (up == 1) within 30 s: \(up)\n\(server.log)")
                #expect(up.series.keys.sorted() == [#"{__name__="up", \#(target)}"#], "\(up)")

                let at = Date().timeIntervalSince1970
                func value(_ query: String) async throws -> [String: Double] {
                    let result = try await pharos.query(query, at: at)
                    return result.series.compactMapValues { $0.first?.value }
                }
                #expect(try await value("pharos_app_requests_total") == [
                    #"{__name__="pharos_app_requests_total", code="200", \#(instance), method="GET", \#(team)}"#: 42,
                    #"{__name__="pharos_app_requests_total", code="500", \#(instance), method="POST", \#(team)}"#: 3,
                ])
                #expect(try await value("pharos_app_temperature_celsius") == [
                    #"{__name__="pharos_app_temperature_celsius", \#(instance), room="cellar", \#(team)}"#: -4.25,
                    #"{__name__="pharos_app_temperature_celsius", \#(instance), room="kitchen", \#(team)}"#: 21.5,
                ])
                // prometheus_client writes le="1.0"; keep whatever spelling was stored, but the counts must match.
                let buckets = try await value(#"sum by (le) (pharos_app_latency_seconds_bucket{handler="/api"})"#)
                #expect(buckets.count == 4, "\(buckets)")
                #expect(buckets[#"{le="0.1"}"#] == 1 && buckets[#"{le="0.5"}"#] == 3 && buckets[#"{le="+Inf"}"#] == 5, "\(buckets)")
                #expect((buckets[#"{le="1.0"}"#] ?? buckets[#"{le="1"}"#]) == 4, "\(buckets)")
                #expect(try await value("pharos_app_latency_seconds_count") == [#"{__name__="pharos_app_latency_seconds_count", handler="/api", \#(target)}"#: 5])
                let latencySum = try await value("sum(pharos_app_latency_seconds_sum)")["{}"] ?? 0
                #expect(abs(latencySum - 3.25) < 1e-9, "latency sum \(latencySum)")
                #expect(try await value("pharos_app_response_bytes_count") == [#"{__name__="pharos_app_response_bytes_count", \#(target)}"#: 2])
                #expect(try await value("pharos_app_response_bytes_sum") == [#"{__name__="pharos_app_response_bytes_sum", \#(target)}"#: 350])
                let quantile = try await value(#"histogram_quantile(0.5, sum by (le) (pharos_app_latency_seconds_bucket))"#)["{}"] ?? 0
                #expect(abs(quantile - 0.4) < 1e-9, "median latency \(quantile)")
                let scraped = try await value(#"scrape_samples_scraped{job="app"}"#).values.first ?? 0
                #expect(scraped > 10, "scrape_samples_scraped \(scraped)")
            }
        }
    }
}
