/// Where the collectors read the machine from (node_exporter's `--path.*` flags).
package struct HostPaths: Sendable, Equatable {
    /// `--path.procfs`.
    package var proc = "/proc"
    /// `--path.sysfs`.
    package var sys = "/sys"
    /// `--path.rootfs`: prefixed to mount points for statfs and to /etc/os-release.
    package var rootfs = "/"
    /// `--path.udev.data`.
    package var udevData = "/run/udev/data"

    package init() {}

    func proc(_ name: String) -> String { SystemFile.join(proc, name) }
    func sys(_ name: String) -> String { SystemFile.join(sys, name) }
    func rootfs(_ name: String) -> String { SystemFile.join(rootfs, name) }

    /// node_exporter's `rootfsStripPrefix`.
    func stripRootfs(_ path: String) -> String {
        guard rootfs != "/" else { return path }
        guard path.hasPrefix(rootfs) else { return path }
        let stripped = String(path.dropFirst(rootfs.count))
        return stripped.isEmpty ? "/" : stripped
    }
}

/// One node_exporter collector: reads its files and adds its families to `metrics`.
///
/// `update` may be called from any thread, one call at a time per exporter; a collector that
/// keeps state between scrapes guards it itself. A thrown error makes the scrape report
/// `node_scrape_collector_success{collector=name} 0`; what it added before throwing is still
/// written, as node_exporter has sent it on its channel by then.
protocol NodeCollector: Sendable {
    /// The `collector` label value (node_exporter's collector name).
    var name: String { get }
    func update(_ metrics: inout NodeMetrics) throws(HostMetricsError)
}
