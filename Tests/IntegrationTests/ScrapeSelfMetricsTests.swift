import Foundation
import PharosTestSupport
import Testing

/// Scrape outcomes reach `/metrics` of the `pharos` binary under Prometheus' names.
@Suite(.serialized, .timeLimit(.minutes(10))) struct ScrapeSelfMetricsTests {
    @Test func sampleLimitHitsAndPoolSizesAreCounted() async throws {
        try await withTemporaryDirectory { folder in
            let served = folder + "/served"
            try FileManager.default.createDirectory(atPath: served, withIntermediateDirectories: true)
            try "a 1\nb 2\nc 3\n".write(toFile: served + "/three.prom", atomically: true, encoding: .utf8)
            let port = try Peers.freePort()
            let server = try PeerProcess(try Peers.python3(), [ScrapeDifferentialTests.fixtureServerScript, "\(port)", served],
                                         logPath: folder + "/fixtures.log")
            defer { server.stop() }
            try await server.waitForLog(containing: "listening on \(port)", timeout: .seconds(30))
            try """
                global:
                  scrape_interval: 1s
                  scrape_timeout: 900ms
                scrape_configs:
                  - job_name: limited
                    sample_limit: 2
                    metrics_path: /three.prom
                    static_configs:
                      - targets: ['127.0.0.1:\(port)']

                """.write(toFile: folder + "/pharos.yml", atomically: true, encoding: .utf8)
            let pharos = try await PharosSubprocess(dataPath: folder + "/data", logPath: folder + "/pharos.log",
                                                    extraArguments: ["--config.file=\(folder)/pharos.yml"])
            defer { pharos.stop() }

            var body = ""
            for _ in 0..<100 {
                body = try await pharos.client.get("/metrics").body
                if !body.contains("\nprometheus_target_scrapes_exceeded_sample_limit_total 0") { break }
                try await Task.sleep(for: .milliseconds(200))
            }
            let hits = body.split(separator: "\n").first { $0.hasPrefix("prometheus_target_scrapes_exceeded_sample_limit_total ") }
            #expect((hits?.split(separator: " ").last).flatMap { Double($0) } ?? 0 >= 1, "\(body)")
            #expect(body.contains(#"prometheus_target_scrape_pool_targets{scrape_job="limited"} 1"#), "\(body)")
            #expect(body.contains(#"prometheus_sd_discovered_targets{config="limited",name="scrape"} 1"#), "\(body)")
            #expect(body.contains("\nprometheus_target_scrapes_sample_out_of_order_total 0"), "\(body)")
            // Two scrapes a second apart: the interval summary has its first observation.
            for _ in 0..<50 where !body.contains(#"prometheus_target_interval_length_seconds_count{interval="1s"}"#) {
                try await Task.sleep(for: .milliseconds(200))
                body = try await pharos.client.get("/metrics").body
            }
            #expect(body.contains("# TYPE prometheus_target_interval_length_seconds summary"), "\(body)")
            let median = body.split(separator: "\n")
                .first { $0.hasPrefix(#"prometheus_target_interval_length_seconds{interval="1s",quantile="0.5"} "#) }
            #expect(median.flatMap { Double($0.split(separator: " ").last ?? "") }.map { (0.5...1.5).contains($0) } == true, "\(body)")

            // A reload without the job takes its per-pool gauges off /metrics.
            try "scrape_configs: []\n".write(toFile: folder + "/pharos.yml", atomically: true, encoding: .utf8)
            let reload = try await pharos.client.postForm("/-/reload", "")
            #expect(reload.status == 200, "\(reload.body)")
            let after = try await pharos.client.get("/metrics").body
            #expect(!after.contains(#"scrape_job="limited""#) && !after.contains(#"config="limited""#), "\(after)")
        }
    }
}
