import PharosCore

/// node_exporter's `diskstats` collector: /proc/diskstats counters per device (the default
/// exclude `^(ram|loop|fd|(h|s|v|xv)d[a-z]|nvme\d+n\d+p)\d+$` drops partitions and pseudo
/// devices), `node_disk_info` with udev's properties, and the udev-derived
/// `node_disk_filesystem_info`, `node_disk_device_mapper_info` and `node_disk_ata_*` gauges.
struct DiskstatsCollector: NodeCollector {
    let name = "diskstats"
    let paths: HostPaths

    struct Device: Equatable {
        var major: UInt64
        var minor: UInt64
        var name: String
        /// The statistics columns present (at most 17).
        var stats: [UInt64]
    }

    /// Name, help, type and the factor of each statistics column, in /proc/diskstats order.
    private static let columns: [(name: String, help: String, type: NodeMetricType, factor: Double)] = [
        ("node_disk_reads_completed_total", "The total number of reads completed successfully.", .counter, 1),
        ("node_disk_reads_merged_total", "The total number of reads merged.", .counter, 1),
        ("node_disk_read_bytes_total", "The total number of bytes read successfully.", .counter, 512),
        ("node_disk_read_time_seconds_total", "The total number of seconds spent by all reads.", .counter, 0.001),
        ("node_disk_writes_completed_total", "The total number of writes completed successfully.", .counter, 1),
        ("node_disk_writes_merged_total", "The number of writes merged.", .counter, 1),
        ("node_disk_written_bytes_total", "The total number of bytes written successfully.", .counter, 512),
        ("node_disk_write_time_seconds_total", "This is the total number of seconds spent by all writes.", .counter, 0.001),
        ("node_disk_io_now", "The number of I/Os currently in progress.", .gauge, 1),
        ("node_disk_io_time_seconds_total", "Total seconds spent doing I/Os.", .counter, 0.001),
        ("node_disk_io_time_weighted_seconds_total", "The weighted # of seconds spent doing I/Os.", .counter, 0.001),
        ("node_disk_discards_completed_total", "The total number of discards completed successfully.", .counter, 1),
        ("node_disk_discards_merged_total", "The total number of discards merged.", .counter, 1),
        ("node_disk_discarded_sectors_total", "The total number of sectors discarded successfully.", .counter, 1),
        ("node_disk_discard_time_seconds_total", "This is the total number of seconds spent by all discards.", .counter, 0.001),
        ("node_disk_flush_requests_total", "The total number of flush requests completed successfully", .counter, 1),
        ("node_disk_flush_requests_time_seconds_total", "This is the total number of seconds spent by all flush requests.", .counter, 0.001),
    ]

    func update(_ metrics: inout NodeMetrics) throws(HostMetricsError) {
        let path = paths.proc("diskstats")
        for device in try Self.parse(try SystemFile.read(path, sizeHint: 8192), path: path) where !Self.excluded(device.name) {
            let udev = Self.udevProperties(paths.udevData + "/b\(device.major):\(device.minor)")
            let dev = Label.of("device", device.name)
            metrics.add("node_disk_info", "Info of /sys/block/<block_device>.", .gauge, 1, [
                dev, .of("major", String(device.major)), .of("minor", String(device.minor)), .of("model", udev["ID_MODEL"] ?? ""),
                .of("path", udev["ID_PATH"] ?? ""), .of("revision", udev["ID_REVISION"] ?? ""),
                .of("serial", udev["ID_SERIAL_SHORT"] ?? ""), .of("wwn", udev["ID_WWN"] ?? ""),
            ])
            for (index, value) in device.stats.enumerated() {
                let column = Self.columns[index]
                // Go's `float64(x) * factor` (a multiplication: 113121 × 0.001 = 113.12100000000001).
                let scaled = column.factor == 1 ? Double(value) : Double(value) * column.factor
                metrics.add(column.name, column.help, column.type, scaled, [dev])
            }
            if let type = udev["ID_FS_TYPE"], !type.isEmpty {
                metrics.add("node_disk_filesystem_info", "Info about disk filesystem.", .gauge, 1, [
                    dev, .of("type", type), .of("usage", udev["ID_FS_USAGE"] ?? ""), .of("uuid", udev["ID_FS_UUID"] ?? ""),
                    .of("version", udev["ID_FS_VERSION"] ?? ""),
                ])
            }
            if let mapper = udev["DM_NAME"], !mapper.isEmpty {
                metrics.add("node_disk_device_mapper_info", "Info about disk device mapper.", .gauge, 1, [
                    dev, .of("lv_layer", udev["DM_LV_LAYER"] ?? ""), .of("lv_name", udev["DM_LV_NAME"] ?? ""),
                    .of("name", mapper), .of("uuid", udev["DM_UUID"] ?? ""), .of("vg_name", udev["DM_VG_NAME"] ?? ""),
                ])
            }
            if let ata = udev["ID_ATA"], !ata.isEmpty {
                for (key, name, help) in [
                    ("ID_ATA_WRITE_CACHE", "node_disk_ata_write_cache", "ATA disk has a write cache."),
                    ("ID_ATA_WRITE_CACHE_ENABLED", "node_disk_ata_write_cache_enabled", "ATA disk has its write cache enabled."),
                    ("ID_ATA_ROTATION_RATE_RPM", "node_disk_ata_rotation_rate_rpm", "ATA disk rotation rate in RPMs (0 for SSDs)."),
                ] {
                    guard let text = udev[key] else { continue }
                    let bytes = Array(text.utf8)
                    if let value = Bytes.double(bytes, 0..<bytes.count) { metrics.add(name, help, .gauge, value, [dev]) }
                }
            }
        }
    }

