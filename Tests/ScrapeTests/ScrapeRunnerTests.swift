import Exposition
import MetricsTestKit
import PharosConfig
import PharosCore
import PharosTestSupport
import Relabel
import Scrape
import Testing

@Suite(.timeLimit(.minutes(5))) struct ScrapeRunnerTests {
    static let target: ScrapeTarget = {
        var config = ScrapeConfig(jobName: "node")
        config.scrapeInterval = PrometheusDuration(milliseconds: 15_000)
        config.scrapeTimeout = PrometheusDuration(milliseconds: 10_000)
        return TargetBuilder.build(config: config, groups: [TargetGroup(addresses: ["host:9100"])]).active[0]
    }()

    static func series(_ name: String, _ extra: [String: String] = [:]) -> Labels {
        var labels = ["__name__": name, "instance": "host:9100", "job": "node"]
        for (key, value) in extra { labels[key] = value }
        return Labels(labels)
    }

    static func report(at time: Timestamp, up: Double, duration: Double = 0, scraped: Double, post: Double, added: Double) -> [Recorded] {
        [
            Recorded(labels: series("up"), timestamp: time, value: up),
            Recorded(labels: series("scrape_duration_seconds"), timestamp: time, value: duration),
            Recorded(labels: series("scrape_samples_scraped"), timestamp: time, value: scraped),
            Recorded(labels: series("scrape_samples_post_metric_relabeling"), timestamp: time, value: post),
            Recorded(labels: series("scrape_series_added"), timestamp: time, value: added),
        ]
    }

    static func stale(_ labels: Labels, at time: Timestamp) -> Recorded {
        Recorded(labels: labels, timestamp: time, value: StaleNaN.value)
    }

    struct Harness {
        let storage = RecordingStorage()
        let clock = ManualClock(nowMilliseconds: 1_000_000)
        let fetcher: FixtureFetcher
        var runner: ScrapeRunner

        let metrics = TestMetrics()

        init(_ responses: [FixtureFetcher.Response], options: ScrapeOptions = ScrapeOptions(), fetchNanoseconds: Int64 = 0) {
            fetcher = FixtureFetcher(responses, clock: clock, fetchDurationNanoseconds: fetchNanoseconds)
            runner = ScrapeRunner(target: ScrapeRunnerTests.target, options: options, fetcher: fetcher,
                                  storage: storage, clock: clock, metrics: ScrapeMetrics(factory: metrics))
        }
    }

    @Test func samplesStalenessAndReport() async {
        var harness = Harness([
            .body("# TYPE a counter\na 1\nb{x=\"1\"} 2\nc 3 1000\n"),
            .body("a 4\n"),
        ], fetchNanoseconds: 250_000_000)
        #expect(await harness.runner.scrapeAndReport(at: 5_000) == nil)
        #expect(harness.storage.drain() == [
            Recorded(labels: Self.series("a"), timestamp: 5_000, value: 1),
            Recorded(labels: Self.series("b", ["x": "1"]), timestamp: 5_000, value: 2),
            Recorded(labels: Self.series("c"), timestamp: 1_000, value: 3),
        ] + Self.report(at: 5_000, up: 1, duration: 0.25, scraped: 3, post: 3, added: 3))

        #expect(await harness.runner.scrapeAndReport(at: 20_000) == nil)
        // b disappeared: stale. c had an explicit timestamp: not tracked for staleness.
        #expect(harness.storage.drain() == [
            Recorded(labels: Self.series("a"), timestamp: 20_000, value: 4),
            Self.stale(Self.series("b", ["x": "1"]), at: 20_000),
        ] + Self.report(at: 20_000, up: 1, duration: 0.25, scraped: 1, post: 1, added: 0))
        #expect(harness.storage.commits == 2)
    }

    @Test func failedScrapeMarksEverythingStaleAndWritesUpZero() async {
        let failure = ScrapeError(.httpStatus, location: "target x", "server returned HTTP status 500 Internal Server Error")
        var harness = Harness([.body("a 1\nb 2\n"), .failure(failure), .body("a 1\n")])
        await harness.runner.scrapeAndReport(at: 1_000)
        _ = harness.storage.drain()
        #expect(await harness.runner.scrapeAndReport(at: 2_000) == failure)
        #expect(Set(harness.storage.drain()) == Set([
            Self.stale(Self.series("a"), at: 2_000), Self.stale(Self.series("b"), at: 2_000),
        ] + Self.report(at: 2_000, up: 0, scraped: 0, post: 0, added: 0)))
        // Back up: the series cache survived the failure, so a is not added again.
        #expect(await harness.runner.scrapeAndReport(at: 3_000) == nil)
        #expect(harness.storage.drain() == [Recorded(labels: Self.series("a"), timestamp: 3_000, value: 1)]
            + Self.report(at: 3_000, up: 1, scraped: 1, post: 1, added: 0))
    }

    @Test func parseErrorRollsBackAndReportsPosition() async {
        var harness = Harness([.body("a 1\nb 2\n"), .body("a 1\nb{x=\"1\" 2\n")])
        await harness.runner.scrapeAndReport(at: 1_000)
        _ = harness.storage.drain()
        let error = await harness.runner.scrapeAndReport(at: 2_000)
        #expect(error?.kind == .parse)
        #expect(error?.message.hasPrefix("line 2, column ") == true)
        #expect(harness.storage.rollbacks == 1)
        // a was appended before the error, but the batch was rolled back: only markers and the report remain.
        #expect(Set(harness.storage.drain()) == Set([
            Self.stale(Self.series("a"), at: 2_000), Self.stale(Self.series("b"), at: 2_000),
        ] + Self.report(at: 2_000, up: 0, scraped: 1, post: 1, added: 0)))
    }

    @Test func truncatedOpenMetricsBodyFails() async {
        var harness = Harness([.body("a_total 1\n", contentType: "application/openmetrics-text; version=1.0.0")])
        let error = await harness.runner.scrapeAndReport(at: 1_000)
        #expect(error?.kind == .parse)
        #expect(harness.storage.drain() == Self.report(at: 1_000, up: 0, scraped: 1, post: 1, added: 1))
    }

    @Test func sampleLimit() async throws {
        var options = ScrapeOptions()
        options.sampleLimit = 2
        var harness = Harness([.body("a 1\nb 2\nc 3\n")], options: options)
        let error = await harness.runner.scrapeAndReport(at: 1_000)
        #expect(error?.message == "sample limit exceeded")
        #expect(error?.kind == .sampleLimit)
        #expect(harness.storage.drain() == Self.report(at: 1_000, up: 0, scraped: 3, post: 3, added: 2))
        // One scrape hit the limit; nothing else was counted.
        #expect(try harness.metrics.expectCounter("prometheus_target_scrapes_exceeded_sample_limit_total").totalValue == 1)
        #expect(try harness.metrics.expectCounter("prometheus_target_scrapes_exceeded_body_size_limit_total").totalValue == 0)
        _ = await harness.runner.scrapeAndReport(at: 2_000)
        #expect(try harness.metrics.expectCounter("prometheus_target_scrapes_exceeded_sample_limit_total").totalValue == 2)
    }

    @Test func sampleLimitCountsAfterMetricRelabeling() async throws {
        var options = ScrapeOptions()
        options.sampleLimit = 2
        options.metricRelabelConfigs = [try RelabelConfig(sourceLabels: ["__name__"], regex: "c", action: .drop)]
        var harness = Harness([.body("a 1\nb 2\nc 3\n")], options: options)
        #expect(await harness.runner.scrapeAndReport(at: 1_000) == nil)
        #expect(harness.storage.drain() == [
            Recorded(labels: Self.series("a"), timestamp: 1_000, value: 1),
            Recorded(labels: Self.series("b"), timestamp: 1_000, value: 2),
        ] + Self.report(at: 1_000, up: 1, scraped: 3, post: 2, added: 2))
    }

    @Test(arguments: [
        (3, 0, 0, "label_limit exceeded (metric: a, number of labels: 4, limit: 3)"),
        (0, 5, 0, "label_name_length_limit exceeded (metric: a, label name: __name__, length: 8, limit: 5)"),
        (0, 0, 8, "label_value_length_limit exceeded (metric: a, label name: instance, value: \"host:9100\", length: 9, limit: 8)"),
    ])
    func labelLimits(count: Int, nameLength: Int, valueLength: Int, message: String) async {
        var options = ScrapeOptions()
        options.labelLimit = count
        options.labelNameLengthLimit = nameLength
        options.labelValueLengthLimit = valueLength
        var harness = Harness([.body("a{x=\"1\"} 1\n")], options: options)
        let error = await harness.runner.scrapeAndReport(at: 1_000)
        #expect(error?.message == message)
        #expect(error?.kind == .labelLimit)
        #expect(harness.storage.drain() == Self.report(at: 1_000, up: 0, scraped: 1, post: 0, added: 0))
    }

    /// Prometheus reads lines of any length: a 3 MB HELP and a 2 MB label value scrape with
    /// `up` 1; only label_value_length_limit refuses the value, with its own error.
    @Test func linesOfSeveralMegabytes() async {
        let help = String(repeating: "h", count: 3 << 20), value = String(repeating: "v", count: 2 << 20)
        let body = "# HELP a \(help)\n# TYPE a gauge\na{x=\"\(value)\"} 1\n"
        var harness = Harness([.body(body)])
        #expect(await harness.runner.scrapeAndReport(at: 1_000) == nil)
        #expect(harness.storage.drain() == [Recorded(labels: Self.series("a", ["x": value]), timestamp: 1_000, value: 1)]
            + Self.report(at: 1_000, up: 1, scraped: 1, post: 1, added: 1))
        #expect(harness.runner.metadata.metadata(for: "a")?.help == help)

        var options = ScrapeOptions()
        options.labelValueLengthLimit = 1 << 20
        var limited = Harness([.body(body)], options: options)
        let error = await limited.runner.scrapeAndReport(at: 1_000)
        #expect(error?.kind == .labelLimit)
        #expect(error?.message.hasPrefix("label_value_length_limit exceeded (metric: a, label name: x, value: ") == true)
    }

    /// Prometheus 3: a response without a Content-Type fails the scrape (up 0, no samples)
    /// unless the job names a fallback_scrape_protocol, which then parses it.
    @Test func missingContentTypeFailsTheScrape() async {
        var harness = Harness([.body("a 1\n", contentType: nil)])
        let error = await harness.runner.scrapeAndReport(at: 1_000)
        #expect(error?.message == "non-compliant scrape target sending blank Content-Type and no fallback_scrape_protocol specified for target")
        #expect(harness.storage.drain() == Self.report(at: 1_000, up: 0, scraped: 0, post: 0, added: 0))

        var options = ScrapeOptions()
        options.fallback = ScrapeContentType.Fallback(format: .text004, mediaType: "text/plain")
        var fallback = Harness([.body("a 1\n", contentType: "text/html")], options: options)
        #expect(await fallback.runner.scrapeAndReport(at: 1_000) == nil)
        #expect(fallback.storage.drain() == [Recorded(labels: Self.series("a"), timestamp: 1_000, value: 1)]
            + Self.report(at: 1_000, up: 1, scraped: 1, post: 1, added: 1))
    }

    @Test func honorLabelsFalseExportsConflicts() async {
        var harness = Harness([.body("a{job=\"other\",instance=\"i\",exported_job=\"taken\"} 1\n")])
        await harness.runner.scrapeAndReport(at: 1_000)
        let first = harness.storage.drain().first
        #expect(first?.labels == Labels([
            "__name__": "a", "job": "node", "instance": "host:9100", "exported_instance": "i",
            "exported_job": "taken", "exported_exported_job": "other",
        ]))
    }

    @Test func honorLabelsTrueKeepsExposedValues() async {
        var options = ScrapeOptions()
        options.honorLabels = true
        var harness = Harness([.body("a{job=\"other\"} 1\n")], options: options)
        await harness.runner.scrapeAndReport(at: 1_000)
        #expect(harness.storage.drain().first?.labels
            == Labels(["__name__": "a", "job": "other", "instance": "host:9100"]))
    }

    @Test func honorTimestampsFalseUsesScrapeTime() async {
        var options = ScrapeOptions()
        options.honorTimestamps = false
        var harness = Harness([.body("a 1 500\n")], options: options)
        await harness.runner.scrapeAndReport(at: 1_000)
        #expect(harness.storage.drain().first == Recorded(labels: Self.series("a"), timestamp: 1_000, value: 1))
    }

    @Test func metricRelabelDropIsCachedAndCounted() async throws {
        var options = ScrapeOptions()
        options.metricRelabelConfigs = [try RelabelConfig(sourceLabels: ["__name__"], regex: "go_.*", action: .drop)]
        var harness = Harness([.body("go_x 1\nkeep 2\n")], options: options)
        await harness.runner.scrapeAndReport(at: 1_000)
        await harness.runner.scrapeAndReport(at: 2_000)
        #expect(harness.storage.drain() == [Recorded(labels: Self.series("keep"), timestamp: 1_000, value: 2)]
            + Self.report(at: 1_000, up: 1, scraped: 2, post: 1, added: 1)
            + [Recorded(labels: Self.series("keep"), timestamp: 2_000, value: 2)]
            + Self.report(at: 2_000, up: 1, scraped: 2, post: 1, added: 0))
    }

    @Test func markAllStaleCoversReportSeries() async {
        var harness = Harness([.body("a 1\n")])
        await harness.runner.scrapeAndReport(at: 1_000)
        _ = harness.storage.drain()
        await harness.runner.markAllStale(at: 16_000)
        #expect(Set(harness.storage.drain()) == Set(
            [Self.stale(Self.series("a"), at: 16_000)]
                + ReportSeriesNames.all.map { Self.stale(Self.series($0), at: 16_000) }))
    }

    @Test func requestCarriesAcceptTimeoutAndLimit() async {
        var options = ScrapeOptions()
        options.bodySizeLimit = 1024
        var harness = Harness([.body("a 1\n")], options: options)
        await harness.runner.scrapeAndReport(at: 1_000)
        let request = harness.fetcher.requests.first
        #expect(request?.timeout == .seconds(10))
        #expect(request?.bodySizeLimit == 1024)
        #expect(request?.accept == "application/openmetrics-text;version=1.0.0;escaping=underscores;q=0.6,"
            + "application/openmetrics-text;version=0.0.1;q=0.5,text/plain;version=1.0.0;escaping=underscores;q=0.4,"
            + "text/plain;version=0.0.4;q=0.3,*/*;q=0.2")
    }
}

enum ReportSeriesNames {
    static let all = ["up", "scrape_duration_seconds", "scrape_samples_scraped",
                      "scrape_samples_post_metric_relabeling", "scrape_series_added"]
}
