import PharosCore
import PharosTestSupport
import Scrape
import Testing

/// The series cache behind `ScrapeRunner`: predicted line order, hash lookups when the order
/// changes, growth past its first table, forgetting unseen lines, and staleness across all of it.
@Suite(.timeLimit(.minutes(5))) struct ScrapeCacheTests {
    typealias T = ScrapeRunnerTests

    static func body(_ names: [String], value: Int) -> String {
        names.map { "\($0){k=\"v\"} \(value)\n" }.joined()
    }

    @Test func reorderInsertAndRemoveAcrossScrapes() async {
        let first = (0..<40).map { "m\($0)" }
        var second = Array(first.reversed().dropFirst(3))  // m39…m37 gone, order reversed
        second.insert("new", at: 10)
        var harness = T.Harness([
            .body(Self.body(first, value: 1)), .body(Self.body(second, value: 2)), .body(Self.body(second, value: 3)),
            .body(Self.body(first, value: 4)),
        ])
        func samples(at time: Timestamp) -> [Recorded] {
            harness.storage.drain().filter { $0.timestamp == time && !ReportSeriesNames.all.contains($0.labels[Labels.metricName]) }
        }
        await harness.runner.scrapeAndReport(at: 1_000)
        #expect(harness.runner.lastCounts.seriesAdded == 40)
        #expect(samples(at: 1_000).count == 40)

        await harness.runner.scrapeAndReport(at: 2_000)
        #expect(harness.runner.lastCounts.seriesAdded == 1)
        let got = samples(at: 2_000)
        #expect(got.filter { !$0.value.isStaleMarker }.map { $0.labels[Labels.metricName] } == second)
        #expect(Set(got.filter(\.value.isStaleMarker).map { $0.labels[Labels.metricName] }) == ["m37", "m38", "m39"])

        // Same body again: all predicted, nothing added, nothing stale.
        await harness.runner.scrapeAndReport(at: 3_000)
        #expect(harness.runner.lastCounts.seriesAdded == 0 && harness.runner.lastCounts.total == second.count)
        let third = samples(at: 3_000)
        #expect(third.count == second.count && !third.contains { $0.value.isStaleMarker })

        // The removed lines were forgotten after the scrape that missed them: added again.
        await harness.runner.scrapeAndReport(at: 4_000)
        #expect(harness.runner.lastCounts.seriesAdded == 3)
        let fourth = samples(at: 4_000)
        #expect(fourth.filter(\.value.isStaleMarker).map { $0.labels[Labels.metricName] } == ["new"])
        #expect(fourth.filter { !$0.value.isStaleMarker }.map(\.value) == Array(repeating: 4, count: 40))
    }

    @Test func differentBytesForTheSameLabelsAreNotStale() async {
        // Two spellings of one label set, then each alone: the series is exposed every time.
        var harness = T.Harness([.body("a{x=\"1\"} 1\n"), .body("a{x=\"1\",} 2\n"), .body("a { x = \"1\" } 3\n")])
        for time in [1_000, 2_000, 3_000] as [Timestamp] {
            await harness.runner.scrapeAndReport(at: time)
            #expect(!harness.storage.drain().contains { $0.value.isStaleMarker })
        }
    }

    @Test func duplicateLinesInOneBody() async {
        var harness = T.Harness([.body("a 1\na 2\nb 1\n"), .body("a 3\nb 2\n")])
        await harness.runner.scrapeAndReport(at: 1_000)
        // The second `a` is the cached series, not a new one.
        #expect(harness.runner.lastCounts.seriesAdded == 2 && harness.runner.lastCounts.total == 3)
        _ = harness.storage.drain()
        await harness.runner.scrapeAndReport(at: 2_000)
        #expect(harness.storage.drain().prefix(2) == [
            Recorded(labels: T.series("a"), timestamp: 2_000, value: 3),
            Recorded(labels: T.series("b"), timestamp: 2_000, value: 2),
        ])
    }
}
