import PharosCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// node_exporter's `filesystem` collector: size, free, avail, files, files_free, readonly and
/// device_error per mount of /proc/1/mounts (else /proc/mounts), with node_exporter 1.5's
/// default excludes; statfs failures give `device_error 1` and no other series for the mount.
struct FilesystemCollector: NodeCollector {
    let name = "filesystem"
    let paths: HostPaths

    struct Mount: Equatable {
        var device: String
        var mountPoint: String
        var fsType: String
        var options: String
    }

    private static let excludedTypes: Set<String> = [
        "autofs", "binfmt_misc", "bpf", "cgroup", "cgroup2", "configfs", "debugfs", "devpts", "devtmpfs", "fusectl",
        "hugetlbfs", "iso9660", "mqueue", "nsfs", "overlay", "proc", "procfs", "pstore", "rpc_pipefs", "securityfs",
        "selinuxfs", "squashfs", "sysfs", "tracefs",
    ]

    func update(_ metrics: inout NodeMetrics) throws(HostMetricsError) {
        var path = paths.proc("1/mounts")
        let bytes: [UInt8]
        do {
            bytes = try SystemFile.read(path, sizeHint: 16384)
        } catch where error.kind == .notFound {
            path = paths.proc("mounts")
            bytes = try SystemFile.read(path, sizeHint: 16384)
        }
        var seen: Set<[String]> = []
        for mount in try Self.parse(bytes, path: path, paths: paths) {
            guard !Self.excludesMountPoint(mount.mountPoint), !Self.excludedTypes.contains(mount.fsType) else { continue }
            guard seen.insert([mount.device, mount.mountPoint, mount.fsType]).inserted else { continue }
            let labels: [Label] = [.of("device", mount.device), .of("fstype", mount.fsType), .of("mountpoint", mount.mountPoint)]
            var buffer = statvfs()  // glibc fills f_bsize, f_blocks… from statfs(2): Go's Bsize × Blocks
            guard statvfs(SystemFile.join(paths.rootfs, mount.mountPoint), &buffer) == 0 else {
                metrics.add("node_filesystem_device_error", "Whether an error occurred while getting statistics for the given device.",
                            .gauge, 1, labels)
                continue
            }
            let blockSize = Double(buffer.f_bsize)
            let readOnly = mount.options.split(separator: ",").contains("ro") ? 1.0 : 0.0
            metrics.add("node_filesystem_device_error", "Whether an error occurred while getting statistics for the given device.",
                        .gauge, 0, labels)
            metrics.add("node_filesystem_size_bytes", "Filesystem size in bytes.", .gauge, Double(buffer.f_blocks) * blockSize, labels)
            metrics.add("node_filesystem_free_bytes", "Filesystem free space in bytes.", .gauge, Double(buffer.f_bfree) * blockSize, labels)
            metrics.add("node_filesystem_avail_bytes", "Filesystem space available to non-root users in bytes.", .gauge,
                        Double(buffer.f_bavail) * blockSize, labels)
            metrics.add("node_filesystem_files", "Filesystem total file nodes.", .gauge, Double(buffer.f_files), labels)
            metrics.add("node_filesystem_files_free", "Filesystem total free file nodes.", .gauge, Double(buffer.f_ffree), labels)
            metrics.add("node_filesystem_readonly", "Filesystem read-only status.", .gauge, readOnly, labels)
        }
    }

    /// `device mountpoint fstype options …` per line; fewer than four fields fail the whole
    /// file, as in node_exporter. `\040` and `\011` in the mount point become space and tab.
    static func parse(_ bytes: [UInt8], path: String, paths: HostPaths) throws(HostMetricsError) -> [Mount] {
        var mounts: [Mount] = []
        try Bytes.forEachLine(bytes) { line throws(HostMetricsError) in
            let fields = Bytes.fields(bytes, line, limit: 4)
            guard fields.count == 4 else {
                throw .parse(path, "malformed mount point information: \(goQuote(Bytes.string(bytes, line)))")
            }
            let mountPoint = unescape(bytes, fields[1])
            mounts.append(Mount(device: Bytes.string(bytes, fields[0]), mountPoint: paths.stripRootfs(mountPoint),
                                fsType: Bytes.string(bytes, fields[2]), options: Bytes.string(bytes, fields[3])))
        }
        return mounts
    }

    /// The field with `\040` as space and `\011` as tab (the only escapes node_exporter undoes).
    static func unescape(_ bytes: [UInt8], _ range: Range<Int>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(range.count)
        var index = range.lowerBound
        while index < range.upperBound {
            if bytes[index] == UInt8(ascii: "\\"), index + 4 <= range.upperBound {
                if Bytes.equals(bytes, (index + 1)..<(index + 4), "040") {
                    out.append(0x20)
                    index += 4
                    continue
                }
                if Bytes.equals(bytes, (index + 1)..<(index + 4), "011") {
                    out.append(0x09)
                    index += 4
                    continue
                }
            }
            out.append(bytes[index])
            index += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// `^/(dev|proc|run/credentials/.+|sys|var/lib/docker/.+|var/lib/containers/storage/.+)($|/)`.
    static func excludesMountPoint(_ mountPoint: String) -> Bool {
        for prefix in ["/dev", "/proc", "/sys"] where mountPoint.hasPrefix(prefix) {
            let rest = mountPoint.utf8.dropFirst(prefix.utf8.count)
            if rest.isEmpty || rest.first == UInt8(ascii: "/") { return true }
        }
        // `.+` then `($|/)`: any non-empty rest matches (`.+` can take it all).
        for prefix in ["/run/credentials/", "/var/lib/docker/", "/var/lib/containers/storage/"]
        where mountPoint.utf8.count > prefix.utf8.count && mountPoint.hasPrefix(prefix) {
            return true
        }
        return false
    }
}
