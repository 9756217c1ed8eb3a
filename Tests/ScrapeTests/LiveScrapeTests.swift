import Foundation
import PharosConfig
import PharosCore
import PharosHTTPClient
import PharosTestSupport
import Scrape
import Testing
import TSDB

/// The in-memory TSDB head behind the storage seams.
final class HeadStorage: Appendable, Queryable {
    let head = Head()

    func makeAppender() -> any Appender { head.makeAppender() }

    func withQuerier<R: Sendable>(from mint: Timestamp, through maxt: Timestamp,
                                  _ body: (any Querier) async throws -> R) async throws -> R {
        try await body(BlockMergeQuerier(head: head, from: mint, through: maxt))
    }

    /// Every sample of every series matching `matchers`, by series description.
    func dump(_ matchers: [LabelMatcher]) async throws -> [String: [Sample]] {
        try await withQuerier(from: .min, through: .max) { querier in
            var set = try await querier.select(matchers, hints: nil, sorted: true)
            var out: [String: [Sample]] = [:]
            while let series = try set.next() {
                var iterator = series.makeIterator()
                var samples: [Sample] = []
                while iterator.next() { samples.append(Sample(timestamp: iterator.current.timestamp, value: iterator.current.value)) }
                out[series.labels.description] = samples
            }
            return out
        }
    }
}

