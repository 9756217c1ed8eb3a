import Exposition
import Foundation
import PharosCore
import PharosTestSupport
import Testing

/// A real Prometheus federates from Pharos (`/federate` with `match[]`, `honor_labels`): the
/// series it stores, awkward label values and special floats included, equal what Pharos has.
@Suite(.serialized, .timeLimit(.minutes(10))) struct PrometheusFederationTests {
    static let values: [(String, Double)] = [
        (#"quote " backslash \ newline \n"#, 1.5),
        ("ünïcødé ✓", -0.000_001_25),
        ("big", 12_345_678_901_234_567),
        ("tiny", 1e-300),
        ("inf", .infinity),
        ("neg-inf", -.infinity),
        ("nan", .nan),
    ]

    @Test func prometheusFederatingFromPharosStoresTheSameSeries() async throws {
        try await withTemporaryDirectory { folder in
            let pharos = try await PharosSubprocess(dataPath: folder + "/pharos-data", logPath: folder + "/pharos.log")
            defer { pharos.stop() }
            let now = Int64(Date().timeIntervalSince1970 * 1000)
            let request = WriteRequest(timeseries: Self.values.map { text, value in
                RemoteTimeSeries(labels: [Label(name: "__name__", value: "pharos_it_fed"), Label(name: "instance", value: "src:1"),
                                          Label(name: "job", value: "source"), Label(name: "text", value: text)],
                                 samples: [Sample(timestamp: now - 5000, value: 0), Sample(timestamp: now - 2000, value: value)])
            } + [RemoteTimeSeries(labels: [Label(name: "__name__", value: "pharos_it_not_federated"), Label(name: "job", value: "source")],
                                  samples: [Sample(timestamp: now - 2000, value: 7)])])
            let write = try await pharos.client.remoteWrite(request)
            try #require((200..<300).contains(write.status), "remote write refused: \(write.status) \(write.body)")

            let config = """
                global:
                  scrape_interval: 1s
                  scrape_timeout: 900ms
                scrape_configs:
                  - job_name: federate
                    honor_labels: true
                    metrics_path: /federate
                    params:
                      'match[]': ['{__name__="pharos_it_fed"}']
                    static_configs:
                      - targets: ['127.0.0.1:\(pharos.port)']

                """
            let prometheus = try await PrometheusPeer.start(folder: folder, config: config)
            defer { prometheus.stop() }
            let reference = prometheus.client

            let at = Double(now) / 1000
            let query = #"{__name__=~"pharos_it_.*"}"#
            let want = try await pharos.query(query, at: at)
            #expect(want.series.count == Self.values.count + 1, "\(want)")
            var have = QueryResultJSON(series: [:])
            for _ in 0..<60 {
                have = try await reference.query(query, at: at)
                if have.series.count >= Self.values.count { break }
                try await Task.sleep(for: .milliseconds(500))
            }
            var expected = want
            expected.series = expected.series.filter { $0.key.contains("pharos_it_fed") }
            #expect(have.difference(from: expected, tolerance: 0) == nil,
                    "\(have.difference(from: expected) ?? "")\nPrometheus:\n\(have)\nPharos:\n\(expected)\n\(prometheus.log)")
            let up = try await reference.query(#"up{job="federate"}"#, at: Date().timeIntervalSince1970)
            #expect(up.series.values.first?.first?.value == 1, "the federation scrape failed: \(up)\n\(prometheus.log)")
        }
    }
}
