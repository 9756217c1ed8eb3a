import Exposition
import Foundation
import PharosCore
import PharosTestSupport
import Testing

/// `promtool check metrics` accepts the `/metrics` of the real binary, with the TSDB, ingest
/// and HTTP metrics all registered and non-zero after some traffic.
@Suite(.timeLimit(.minutes(10))) struct BinaryMetricsPromtoolTests {
    @Test func promtoolAcceptsTheBinarysMetrics() async throws {
        try await withTemporaryDirectory { folder in
            let pharos = try await PharosSubprocess(dataPath: folder + "/data", logPath: folder + "/pharos.log")
            defer { pharos.stop() }
            let now = Int64(Date().timeIntervalSince1970 * 1000)
            let write = try await pharos.client.remoteWrite(WriteRequest(timeseries: [
                RemoteTimeSeries(labels: [Label(name: "__name__", value: "pharos_it_metrics")],
                                 samples: [Sample(timestamp: now - 1000, value: 1), Sample(timestamp: now, value: 2)]),
            ]))
            #expect((200..<300).contains(write.status), "\(write.status) \(write.body)")
            _ = try await pharos.query("pharos_it_metrics", at: Double(now) / 1000)
            let metrics = try await pharos.client.get("/metrics")
            #expect(metrics.status == 200)
            #expect(metrics.body.contains("# TYPE prometheus_tsdb_head_series gauge"), "TSDB metrics missing:\n\(metrics.body)")
            for line in [#"prometheus_http_requests_total{code="200",handler="/api/v1/query"} 1"#,
                         #"prometheus_http_requests_total{code="204",handler="/api/v1/write"} 1"#,
                         #"prometheus_http_request_duration_seconds_count{handler="/api/v1/query"} 1"#] {
                #expect(metrics.body.contains(line), "missing \(line):\n\(metrics.body)")
            }
            let (status, report) = try Peers.run(Peers.promtool, ["check", "metrics"], stdin: Data(metrics.body.utf8))
            #expect(status == 0, "promtool check metrics: \(report)\n--- body ---\n\(metrics.body)")
        }
    }
}
