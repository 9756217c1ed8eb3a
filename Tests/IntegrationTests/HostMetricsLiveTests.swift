import Foundation
import PharosTestSupport
import Testing

/// The `pharos` binary with no config file: `/metrics/node` answers in text 0.0.4 and the
/// embedded default's `node` job scrapes it, is listed in `/api/v1/targets` and stores
/// `node_cpu_seconds_total` with `job="node"` and the instance of the scrape.
@Suite(.serialized, .timeLimit(.minutes(5))) struct HostMetricsLiveTests {
    @Test func embeddedDefaultScrapesTheNodeExporter() async throws {
        try await withTemporaryDirectory { folder in
            let pharos = try await PharosSubprocess(dataPath: folder + "/data", logPath: folder + "/pharos.log")
            defer { pharos.stop() }
            let node = try await pharos.client.get("/metrics/node")
            #expect(node.status == 200)
            #expect(node.headers["content-type"] == "text/plain; version=0.0.4; charset=utf-8")
            #expect(node.body.contains("# TYPE node_cpu_seconds_total counter"), "\(node.body)")
            #expect(node.body.contains(#"node_scrape_collector_success{collector="meminfo"} 1"#), "\(node.body)")
            let (status, report) = try Peers.run(Peers.promtool, ["check", "metrics"], stdin: Data(node.body.utf8))
            #expect(status != 1, "promtool check metrics could not parse /metrics/node: \(report)")

            let instance = "127.0.0.1:\(pharos.port)"
            var targets = ""
            var stored = QueryResultJSON(series: [:])
            // The default scrapes every 15 s, the first scrape within one interval of start.
            for _ in 0..<90 {
                targets = try await pharos.client.get("/api/v1/targets").body
                stored = try await pharos.query(#"node_cpu_seconds_total{mode="idle"}"#, at: Date().timeIntervalSince1970)
                if !stored.series.isEmpty { break }
                try await Task.sleep(for: .milliseconds(500))
            }
            #expect(targets.contains(#""job":"node""#) && targets.contains(#""scrapeUrl":"http://\#(instance)/metrics/node""#), "\(targets)")
            try #require(!stored.series.isEmpty, "node_cpu_seconds_total never stored within 45 s:\n\(targets)\n\(pharos.log)")
            #expect(stored.series.keys.contains(#"{__name__="node_cpu_seconds_total", cpu="0", instance="\#(instance)", job="node", mode="idle"}"#),
                    "\(stored)")
            let up = try await pharos.query(#"up{job="node"}"#, at: Date().timeIntervalSince1970)
            #expect(up.series.values.first?.first?.value == 1, "\(up)")
        }
    }
}
