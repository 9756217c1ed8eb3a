import PharosCore
import Synchronization

/// node_exporter's `cpu` collector (defaults: guest on, info off): `node_cpu_seconds_total`
/// and `node_cpu_guest_seconds_total` per CPU and mode from /proc/stat, each kept from going
/// backwards between scrapes (an idle jump back of 3 s or more resets a CPU, as after hotplug);
/// `node_cpu_isolated` from /sys/devices/system/cpu/isolated.
final class CPUCollector: NodeCollector {
    let name = "cpu"
    private let paths: HostPaths
    /// The last values reported, per CPU.
    private let last = Mutex<[ProcStat.CPU]>([])
    private let isolated: [Int]

    private static let modes = ["user", "nice", "system", "idle", "iowait", "irq", "softirq", "steal"]
    private static let jumpBackSeconds = 3.0

    init(paths: HostPaths) {
        self.paths = paths
        // Read once, as node_exporter does at start-up; a missing or unparsable file means none.
        isolated = (try? SystemFile.read(paths.sys("devices/system/cpu/isolated"), sizeHint: 256))
            .flatMap { Self.parseCPUList($0) } ?? []
    }

    func update(_ metrics: inout NodeMetrics) throws(HostMetricsError) {
        let stat = try ProcStat.read(paths)
        let cpus = last.withLock { last in
            Self.clamp(&last, stat.cpus)
            return last
        }
        for (id, cpu) in cpus.enumerated() {
            let number = String(id)
            for (column, mode) in Self.modes.enumerated() {
                metrics.add("node_cpu_seconds_total", "Seconds the CPUs spent in each mode.", .counter, cpu[column],
                            [.of("cpu", number), .of("mode", mode)])
            }
            metrics.add("node_cpu_guest_seconds_total", "Seconds the CPUs spent in guests (VMs) for each mode.",
                        .counter, cpu.guest, [.of("cpu", number), .of("mode", "user")])
            metrics.add("node_cpu_guest_seconds_total", "Seconds the CPUs spent in guests (VMs) for each mode.",
                        .counter, cpu.guestNice, [.of("cpu", number), .of("mode", "nice")])
        }
        for id in isolated {
            metrics.add("node_cpu_isolated", "Whether each core is isolated, information from /sys/devices/system/cpu/isolated.",
                        .gauge, 1, [.of("cpu", String(id))])
        }
    }

    /// node_exporter's `updateCPUStats`: each column keeps its maximum; a CPU whose idle time
    /// went back by `jumpBackSeconds` or more starts again from zero.
    static func clamp(_ last: inout [ProcStat.CPU], _ new: [ProcStat.CPU]) {
        if last.count != new.count { last = Array(repeating: ProcStat.CPU(), count: new.count) }
        for (index, cpu) in new.enumerated() {
            if last[index].idle - cpu.idle >= jumpBackSeconds { last[index] = ProcStat.CPU() }
            for column in 0..<10 where cpu[column] >= last[index][column] {
                last[index][column] = cpu[column]
            }
        }
    }

    /// A kernel CPU list (`0-3,8,10-11`); nil when any part is not one.
    static func parseCPUList(_ bytes: [UInt8]) -> [Int]? {
        let text = Bytes.trimmed(bytes, 0..<bytes.count)
        guard !text.isEmpty else { return [] }
        var result: [Int] = []
        var start = text.lowerBound
        while start < text.upperBound {
            var stop = start
            while stop < text.upperBound && bytes[stop] != UInt8(ascii: ",") { stop += 1 }
            var dash = start
            while dash < stop && bytes[dash] != UInt8(ascii: "-") { dash += 1 }
            if dash == stop {
                guard let value = Bytes.uint64(bytes, start..<stop), value <= UInt64(ProcStat.maxCPU) else { return nil }
                result.append(Int(value))
            } else {
                guard let low = Bytes.uint64(bytes, start..<dash), let high = Bytes.uint64(bytes, (dash + 1)..<stop),
                      low <= high, high <= UInt64(ProcStat.maxCPU) else { return nil }
                result.append(contentsOf: Int(low)...Int(high))
            }
            start = stop + 1
        }
        return result
    }
}
