import PharosCore
import PharosTestSupport
import Scrape
import Testing

/// The scrape runner records TYPE/HELP/UNIT lines per target, as Prometheus' scrape cache.
@Suite(.timeLimit(.minutes(5))) struct TargetMetadataTests {
    typealias Harness = ScrapeRunnerTests.Harness

    @Test func textLinesBecomeMetadata() async {
        var harness = Harness([.body("""
            # HELP http_requests_total Requests \\\\ served\\nso far.
            # TYPE http_requests_total counter
            http_requests_total{code="200"} 3
            # TYPE temp untyped
            temp 1
            # HELP only_help Just help.
            only_help 2
            # TYPE latency histogram
            latency_bucket{le="+Inf"} 1
            latency_sum 1
            latency_count 1
            plain 5
            # a comment
            """)])
        #expect(await harness.runner.scrapeAndReport(at: 1_000) == nil)
        let list = harness.runner.metadata.list()
        #expect(list.map(\.metric) == ["http_requests_total", "latency", "only_help", "temp"])
        #expect(list.map(\.metadata) == [
            MetricMetadata(type: .counter, help: "Requests \\ served\nso far."),
            MetricMetadata(type: .histogram),
            MetricMetadata(type: .unknown, help: "Just help."),
            MetricMetadata(type: .unknown),
        ])
        #expect(harness.runner.metadata.metadata(for: "plain") == nil)
        #expect(harness.runner.metadata.metadata(for: "latency")?.type == .histogram)
    }

    @Test func openMetricsUnits() async {
        var harness = Harness([.body("""
            # TYPE request_seconds summary
            # UNIT request_seconds seconds
            # HELP request_seconds Time.
            request_seconds_count 1
            request_seconds_sum 0.5
            # EOF

            """, contentType: "application/openmetrics-text; version=1.0.0")])
        #expect(await harness.runner.scrapeAndReport(at: 1_000) == nil)
        #expect(harness.runner.metadata.metadata(for: "request_seconds") == MetricMetadata(type: .summary, help: "Time.", unit: "seconds"))
    }

    @Test func laterLinesOverwriteAndGoneFamiliesAgeOut() async {
        var harness = Harness([
            .body("# TYPE a counter\n# HELP a First.\na 1\n# TYPE b gauge\nb 1\n"),
            .body("# TYPE a gauge\na 1\n"),
        ])
        #expect(await harness.runner.scrapeAndReport(at: 1_000) == nil)
        #expect(await harness.runner.scrapeAndReport(at: 2_000) == nil)
        // Help stays from the first scrape; the type changed.
        #expect(harness.runner.metadata.metadata(for: "a") == MetricMetadata(type: .gauge, help: "First."))
        // b is absent from the body but kept for 10 more successful scrapes, then forgotten.
        for scrape in 3...11 {
            #expect(await harness.runner.scrapeAndReport(at: Timestamp(scrape) * 1_000) == nil)
        }
        #expect(harness.runner.metadata.metadata(for: "b") == MetricMetadata(type: .gauge))
        #expect(await harness.runner.scrapeAndReport(at: 12_000) == nil)
        #expect(harness.runner.metadata.metadata(for: "b") == nil)
        #expect(harness.runner.metadata.list().map(\.metric) == ["a"])
    }

    @Test func failedScrapesKeepMetadata() async {
        var harness = Harness([.body("# TYPE a counter\na 1\n"),
                               .failure(ScrapeError(.fetch, location: "target", "connection refused"))])
        #expect(await harness.runner.scrapeAndReport(at: 1_000) == nil)
        for scrape in 2...20 {
            #expect(await harness.runner.scrapeAndReport(at: Timestamp(scrape) * 1_000) != nil)
        }
        #expect(harness.runner.metadata.metadata(for: "a") == MetricMetadata(type: .counter))
    }

    @Test func brokenBodyKeepsLinesBeforeTheError() async {
        var harness = Harness([.body("# TYPE a counter\na 1\n# TYPE b gauge\nb{x=\"1 2\n")])
        #expect(await harness.runner.scrapeAndReport(at: 1_000) != nil)
        #expect(harness.runner.metadata.list().map(\.metric) == ["a", "b"])
    }
}

/// The manager hands out each active target's live store, in target order.
@Suite(.timeLimit(.minutes(5))) struct ManagerMetadataTests {
    @Test func snapshotsFollowTheLoops() async throws {
        let storage = RecordingStorage()
        let clock = ManualClock(nowMilliseconds: 0)
        let fetcher = FixtureFetcher([.body("# TYPE m gauge\n# HELP m Help.\nm 1\n")])
        let manager = ScrapeManager(storage: storage, clock: clock, discoveryPollInterval: .seconds(3600),
                                    makeFetcher: { _ in fetcher })
        try await manager.apply(ScrapeManagerTests.config(["a:1", "b:2"]))
        let before = await manager.targetMetadata()
        #expect(before.map(\.labels) == [Labels(["instance": "a:1", "job": "node"]), Labels(["instance": "b:2", "job": "node"])])
        #expect(before.allSatisfy { $0.scrapePool == "node" && $0.metadata.list().isEmpty })
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await manager.run() }
            await clock.waitForSleepers(2)
            clock.advance(toMilliseconds: 15_000)
            #expect(await eventually { storage.commits == 2 })
            // The stores taken before the scrape are the loops' own: they see it.
            for target in before {
                #expect(target.metadata.metadata(for: "m") == MetricMetadata(type: .gauge, help: "Help."))
            }
            try await manager.apply(ScrapeManagerTests.config(["b:2"]))
            #expect(await manager.targetMetadata().map { $0.labels["instance"] } == ["b:2"])
            group.cancelAll()
            try await group.next()
        }
    }
}
