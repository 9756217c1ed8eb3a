import Foundation
import PharosTestSupport
import Testing

/// A real Prometheus scrapes the Python test app every second and remote_writes to a `pharos`
/// subprocess; the same PromQL queries on both then give the same answers.
@Suite(.serialized, .timeLimit(.minutes(10))) struct PrometheusRemoteWriteTests {
    /// `up` is pinned to the app's job: the `pharos` subprocess also scrapes itself every 15 s.
    static let instantQueries = [
        #"up{job="app"}"#,
        "pharos_app_requests_total",
        "rate(pharos_app_requests_total[5s])",
        "sum by (job) (rate(pharos_app_requests_total[5s]))",
        "pharos_app_temperature_celsius",
        "histogram_quantile(0.9, sum by (le) (rate(pharos_app_latency_seconds_bucket[5s])))",
        "pharos_app_response_bytes_sum / pharos_app_response_bytes_count",
        #"count by (__name__) ({job="app"})"#,
        "max_over_time(pharos_app_temperature_celsius[4s]) - min_over_time(pharos_app_temperature_celsius[4s])",
    ]

    static let rangeQueries = [
        #"up{job="app"}"#,
        "rate(pharos_app_requests_total[3s])",
        "sum by (job, room) (pharos_app_temperature_celsius)",
        "increase(pharos_app_latency_seconds_count[4s])",
    ]

    @Test func prometheusAndPharosAnswerAlike() async throws {
        try await withTemporaryDirectory { folder in
            let (app, appPort) = try await MetricsTestApp.startApp(folder: folder, tick: true)
            defer { app.stop() }
            let pharos = try await PharosSubprocess(dataPath: folder + "/pharos-data", logPath: folder + "/pharos.log")
            defer { pharos.stop() }
            let config = MetricsTestApp.scrapeConfig(appPort: appPort, extra: """
                remote_write:
                  - url: http://127.0.0.1:\(pharos.port)/api/v1/write
                    queue_config:
                      batch_send_deadline: 200ms
                      min_backoff: 50ms
                      max_backoff: 500ms

                """)
            let prometheus = try await PrometheusPeer.start(folder: folder, config: config)
            defer { prometheus.stop() }
            let reference = prometheus.client

            // Collect about 12 scrapes, then pick a time half-way between scrapes (no sample sits
            // on a range boundary, so closed and left-open windows agree) that Pharos has caught up to.
            try await Task.sleep(for: .seconds(12))
            let now = Date().timeIntervalSince1970
            let last = try await reference.query("timestamp(up)", at: now).series.values.first?.first?.value
            guard let last else {
                Issue.record("Prometheus has no up sample:\n\(prometheus.log)")
                return
            }
            let at = last - 3.5
            var caughtUp = false
            for _ in 0..<60 {
                let want = try await reference.query("count_over_time(up{job=\"app\"}[1m])", at: at)
                let have = try await pharos.query("count_over_time(up{job=\"app\"}[1m])", at: at)
                if want == have, !want.series.isEmpty { caughtUp = true; break }
                try await Task.sleep(for: .milliseconds(500))
            }
            #expect(caughtUp, "Pharos never received what Prometheus scraped up to \(at)\n\(prometheus.log)\n\(pharos.log)")

            for query in Self.instantQueries {
                let want = try await reference.query(query, at: at)
                let have = try await pharos.query(query, at: at)
                #expect(!want.series.isEmpty, "\(query): Prometheus returned nothing")
                #expect(have.difference(from: want, tolerance: 1e-9) == nil,
                        "instant \(query): \(have.difference(from: want) ?? "")\nPharos:\n\(have)\nPrometheus:\n\(want)")
            }
            for query in Self.rangeQueries {
                let want = try await reference.queryRange(query, start: at - 8, end: at, step: 1)
                let have = try await pharos.client.queryRange(query, start: at - 8, end: at, step: 1)
                #expect(!want.series.isEmpty, "\(query): Prometheus returned nothing")
                #expect(have.difference(from: want, tolerance: 1e-9) == nil,
                        "range \(query): \(have.difference(from: want) ?? "")\nPharos:\n\(have)\nPrometheus:\n\(want)")
            }

            // Started on port 0 with no config file, Pharos scrapes itself at the port it bound.
            let selfUp = #"up{job="pharos", instance="127.0.0.1:\#(pharos.port)"}"#
            var scrapedItself = false
            for _ in 0..<100 where !scrapedItself {
                let result = try await pharos.query(selfUp, at: Date().timeIntervalSince1970)
                scrapedItself = result.series.values.first?.first?.value == 1
                if !scrapedItself { try await Task.sleep(for: .milliseconds(200)) }
            }
            #expect(scrapedItself, "no \(selfUp) == 1 within 20 s\n\(pharos.log)")
        }
    }
}