@Suite(.serialized, .timeLimit(.minutes(5))) struct LiveScrapeTests {
    static func scrapeConfig(port: Int, extra: String = "", path: String = "/metrics") throws -> ScrapeConfig {
        let yaml = """
        scrape_configs:
          - job_name: live
            scrape_interval: 5s
            scrape_timeout: 1s
            metrics_path: \(path)
        \(extra)
            static_configs:
              - targets: ['127.0.0.1:\(port)']
        """
        return try parseConfig(yaml, filename: "/tmp/live.yml").scrapeConfigs[0]
    }

    static func fetcher(_ config: ScrapeConfig) throws -> HTTPTargetFetcher {
        HTTPTargetFetcher(client: try PharosHTTPClient(config: config.httpClient))
    }

    @Test func scrapesIntoTheHeadAndReadsBack() async throws {
        try await withTemporaryDirectory { dir in
            try "# TYPE requests_total counter\nrequests_total{code=\"200\"} 10\nrequests_total{code=\"500\"} 1\ntemp 21.5\n"
                .write(toFile: dir + "/metrics.txt", atomically: true, encoding: .utf8)
            let server = try await LiveServer(directory: dir)
            defer { server.stop() }
            let config = try Self.scrapeConfig(port: server.port)
            let target = TargetBuilder.build(config: config, groups: config.staticConfigs).active[0]
            let storage = HeadStorage()
            let fetcher = try Self.fetcher(config)
            var runner = ScrapeRunner(target: target, options: ScrapeOptions(config), fetcher: fetcher,
                                      storage: storage, clock: SystemScrapeClock())
            let t0: Timestamp = 1_700_000_000_000
            #expect(await runner.scrapeAndReport(at: t0) == nil)
            try "requests_total{code=\"200\"} 12\ntemp 22\n".write(toFile: dir + "/metrics.txt", atomically: true, encoding: .utf8)
            #expect(await runner.scrapeAndReport(at: t0 + 5_000) == nil)
            await fetcher.shutdown()

            let all = try await storage.dump([.equal("job", "live")])
            let instance = "127.0.0.1:\(server.port)"
            #expect(all["requests_total{code=\"200\", instance=\"\(instance)\", job=\"live\"}"]
                == [Sample(timestamp: t0, value: 10), Sample(timestamp: t0 + 5_000, value: 12)])
            let gone = try #require(all["requests_total{code=\"500\", instance=\"\(instance)\", job=\"live\"}"])
            #expect(gone.count == 2 && gone[0].value == 1 && gone[1].value.isStaleMarker && gone[1].timestamp == t0 + 5_000)
            #expect(all["up{instance=\"\(instance)\", job=\"live\"}"]?.map(\.value) == [1, 1])
            #expect(all["scrape_samples_scraped{instance=\"\(instance)\", job=\"live\"}"]?.map(\.value) == [3, 2])
            #expect(all["scrape_series_added{instance=\"\(instance)\", job=\"live\"}"]?.map(\.value) == [3, 0])
            let duration = try #require(all["scrape_duration_seconds{instance=\"\(instance)\", job=\"live\"}"])
            #expect(duration.allSatisfy { $0.value > 0 && $0.value < 1 })
        }
    }

    @Test func scrapeHeadersGzipAndErrors() async throws {
        try await withTemporaryDirectory { dir in
            try "x 1\n".write(toFile: dir + "/metrics.txt", atomically: true, encoding: .utf8)
            let server = try await LiveServer(directory: dir)
            defer { server.stop() }
            let config = try Self.scrapeConfig(port: server.port, extra: "    params: {module: [a b]}\n")
            let fetcher = try Self.fetcher(config)
            func target(_ path: String) -> ScrapeTarget {
                var copy = config
                copy.metricsPath = path
                return TargetBuilder.build(config: copy, groups: copy.staticConfigs).active[0]
            }
            let request = FetchRequest(accept: ScrapeOptions(config).accept, compression: true, timeout: .seconds(1))

            let headers = try await fetcher.fetch(target("/headers"), request)
            let text = String(decoding: headers.body, as: UTF8.self)
            #expect(text.contains("accept=\"\(ScrapeOptions(config).accept)\""))
            #expect(text.contains("encoding=\"gzip\""))
            #expect(text.contains("timeout=\"1\""))
            #expect(text.contains("query=\"module=a+b\""))

            // gzip-decoded body.
            let metrics = try await fetcher.fetch(target("/metrics"), request)
            #expect(String(decoding: metrics.body, as: UTF8.self) == "x 1\n")
            #expect(metrics.contentType == "text/plain; version=0.0.4; charset=utf-8")

            await #expect(throws: ScrapeError(.httpStatus, location: "target \(target("/missing").url)",
                                              "server returned HTTP status 404 Not Found")) {
                try await fetcher.fetch(target("/missing"), request)
            }
            var small = request
            small.bodySizeLimit = 2
            await #expect(throws: ScrapeError(.bodySizeLimit, location: "target \(target("/metrics").url)", "body size limit exceeded")) {
                try await fetcher.fetch(target("/metrics"), small)
            }
            do {
                _ = try await fetcher.fetch(target("/slow"), request)
                Issue.record("expected a timeout")
            } catch {
                #expect((error as? ScrapeError)?.message == "Get \"\(target("/slow").url)\": context deadline exceeded")
            }
            await fetcher.shutdown()
        }
    }

    @Test func openMetricsContentTypeAndTimestamps() async throws {
        try await withTemporaryDirectory { dir in
            let server = try await LiveServer(directory: dir)
            defer { server.stop() }
            let config = try Self.scrapeConfig(port: server.port, path: "/om")
            let fetcher = try Self.fetcher(config)
            let storage = RecordingStorage()
            var runner = ScrapeRunner(target: TargetBuilder.build(config: config, groups: config.staticConfigs).active[0],
                                      options: ScrapeOptions(config), fetcher: fetcher, storage: storage,
                                      clock: SystemScrapeClock())
            #expect(await runner.scrapeAndReport(at: 1) == nil)
            await fetcher.shutdown()
            #expect(storage.committed.first?.timestamp == 1_700_000_000_500)
            #expect(storage.committed.first?.labels.metricName == "c_total")
        }
    }

    @Test func authorizationFilesAreReadPerRequest() async throws {
        try await withTemporaryDirectory { dir in
            let server = try await LiveServer(directory: dir)
            defer { server.stop() }
            try "first\n".write(toFile: dir + "/password", atomically: true, encoding: .utf8)
            try "tok1".write(toFile: dir + "/token", atomically: true, encoding: .utf8)
            let basic = try Self.scrapeConfig(port: server.port, extra: "    basic_auth: {username: u, password_file: \(dir)/password}\n", path: "/auth")
            let bearer = try Self.scrapeConfig(port: server.port, extra: "    authorization: {credentials_file: \(dir)/token}\n", path: "/auth")
            let request = FetchRequest(accept: "*/*", timeout: .seconds(1))
            for (config, files, expected) in [
                (basic, (dir + "/password", "second"), ["Basic dTpmaXJzdA==", "Basic dTpzZWNvbmQ="]),
                (bearer, (dir + "/token", "tok2"), ["Bearer tok1", "Bearer tok2"]),
            ] {
                let fetcher = try Self.fetcher(config)
                let target = TargetBuilder.build(config: config, groups: config.staticConfigs).active[0]
                let one = String(decoding: try await fetcher.fetch(target, request).body, as: UTF8.self)
                try files.1.write(toFile: files.0, atomically: true, encoding: .utf8)
                let two = String(decoding: try await fetcher.fetch(target, request).body, as: UTF8.self)
                await fetcher.shutdown()
                #expect(one == "auth{value=\"\(expected[0])\"} 1\n")
                #expect(two == "auth{value=\"\(expected[1])\"} 1\n")
            }
        }
    }
}