    /// procfs' `ProcDiskstats`: `major minor name` then up to 17 numbers; a line with fewer
    /// than 11 numbers is skipped, a non-numeric field fails the file.
    static func parse(_ bytes: [UInt8], path: String) throws(HostMetricsError) -> [Device] {
        var devices: [Device] = []
        try Bytes.forEachLine(bytes) { line throws(HostMetricsError) in
            var fields = Fields(bytes, line)
            guard let majorField = fields.next() else { return }
            func fail(_ field: Range<Int>) -> HostMetricsError {
                .parse(path, "expected integer, got \(goQuote(Bytes.string(bytes, field))) in line \(goQuote(Bytes.string(bytes, line)))")
            }
            guard let major = Bytes.uint64(bytes, majorField), major <= UInt64(UInt32.max) else { throw fail(majorField) }
            guard let minorField = fields.next() else { return }
            guard let minor = Bytes.uint64(bytes, minorField), minor <= UInt64(UInt32.max) else { throw fail(minorField) }
            guard let nameField = fields.next() else { return }
            var stats: [UInt64] = []
            stats.reserveCapacity(17)
            while stats.count < 17, let field = fields.next() {
                guard let value = Bytes.uint64(bytes, field) else { throw fail(field) }
                stats.append(value)
            }
            guard stats.count >= 11 else { return }
            devices.append(Device(major: major, minor: minor, name: Bytes.string(bytes, nameField), stats: stats))
        }
        return devices
    }

    /// `^(ram|loop|fd|(h|s|v|xv)d[a-z]|nvme\d+n\d+p)\d+$`.
    static func excluded(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        func digits(from start: Int) -> Int {  // index after a run of digits
            var index = start
            while index < bytes.count && bytes[index] >= 0x30 && bytes[index] <= 0x39 { index += 1 }
            return index
        }
        func digitsToEnd(from start: Int) -> Bool { start < bytes.count && digits(from: start) == bytes.count }
        func prefix(_ word: String) -> Int? { name.utf8.starts(with: word.utf8) ? word.utf8.count : nil }
        for word in ["ram", "loop", "fd"] {
            if let end = prefix(word), digitsToEnd(from: end) { return true }
        }
        for word in ["hd", "sd", "vd", "xvd"] {
            if let end = prefix(word), end < bytes.count, bytes[end] >= UInt8(ascii: "a"), bytes[end] <= UInt8(ascii: "z"),
               digitsToEnd(from: end + 1) {
                return true
            }
        }
        if let end = prefix("nvme") {
            let afterController = digits(from: end)
            guard afterController > end, afterController < bytes.count, bytes[afterController] == UInt8(ascii: "n") else { return false }
            let afterNamespace = digits(from: afterController + 1)
            guard afterNamespace > afterController + 1, afterNamespace < bytes.count,
                  bytes[afterNamespace] == UInt8(ascii: "p") else { return false }
            return digitsToEnd(from: afterNamespace + 1)
        }
        return false
    }

    /// udev's `E:KEY=VALUE` lines of `path`; empty when the file cannot be read.
    static func udevProperties(_ path: String) -> [String: String] {
        guard let bytes = try? SystemFile.read(path, sizeHint: 4096) else { return [:] }
        var info: [String: String] = [:]
        try? Bytes.forEachLine(bytes) { line in
            guard Bytes.hasPrefix(bytes, line, "E:") else { return }
            let body = (line.lowerBound + 2)..<line.upperBound
            guard let equals = body.firstIndex(where: { bytes[$0] == UInt8(ascii: "=") }) else { return }
            info[Bytes.string(bytes, body.lowerBound..<equals)] = Bytes.string(bytes, (equals + 1)..<body.upperBound)
        }
        return info
    }
}
