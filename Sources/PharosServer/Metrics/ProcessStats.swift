import Foundation

/// A snapshot of this process' resource use, read from Linux `/proc/self`.
package struct ProcessStats: Sendable, Equatable {
    package var cpuSeconds: Double
    package var residentMemoryBytes: Double
    package var virtualMemoryBytes: Double
    package var startTimeSeconds: Double
    package var openFDs: Double
    package var maxFDs: Double

    package init(cpuSeconds: Double = 0, residentMemoryBytes: Double = 0, virtualMemoryBytes: Double = 0,
                 startTimeSeconds: Double = 0, openFDs: Double = 0, maxFDs: Double = 0) {
        self.cpuSeconds = cpuSeconds
        self.residentMemoryBytes = residentMemoryBytes
        self.virtualMemoryBytes = virtualMemoryBytes
        self.startTimeSeconds = startTimeSeconds
        self.openFDs = openFDs
        self.maxFDs = maxFDs
    }

    /// Fills the `/proc/self/stat` fields: utime+stime (14, 15) in clock ticks, starttime (22)
    /// in ticks since boot, vsize (23) in bytes, rss (24) in pages. The command name (field 2)
    /// is in parentheses and may itself contain spaces or parentheses: fields are counted after
    /// the last `)`.
    package static func parseStat(_ text: String, ticksPerSecond: Double, pageSize: Double,
                                  bootTimeSeconds: Double) throws(ServerError) -> ProcessStats {
        guard let close = text.lastIndex(of: ")") else {
            throw ServerError(.processStats, "/proc/self/stat", "no \")\" after the command name")
        }
        // Fields 3… follow the command name.
        let rest = text[text.index(after: close)...].split(separator: " ", omittingEmptySubsequences: true)
        func field(_ number: Int) throws(ServerError) -> Double {
            let index = number - 3
            guard index < rest.count else {
                throw ServerError(.processStats, "/proc/self/stat", "want at least 24 fields; got \(rest.count + 2)")
            }
            guard let value = Double(rest[index].trimmingCharacters(in: .whitespacesAndNewlines)) else {
                throw ServerError(.processStats, "/proc/self/stat", "cannot parse field \(number) from \"\(rest[index])\"")
            }
            return value
        }
        var stats = ProcessStats()
        stats.cpuSeconds = (try field(14) + field(15)) / ticksPerSecond
        stats.startTimeSeconds = bootTimeSeconds + (try field(22)) / ticksPerSecond
        stats.virtualMemoryBytes = try field(23)
        stats.residentMemoryBytes = (try field(24)) * pageSize
        return stats
    }

    /// The `btime` line of `/proc/stat`: boot time in Unix seconds.
    package static func parseBootTime(_ text: String) throws(ServerError) -> Double {
        for line in text.split(separator: "\n") where line.hasPrefix("btime ") {
            if let value = Double(line.dropFirst(6).trimmingCharacters(in: .whitespaces)) { return value }
        }
        throw ServerError(.processStats, "/proc/stat", "no btime line")
    }

    /// The soft limit on the `Max open files` line of `/proc/self/limits`.
    package static func parseMaxFDs(_ text: String) throws(ServerError) -> Double {
        for line in text.split(separator: "\n") where line.hasPrefix("Max open files") {
            let columns = line.dropFirst("Max open files".count).split(separator: " ", omittingEmptySubsequences: true)
            if let first = columns.first {
                if first == "unlimited" { return Double(Int64.max) }
                if let value = Double(first) { return value }
            }
        }
        throw ServerError(.processStats, "/proc/self/limits", "no \"Max open files\" line")
    }

    /// Reads the live values; throws when `/proc` is missing or malformed.
    package static func current() throws(ServerError) -> ProcessStats {
        func read(_ path: String) throws(ServerError) -> String {
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw ServerError(.processStats, path, "cannot read")
            }
            return text
        }
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        let page = Double(sysconf(Int32(_SC_PAGESIZE)))
        var stats = try parseStat(read("/proc/self/stat"), ticksPerSecond: ticks > 0 ? ticks : 100,
                                  pageSize: page > 0 ? page : 4096, bootTimeSeconds: parseBootTime(read("/proc/stat")))
        stats.maxFDs = try parseMaxFDs(read("/proc/self/limits"))
        let fds = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count) ?? 0
        stats.openFDs = Double(max(fds - 1, 0))  // the directory listing holds one fd itself
        return stats
    }
}
