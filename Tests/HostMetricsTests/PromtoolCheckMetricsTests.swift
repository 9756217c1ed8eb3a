import Foundation
import HostMetrics
import PharosTestSupport
import Testing

/// `promtool check metrics` (Prometheus 2.42) parses Pharos' host metrics without error and
/// finds exactly the lint problems it finds in node_exporter 1.5's output of the same
/// collectors (node_exporter's own `node_memory_MemTotal_bytes`-style names are camelCase).
@Suite(.serialized) struct PromtoolCheckMetricsTests {
    static func check(_ body: [UInt8]) throws -> (status: Int32, problems: Set<String>) {
        let (status, report) = try Peers.run(Peers.promtool, ["check", "metrics"], stdin: Data(body))
        return (status, Set(report.split(separator: "\n").map(String.init)))
    }

    @Test func promtoolAcceptsNodeMetricsAsItAcceptsNodeExporters() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let peer = try await NodeExporterPeer(collectors: NodeExporter.collectorNames, logPath: directory.path + "/node_exporter.log")
        defer { peer.stop() }
        let theirs = String(decoding: try peer.scrape(), as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        // node_exporter's go_*, process_* and promhttp_* families are not ours to serve.
        var kept: [Substring] = []
        var keep = true
        for line in theirs {
            if line.hasPrefix("# HELP ") { keep = line.dropFirst(7).hasPrefix("node_") && !line.contains("node_exporter_build_info") }
            if keep { kept.append(line) }
        }
        let reference = try Self.check(Array((kept.joined(separator: "\n") + "\n").utf8))
        let ours = try Self.check(NodeExporter().scrape())
        #expect(ours.status != 1, "promtool could not parse /metrics/node: \(ours.problems)")
        #expect(ours.problems == reference.problems,
                "only ours: \(ours.problems.subtracting(reference.problems)); only node_exporter's: \(reference.problems.subtracting(ours.problems))")
        #expect(ours.problems.allSatisfy { $0.hasSuffix("metric names should be written in 'snake_case' not 'camelCase'") })
    }
}
