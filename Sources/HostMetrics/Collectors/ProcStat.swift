import PharosCore

/// /proc/stat as procfs 0.8's `FS.Stat()` reads it: per-CPU times in seconds (USER_HZ 100),
/// boot time, interrupts, context switches, forks and process counts.
struct ProcStat: Equatable {
    /// One `cpuN` line's ten columns in seconds; absent trailing columns are 0.
    struct CPU: Equatable {
        var user = 0.0, nice = 0.0, system = 0.0, idle = 0.0, iowait = 0.0
        var irq = 0.0, softirq = 0.0, steal = 0.0, guest = 0.0, guestNice = 0.0

        subscript(column: Int) -> Double {
            get {
                switch column {
                case 0: user
                case 1: nice
                case 2: system
                case 3: idle
                case 4: iowait
                case 5: irq
                case 6: softirq
                case 7: steal
                case 8: guest
                default: guestNice
                }
            }
            set {
                switch column {
                case 0: user = newValue
                case 1: nice = newValue
                case 2: system = newValue
                case 3: idle = newValue
                case 4: iowait = newValue
                case 5: irq = newValue
                case 6: softirq = newValue
                case 7: steal = newValue
                case 8: guest = newValue
                default: guestNice = newValue
                }
            }
        }
    }

    static let userHZ = 100.0
    /// Highest CPU number accepted (a larger one is refused instead of growing the list).
    static let maxCPU = 1 << 16

    /// Indexed by CPU number; CPUs missing from the file (offline) are all zero, as in procfs.
    var cpus: [CPU] = []
    var bootTime: UInt64 = 0
    var interrupts: UInt64 = 0
    var contextSwitches: UInt64 = 0
    var processesCreated: UInt64 = 0
    var processesRunning: UInt64 = 0
    var processesBlocked: UInt64 = 0

    static func read(_ paths: HostPaths) throws(HostMetricsError) -> ProcStat {
        let path = paths.proc("stat")
        return try parse(try SystemFile.read(path, sizeHint: 16384), path: path)
    }

    /// Lines with fewer than two fields are skipped; a non-numeric value of a known key is an
    /// error naming the line, as in procfs.
    static func parse(_ bytes: [UInt8], path: String) throws(HostMetricsError) -> ProcStat {
        var stat = ProcStat()
        try Bytes.forEachLine(bytes) { line throws(HostMetricsError) in
            var fields = Fields(bytes, line)
            guard let key = fields.next(), let first = fields.next() else { return }
            func number(_ name: String) throws(HostMetricsError) -> UInt64 {
                guard let value = Bytes.uint64(bytes, first) else {
                    throw .parse(path, "couldn't parse \(goQuote(Bytes.string(bytes, first))) (\(name))")
                }
                return value
            }
            if Bytes.equals(bytes, key, "btime") {
                stat.bootTime = try number("btime")
            } else if Bytes.equals(bytes, key, "intr") {
                stat.interrupts = try number("intr")
            } else if Bytes.equals(bytes, key, "ctxt") {
                stat.contextSwitches = try number("ctxt")
            } else if Bytes.equals(bytes, key, "processes") {
                stat.processesCreated = try number("processes")
            } else if Bytes.equals(bytes, key, "procs_running") {
                stat.processesRunning = try number("procs_running")
            } else if Bytes.equals(bytes, key, "procs_blocked") {
                stat.processesBlocked = try number("procs_blocked")
            } else if Bytes.hasPrefix(bytes, key, "cpu") {
                try stat.parseCPU(bytes, line: line, key: key, path: path)
            }
        }
        return stat
    }

    private mutating func parseCPU(_ bytes: [UInt8], line: Range<Int>, key: Range<Int>, path: String) throws(HostMetricsError) {
        var cpu = CPU()
        var fields = Fields(bytes, line)
        _ = fields.next()
        var column = 0
        while column < 10, let field = fields.next() {
            guard let ticks = Bytes.double(bytes, field) else {
                throw .parse(path, "couldn't parse \(goQuote(Bytes.string(bytes, line))) (cpu): \(goQuote(Bytes.string(bytes, field))) is not a number")
            }
            cpu[column] = ticks / Self.userHZ
            column += 1
        }
        let number = (key.lowerBound + 3)..<key.upperBound
        if number.isEmpty { return }  // the `cpu` total line
        guard let id = Bytes.uint64(bytes, number), id <= UInt64(Self.maxCPU) else {
            throw .parse(path, "couldn't parse \(goQuote(Bytes.string(bytes, line))) (cpu/cpuid)")
        }
        let index = Int(id)
        if cpus.count <= index { cpus.append(contentsOf: repeatElement(CPU(), count: index + 1 - cpus.count)) }
        cpus[index] = cpu
    }
}
