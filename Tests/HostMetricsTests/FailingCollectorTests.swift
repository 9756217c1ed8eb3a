import Foundation
import HostMetrics
import PharosCore
import PharosTestSupport
import Testing

/// A collector whose files are missing or broken reports `node_scrape_collector_success 0`;
/// the others still answer in the same scrape.
@Suite struct FailingCollectorTests {
    @Test func brokenAndMissingFilesFailOnlyTheirCollectors() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let proc = directory.path + "/proc"
        try FileManager.default.createDirectory(atPath: proc + "/sys/fs", withIntermediateDirectories: true)
        try "MemTotal:       16384000 kB\nMemFree:         1024000 kB\n".write(toFile: proc + "/meminfo", atomically: true, encoding: .utf8)
        try "cpu0 12 x 3\nbtime 1\n".write(toFile: proc + "/stat", atomically: true, encoding: .utf8)  // non-numeric
        try "0.66 0.94".write(toFile: proc + "/loadavg", atomically: true, encoding: .utf8)  // truncated
        try "733\t0\t2466239\n".write(toFile: proc + "/sys/fs/file-nr", atomically: true, encoding: .utf8)
        // diskstats, vmstat, pressure/*, mounts: missing.
        var configuration = NodeExporter.Configuration()
        configuration.paths.proc = proc
        configuration.paths.sys = directory.path + "/sys"
        configuration.paths.rootfs = directory.path + "/root"
        configuration.netdevNetlink = false
        let scraped = try ScrapedFamilies(NodeExporter(configuration: configuration).scrape())
        let success = try #require(scraped.families["node_scrape_collector_success"]).samples
        var byCollector: [String: Double] = [:]
        for (labels, value) in success { byCollector[labels["collector"]] = value }
        #expect(byCollector == [
            "cpu": 0, "diskstats": 0, "filefd": 1, "filesystem": 0, "loadavg": 0, "meminfo": 1, "netdev": 0, "os": 0,
            "pressure": 0, "stat": 0, "time": 1, "uname": 1, "vmstat": 0,
        ])
        #expect(scraped.families["node_memory_MemTotal_bytes"]?.samples.values.first == 16_777_216_000.0)
        #expect(scraped.families["node_filefd_maximum"]?.samples.values.first == 2_466_239)
        #expect(scraped.families["node_uname_info"]?.samples.count == 1)
        #expect(scraped.families["node_load1"] == nil && scraped.families["node_cpu_seconds_total"] == nil)
        #expect(scraped.families["node_scrape_collector_duration_seconds"]?.samples.count == 13)
    }

    @Test func everyCollectorSucceedsOnThisMachine() throws {
        let scraped = try ScrapedFamilies(NodeExporter().scrape())
        let success = try #require(scraped.families["node_scrape_collector_success"]).samples
        #expect(success.count == NodeExporter.collectorNames.count)
        for (labels, value) in success { #expect(value == 1, "collector \(labels["collector"]) failed") }
    }
}
