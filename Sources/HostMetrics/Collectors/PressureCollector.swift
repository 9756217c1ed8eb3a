import PharosCore

/// node_exporter's `pressure` collector: the `total` (µs) of the `some` and `full` lines of
/// /proc/pressure/{cpu,io,memory} in seconds. Missing files (a kernel without PSI) report no
/// data, i.e. success 0, as node_exporter's `ErrNoData`.
struct PressureCollector: NodeCollector {
    let name = "pressure"
    let paths: HostPaths

    struct Totals: Equatable {
        var some: UInt64?
        var full: UInt64?
    }

    func update(_ metrics: inout NodeMetrics) throws(HostMetricsError) {
        for resource in ["cpu", "io", "memory"] {
            let path = paths.proc("pressure/" + resource)
            let bytes: [UInt8]
            do {
                bytes = try SystemFile.read(path, sizeHint: 512)
            } catch where error.kind == .notFound {
                throw HostMetricsError(.noData, path: path, "no pressure stall information")
            } catch let error where error.message.contains("Operation not supported") {
                throw HostMetricsError(.noData, path: path, error.message)
            }
            let totals = try Self.parse(bytes, path: path)
            guard let some = totals.some else { throw .parse(path, "no \"some\" line") }
            switch resource {
            case "cpu":
                metrics.add("node_pressure_cpu_waiting_seconds_total", "Total time in seconds that processes have waited for CPU time",
                            .counter, Self.seconds(some))
            case "io":
                guard let full = totals.full else { throw .parse(path, "no \"full\" line") }
                metrics.add("node_pressure_io_waiting_seconds_total", "Total time in seconds that processes have waited due to IO congestion",
                            .counter, Self.seconds(some))
                metrics.add("node_pressure_io_stalled_seconds_total", "Total time in seconds no process could make progress due to IO congestion",
                            .counter, Self.seconds(full))
            default:
                guard let full = totals.full else { throw .parse(path, "no \"full\" line") }
                metrics.add("node_pressure_memory_waiting_seconds_total", "Total time in seconds that processes have waited for memory",
                            .counter, Self.seconds(some))
                metrics.add("node_pressure_memory_stalled_seconds_total", "Total time in seconds no process could make progress due to memory congestion",
                            .counter, Self.seconds(full))
            }
        }
    }

    /// node_exporter's `float64(total)/1000.0/1000.0`.
    static func seconds(_ microseconds: UInt64) -> Double { Double(microseconds) / 1000.0 / 1000.0 }

    /// `some|full avg10=… avg60=… avg300=… total=…`; other prefixes are ignored, a malformed
    /// some/full line is an error.
    static func parse(_ bytes: [UInt8], path: String) throws(HostMetricsError) -> Totals {
        var totals = Totals()
        try Bytes.forEachLine(bytes) { line throws(HostMetricsError) in
            var fields = Fields(bytes, line)
            guard let prefix = fields.next() else { return }
            let isSome = Bytes.equals(bytes, prefix, "some")
            guard isSome || Bytes.equals(bytes, prefix, "full") else { return }
            var total: UInt64?
            let keys: [StaticString] = ["avg10=", "avg60=", "avg300=", "total="]
            for (position, key) in keys.enumerated() {
                guard let field = fields.next(), Bytes.hasPrefix(bytes, field, key) else {
                    throw .parse(path, "unexpected PSI line \(Bytes.string(bytes, line).debugDescription)")
                }
                let value = (field.lowerBound + key.utf8CodeUnitCount)..<field.upperBound
                if position == 3 {
                    total = Bytes.uint64(bytes, value)
                    if total == nil { throw .parse(path, "unexpected PSI total \(Bytes.string(bytes, field).debugDescription)") }
                } else if Bytes.double(bytes, value) == nil {
                    throw .parse(path, "unexpected PSI average \(Bytes.string(bytes, field).debugDescription)")
                }
            }
            if isSome { totals.some = total } else { totals.full = total }
        }
        return totals
    }
}
