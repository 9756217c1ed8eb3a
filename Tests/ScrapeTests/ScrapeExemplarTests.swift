import Foundation
import PharosCore
import PharosTestSupport
import Relabel
import Scrape
import Testing
import TSDB

/// Scraped OpenMetrics exemplars reach storage with the sample's final labels, on the cache's
/// fast path as on a full parse; refusals never fail the scrape.
@Suite(.timeLimit(.minutes(2)))
struct ScrapeExemplarTests {
    static let openMetrics = "application/openmetrics-text; version=1.0.0; charset=utf-8"

    static func ex(_ trace: String, _ value: Double, _ t: Timestamp, own: Bool = true) -> Exemplar {
        Exemplar(labels: Labels(["trace_id": trace]), value: value, timestamp: t, hasTimestamp: own)
    }

    @Test func exemplarsGoWithTheirSamplesOnBothPaths() async {
        let body = """
            # TYPE req counter
            req_total{code="200"} 5 # {trace_id="a"} 0.5 1.5
            req_total{code="500"} 1
            # TYPE lat histogram
            lat_bucket{le="+Inf"} 2 # {trace_id="b"} 0.25
            # EOF

            """
        let second = body.replacingOccurrences(of: "trace_id=\"b\"", with: "trace_id=\"c\"")
        var harness = ScrapeRunnerTests.Harness([.body(body, contentType: Self.openMetrics), .body(second, contentType: Self.openMetrics)])
        #expect(await harness.runner.scrapeAndReport(at: 10_000) == nil)
        // The second scrape takes the cache's fast path for every line.
        #expect(await harness.runner.scrapeAndReport(at: 25_000) == nil)
        let requests = ScrapeRunnerTests.series("req_total", ["code": "200"])
        let bucket = ScrapeRunnerTests.series("lat_bucket", ["le": "+Inf"])
        #expect(harness.storage.committedExemplars == [
            RecordedExemplar(series: requests, exemplar: Self.ex("a", 0.5, 1500)),
            RecordedExemplar(series: bucket, exemplar: Self.ex("b", 0.25, 10_000, own: false)),
            RecordedExemplar(series: requests, exemplar: Self.ex("a", 0.5, 1500)),
            RecordedExemplar(series: bucket, exemplar: Self.ex("c", 0.25, 25_000, own: false)),
        ])
    }

    @Test func exemplarsFollowRelabelingAndHonorTimestamps() async throws {
        var options = ScrapeOptions()
        options.metricRelabelConfigs = [
            try RelabelConfig(sourceLabels: ["__name__"], regex: "drop_total", action: .drop),
            try RelabelConfig(targetLabel: "team", replacement: "x", action: .replace),
        ]
        let body = "drop_total 1 # {trace_id=\"gone\"} 1\nkeep_total 2 3 # {trace_id=\"k\"} 1\n# EOF\n"
        var harness = ScrapeRunnerTests.Harness([.body(body, contentType: Self.openMetrics)], options: options)
        #expect(await harness.runner.scrapeAndReport(at: 10_000) == nil)
        // The sample's explicit timestamp (3 s) becomes the exemplar's.
        #expect(harness.storage.committedExemplars == [
            RecordedExemplar(series: ScrapeRunnerTests.series("keep_total", ["team": "x"]), exemplar: Self.ex("k", 1, 3000, own: false)),
        ])
    }

    @Test func aFailedScrapeKeepsNoExemplars() async {
        let body = "a_total 1 # {trace_id=\"t\"} 1\nb 1 # {trace_id=\"u\"} x\n# EOF\n"
        var harness = ScrapeRunnerTests.Harness([.body(body, contentType: Self.openMetrics)])
        let error = await harness.runner.scrapeAndReport(at: 10_000)
        #expect(error?.kind == .parse)
        #expect(error?.message.hasPrefix("line 2, column 22: ") == true)
        #expect(harness.storage.committedExemplars.isEmpty)
    }

    /// Against the TSDB: duplicates across scrapes are no-ops, out-of-order ones are counted, a
    /// too-long label set drops the exemplar but not the sample.
    @Test func storageRulesApplyAndNeverFailTheScrape() async throws {
        do {
            let storage = HeadStorage()
            let long = String(repeating: "x", count: 130)
            let bodies = [
                "a_total 1 # {trace_id=\"t\"} 1\nb_total 1 # {trace_id=\"s\"} 1 100\n# EOF\n",
                "a_total 2 # {trace_id=\"t\"} 1\nb_total 2 # {trace_id=\"r\"} 1 50\n# EOF\n",
                "a_total 3 # {trace_id=\"\(long)\"} 1\nb_total 3 # {trace_id=\"q\"} 1 200\n# EOF\n",
            ]
            let clock = ManualClock(nowMilliseconds: 1_000_000)
            let fetcher = FixtureFetcher(bodies.map { .body($0, contentType: Self.openMetrics) }, clock: clock)
            var runner = ScrapeRunner(target: ScrapeRunnerTests.target, options: ScrapeOptions(), fetcher: fetcher,
                                      storage: storage, clock: clock)
            for (index, time) in [Timestamp(10_000), 25_000, 40_000].enumerated() {
                #expect(await runner.scrapeAndReport(at: time) == nil, "scrape \(index)")
            }
            let stored = storage.head.exemplars.select(from: .min, through: .max, matching: [[]])
            #expect(stored.map(\.seriesLabels) == [ScrapeRunnerTests.series("a_total"), ScrapeRunnerTests.series("b_total")])
            // a: the same timestamp-less exemplar twice is one; the long one is dropped.
            #expect(stored[0].exemplars.map(\.timestamp) == [10_000])
            // b: r@50 s is older than s@100 s: out of order.
            #expect(stored[1].exemplars.map(\.timestamp) == [100_000, 200_000])
            let samples = try await storage.dump([.equal("__name__", "a_total")])
            #expect(samples.values.first?.count == 3)
        }
    }
}
