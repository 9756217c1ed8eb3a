import PharosCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// node_exporter's `time` collector: `node_time_seconds`, `node_time_zone_offset_seconds`
/// with the zone's abbreviation, and the clocksources of /sys/devices/system/clocksource
/// (`device` is the index among `clocksource[0-9]*` folders in name order, as in node_exporter).
struct TimeCollector: NodeCollector {
    let name = "time"
    let paths: HostPaths

    func update(_ metrics: inout NodeMetrics) throws(HostMetricsError) {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        let nanoseconds = Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec)
        metrics.add("node_time_seconds", "System time in seconds since epoch (1970).", .gauge, Double(nanoseconds) / 1e9)
        var seconds = now.tv_sec
        var local = tm()
        tzset()
        localtime_r(&seconds, &local)
        let zone = local.tm_zone.map { String(cString: $0) } ?? "UTC"
        metrics.add("node_time_zone_offset_seconds", "System time zone offset in seconds.", .gauge,
                    Double(local.tm_gmtoff), [.of("time_zone", zone)])
        let folder = paths.sys("devices/system/clocksource")
        let names = (try? SystemFile.entries(folder)) ?? []
        let sources = names.filter(Self.isClocksourceFolder).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        for (index, source) in sources.enumerated() {
            let base = folder + "/" + source + "/"
            let available = try SystemFile.read(base + "available_clocksource", sizeHint: 256)
            let current = try SystemFile.readTrimmed(base + "current_clocksource")
            let device = String(index)
            var fields = Fields(available, 0..<available.count)
            while let field = fields.next() {
                metrics.add("node_time_clocksource_available_info", "Available clocksources read from '/sys/devices/system/clocksource'.",
                            .gauge, 1, [.of("clocksource", Bytes.string(available, field)), .of("device", device)])
            }
            metrics.add("node_time_clocksource_current_info", "Current clocksource read from '/sys/devices/system/clocksource'.",
                        .gauge, 1, [.of("clocksource", current), .of("device", device)])
        }
    }

    /// `clocksource[0-9]*` as a glob.
    static func isClocksourceFolder(_ name: String) -> Bool {
        guard name.hasPrefix("clocksource") else { return false }
        let rest = name.utf8.dropFirst(11)
        guard let first = rest.first else { return false }
        return first >= UInt8(ascii: "0") && first <= UInt8(ascii: "9")
    }
}
