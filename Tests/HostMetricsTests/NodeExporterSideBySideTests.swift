import Foundation
import HostMetrics
import PharosCore
import PharosTestSupport
import Testing

/// Pharos' host metrics beside node_exporter 1.5 on this machine, same collectors: the same
/// families (names, help, types), the same label sets, values equal for static gauges and,
/// for counters, between node_exporter's reads before and after ours.
@Suite(.serialized) struct NodeExporterSideBySideTests {
    /// Gauges that do not move while the test runs.
    static let staticGauges: Set<String> = [
        "node_boot_time_seconds", "node_filefd_maximum", "node_filesystem_size_bytes", "node_filesystem_files",
        "node_filesystem_readonly", "node_filesystem_device_error", "node_memory_MemTotal_bytes", "node_memory_SwapTotal_bytes",
        "node_memory_Hugepagesize_bytes", "node_memory_HugePages_Total", "node_memory_VmallocTotal_bytes",
        "node_uname_info", "node_os_info", "node_os_version", "node_disk_info", "node_time_clocksource_available_info",
        "node_time_clocksource_current_info", "node_time_zone_offset_seconds", "node_scrape_collector_success",
        "node_memory_CommitLimit_bytes", "node_cpu_isolated",
    ]

    @Test func sameFamiliesLabelsAndValuesAsNodeExporter() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let peer = try await NodeExporterPeer(collectors: NodeExporter.collectorNames, logPath: directory.path + "/node_exporter.log")
        defer { peer.stop() }
        let exporter = NodeExporter()
        _ = try peer.scrape()  // warm both up (node_exporter's os cache, our CPU history)
        _ = exporter.scrape()

        let before = try ScrapedFamilies(try peer.scrape()).nodeFamilies
        let timeBefore = Date().timeIntervalSince1970
        let oursBody = exporter.scrape()
        let timeAfter = Date().timeIntervalSince1970
        let after = try ScrapedFamilies(try peer.scrape()).nodeFamilies
        let ours = try ScrapedFamilies(oursBody).nodeFamilies

        #expect(Set(ours.keys) == Set(before.keys),
                "only node_exporter: \(Set(before.keys).subtracting(ours.keys).sorted()); only Pharos: \(Set(ours.keys).subtracting(before.keys).sorted())")
        for (name, theirs) in before.sorted(by: { $0.key < $1.key }) {
            guard let mine = ours[name], let later = after[name] else { continue }
            #expect(mine.help == theirs.help, "\(name): help")
            #expect(mine.type == theirs.type, "\(name): type \(mine.type) vs \(theirs.type)")
            #expect(Set(mine.samples.keys) == Set(theirs.samples.keys),
                    "\(name): label sets; only node_exporter: \(Set(theirs.samples.keys).subtracting(mine.samples.keys)); only Pharos: \(Set(mine.samples.keys).subtracting(theirs.samples.keys))")
            for (labels, value) in mine.samples {
                guard let first = theirs.samples[labels], let second = later.samples[labels] else { continue }
                if Self.staticGauges.contains(name) {
                    #expect(value == first, "\(name)\(labels): \(value) vs node_exporter's \(first)")
                } else if name == "node_time_seconds" {
                    #expect(value >= timeBefore - 0.001 && value <= timeAfter + 0.001, "\(name): \(value)")
                } else if mine.type == .counter || name.hasPrefix("node_vmstat_") {
                    let low = min(first, second), high = max(first, second)
                    let slack = max(abs(high) * 1e-12, 1e-9)
                    #expect(value >= low - slack && value <= high + slack,
                            "\(name)\(labels): \(value) not between node_exporter's \(first) and \(second)")
                } else {
                    #expect(value.isFinite, "\(name)\(labels): \(value)")
                }
            }
        }
    }
}
