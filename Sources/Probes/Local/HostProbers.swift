import NIOCore
import Foundation
import PharosCore

/// Pharos' tls prober: a handshake with `host:port`; fails when the leaf certificate expires
/// within `min_days_left` days.
struct TLSProber: Prober {
    func probe(target: String, module: ProbeModule, context: ProbeContext) async -> Bool {
        let config = module.tls, log = context.log
        guard let (host, port) = splitHostPort(target), let portNumber = Int(port) else {
            log.error("Error splitting target address and port", ["err": "address \(target): missing port in address"])
            return false
        }
        do {
            let (ip, _) = try await Resolver.choose(host, ipProtocol: config.ipProtocol, fallback: config.ipProtocolFallback, context: context)
            let tls = try ClientTLS(config.tlsConfig, defaultServerName: host)
            let handshake = context.eventLoopGroup.any().makePromise(of: Void.self)
            let channel = try await context.connect(to: try ip.socketAddress(port: portNumber)) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(try tls.makeHandler())
                    try channel.pipeline.syncOperations.addHandler(HandshakeWatcher(promise: handshake))
                }
            }
            defer { channel.close(promise: nil) }
            try await handshake.futureResult.get(onCancel: { channel.close(promise: nil) })
            let info = try await TLSInfo.read(from: channel, verified: tls.verified, trustRoots: tls.trustRoots)
            info.record(in: context.registry)
            let daysLeft = (Double(info.earliestExpiry) - Date().timeIntervalSince1970) / 86_400
            context.registry.gauge("probe_ssl_days_left", "Days until the earliest certificate of the chain expires")
            context.registry.set("probe_ssl_days_left", daysLeft)
            if daysLeft < config.minDaysLeft {
                log.error("Certificate expires too soon", ["days_left": GoFloat.format(daysLeft), "min_days_left": GoFloat.format(config.minDaysLeft)])
                return false
            }
            return true
        } catch {
            log.error("TLS handshake failed", ["err": "\(error)"])
            return false
        }
    }
}

/// Pharos' disk prober: free space of the file system holding the target path.
struct DiskProber: Prober {
    func probe(target: String, module: ProbeModule, context: ProbeContext) async -> Bool {
        let registry = context.registry, config = module.disk
        registry.gauge("probe_disk_free_bytes", "Bytes available to unprivileged users on the file system of the target path")
        registry.gauge("probe_disk_size_bytes", "Size of the file system of the target path in bytes")
        registry.gauge("probe_disk_free_percent", "Available space of the file system of the target path in percent")
        var stats = statvfs()
        guard statvfs(target, &stats) == 0 else {
            context.log.error("Cannot read file system statistics", ["path": target, "err": String(cString: strerror(errno))])
            return false
        }
        let free = Double(stats.f_bavail) * Double(stats.f_frsize), size = Double(stats.f_blocks) * Double(stats.f_frsize)
        let percent = size > 0 ? free / size * 100 : 0
        registry.set("probe_disk_free_bytes", free)
        registry.set("probe_disk_size_bytes", size)
        registry.set("probe_disk_free_percent", percent)
        if percent < config.minFreePercent || free < Double(config.minFreeBytes) {
            context.log.error("Not enough free space", ["path": target, "free_percent": GoFloat.format(percent)])
            return false
        }
        return true
    }
}

/// Pharos' memory prober: `MemAvailable` of `/proc/meminfo` against the module's floor.
struct MemoryProber: Prober {
    func probe(target: String, module: ProbeModule, context: ProbeContext) async -> Bool {
        let registry = context.registry, config = module.memory
        registry.gauge("probe_memory_available_bytes", "Memory available for new work (MemAvailable) in bytes")
        registry.gauge("probe_memory_total_bytes", "Total usable memory (MemTotal) in bytes")
        registry.gauge("probe_memory_available_percent", "Available memory in percent of the total")
        guard let text = try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8),
              let total = Self.field("MemTotal", text), let available = Self.field("MemAvailable", text) else {
            context.log.error("Cannot read /proc/meminfo")
            return false
        }
        let percent = total > 0 ? available / total * 100 : 0
        registry.set("probe_memory_available_bytes", available)
        registry.set("probe_memory_total_bytes", total)
        registry.set("probe_memory_available_percent", percent)
        if percent < config.minAvailablePercent || available < Double(config.minAvailableBytes) {
            context.log.error("Not enough available memory", ["available_percent": GoFloat.format(percent)])
            return false
        }
        return true
    }

    /// A `Name:  123 kB` line's value in bytes.
    static func field(_ name: String, _ text: String) -> Double? {
        for line in text.split(separator: "\n") where line.hasPrefix(name + ":") {
            let parts = line.split(separator: " ")
            guard parts.count >= 2, let value = Double(parts[1]) else { return nil }
            return parts.count >= 3 && parts[2] == "kB" ? value * 1024 : value
        }
        return nil
    }
}
