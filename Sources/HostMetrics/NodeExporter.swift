import Logging
import PharosCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The built-in node exporter: node_exporter 1.5's Linux collectors for cpu, diskstats,
/// filefd, filesystem, loadavg, meminfo, netdev, os, pressure, stat, time, uname and vmstat,
/// under its metric names, help texts, types and labels, plus
/// `node_scrape_collector_duration_seconds` and `node_scrape_collector_success`.
///
/// Thread-safe; `scrape()` blocks on file reads and `statfs` (call it off the event loop).
/// A collector that fails reports success 0 and the others still answer; nothing read from
/// /proc or /sys can make a scrape trap.
package final class NodeExporter: Sendable {
    package struct Configuration: Sendable {
        package var paths = HostPaths()
        /// The collectors to run, by node_exporter name; nil runs every one in `collectorNames`.
        package var collectors: [String]?
        /// `--collector.netdev.netlink` (default true): link statistics over rtnetlink, as
        /// node_exporter 1.5 reads them; false parses /proc/net/dev.
        package var netdevNetlink = true

        package init() {}
    }

    /// Every collector this exporter implements, in node_exporter's names.
    package static let collectorNames = [
        "cpu", "diskstats", "filefd", "filesystem", "loadavg", "meminfo", "netdev", "os", "pressure", "stat",
        "time", "uname", "vmstat",
    ]

    private let collectors: [any NodeCollector]
    private let logger: Logger

    /// Builds the collectors; unknown names in `configuration.collectors` are ignored.
    package init(configuration: Configuration = Configuration(), logger: Logger = Logger(label: "pharos.hostmetrics")) {
        let paths = configuration.paths
        let wanted = Set(configuration.collectors ?? Self.collectorNames)
        var collectors: [any NodeCollector] = []
        for name in Self.collectorNames where wanted.contains(name) {
            switch name {
            case "cpu": collectors.append(CPUCollector(paths: paths))
            case "diskstats": collectors.append(DiskstatsCollector(paths: paths))
            case "filefd": collectors.append(FilefdCollector(paths: paths))
            case "filesystem": collectors.append(FilesystemCollector(paths: paths))
            case "loadavg": collectors.append(LoadavgCollector(paths: paths))
            case "meminfo": collectors.append(MeminfoCollector(paths: paths))
            case "netdev": collectors.append(NetdevCollector(paths: paths, netlink: configuration.netdevNetlink))
            case "os": collectors.append(OSCollector(paths: paths))
            case "pressure": collectors.append(PressureCollector(paths: paths))
            case "stat": collectors.append(StatCollector(paths: paths))
            case "time": collectors.append(TimeCollector(paths: paths))
            case "uname": collectors.append(UnameCollector())
            case "vmstat": collectors.append(VmstatCollector(paths: paths))
            default: break
            }
        }
        self.collectors = collectors
        self.logger = logger
    }

    /// Runs every collector once and returns the families (with the scrape meta-metrics).
    package func gather() -> NodeMetrics {
        var all = NodeMetrics()
        for collector in collectors {
            var metrics = NodeMetrics()
            let start = Self.monotonicNanoseconds()
            var success = 1.0
            do {
                try collector.update(&metrics)
            } catch {
                success = 0
                if error.kind != .noData {
                    logger.error("collector failed", metadata: ["hostmetrics.collector": "\(collector.name)",
                                                                "error": "\(error)"])
                }
            }
            let seconds = Double(Self.monotonicNanoseconds() - start) / 1e9
            all.merge(metrics)
            let label = [Label.of("collector", collector.name)]
            all.add("node_scrape_collector_duration_seconds", "node_exporter: Duration of a collector scrape.",
                    .gauge, seconds, label)
            all.add("node_scrape_collector_success", "node_exporter: Whether a collector succeeded.",
                    .gauge, success, label)
        }
        return all
    }

    /// One scrape as text exposition format 0.0.4 (`text/plain; version=0.0.4`).
    package func scrape() -> [UInt8] { gather().render() }

    static func monotonicNanoseconds() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
    }
}
