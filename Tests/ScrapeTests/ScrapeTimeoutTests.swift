import Foundation
import PharosConfig
import PharosCore
import PharosTestSupport
import Scrape
import Testing

/// A target that sends its headers at once and then trickles its body (a line every 0.25 s for
/// 20 s) is cut at `scrape_timeout`, as Prometheus' context deadline cuts it.
@Suite(.serialized, .timeLimit(.minutes(2))) struct ScrapeTimeoutTests {
    static func config(_ port: Int, jobs: [(name: String, path: String)]) throws -> PharosConfig {
        var yaml = "scrape_configs:\n"
        for job in jobs {
            yaml += """
              - job_name: \(job.name)
                scrape_interval: 2s
                scrape_timeout: 1s
                metrics_path: \(job.path)
                static_configs:
                  - targets: ['127.0.0.1:\(port)']

            """
        }
        return try parseConfig(yaml, filename: "/tmp/timeout.yml")
    }

    @Test func aTricklingBodyEndsAtTheTimeoutWithNoSamples() async throws {
        try await withTemporaryDirectory { dir in
            try "x 1\n".write(toFile: dir + "/metrics.txt", atomically: true, encoding: .utf8)
            let server = try await LiveServer(directory: dir)
            defer { server.stop() }
            let config = try Self.config(server.port, jobs: [("slow", "/trickle")]).scrapeConfigs[0]
            let target = TargetBuilder.build(config: config, groups: config.staticConfigs).active[0]
            let storage = RecordingStorage()
            let fetcher = try LiveScrapeTests.fetcher(config)
            var runner = ScrapeRunner(target: target, options: ScrapeOptions(config), fetcher: fetcher,
                                      storage: storage, clock: SystemScrapeClock())
            let error = await runner.scrapeAndReport(at: 1_700_000_000_000)
            await fetcher.shutdown()

            #expect(error?.message == "Get \"\(target.url)\": context deadline exceeded")
            let samples = storage.committed
            #expect(!samples.contains { $0.labels[Labels.metricName].hasPrefix("trickle_") })
            #expect(samples.first { $0.labels[Labels.metricName] == "up" }?.value == 0)
            let duration = try #require(samples.first { $0.labels[Labels.metricName] == "scrape_duration_seconds" })
            // The body would take 20 s; the scrape ends at the 1 s timeout (plus scheduling slack).
            #expect(duration.value >= 0.9 && duration.value < 5, "scrape_duration_seconds \(duration.value)")
        }
    }

    /// Loops keep their schedule: the slow target is scraped every interval (each ending at the
    /// timeout), and a healthy target of another job is scraped on time beside it.
    @Test func slowAndHealthyTargetsKeepTheirSchedule() async throws {
        try await withTemporaryDirectory { dir in
            try "x 1\n".write(toFile: dir + "/metrics.txt", atomically: true, encoding: .utf8)
            let server = try await LiveServer(directory: dir)
            defer { server.stop() }
            let storage = RecordingStorage()
            let manager = ScrapeManager(storage: storage, discoveryPollInterval: .seconds(3600))
            try await manager.apply(Self.config(server.port, jobs: [("slow", "/trickle"), ("fast", "/metrics")]))
            func ups(_ job: String) -> [Recorded] {
                storage.committed.filter { $0.labels[Labels.metricName] == "up" && $0.labels["job"] == job }
            }
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await manager.run() }
                let deadline = ContinuousClock.now + .seconds(60)
                while ContinuousClock.now < deadline, ups("slow").count < 4 || ups("fast").count < 4 {
                    try await Task.sleep(for: .milliseconds(50))
                }
                group.cancelAll()
                try await group.next()
            }
            let slow = ups("slow"), fast = ups("fast")
            #expect(slow.count >= 4 && fast.count >= 4)
            #expect(slow.allSatisfy { $0.value == 0 })
            #expect(fast.allSatisfy { $0.value == 1 })
            for samples in [slow, fast] {
                let gaps = zip(samples.dropFirst(), samples).map { $0.timestamp - $1.timestamp }
                // No interval skipped or doubled up (with room for a loaded machine's scheduling).
                #expect(gaps.allSatisfy { (1_000...3_500).contains($0) }, "gaps between scrapes: \(gaps) ms")
            }
            #expect(!storage.committed.contains { $0.labels[Labels.metricName].hasPrefix("trickle_") })
        }
    }
}
