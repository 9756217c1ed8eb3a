import PharosCore

/// node_exporter's `loadavg` collector: `node_load1`, `node_load5`, `node_load15` from
/// /proc/loadavg.
struct LoadavgCollector: NodeCollector {
    let name = "loadavg"
    let paths: HostPaths

    func update(_ metrics: inout NodeMetrics) throws(HostMetricsError) {
        let path = paths.proc("loadavg")
        let loads = try Self.parse(try SystemFile.read(path, sizeHint: 256), path: path)
        metrics.add("node_load1", "1m load average.", .gauge, loads[0])
        metrics.add("node_load5", "5m load average.", .gauge, loads[1])
        metrics.add("node_load15", "15m load average.", .gauge, loads[2])
    }

    /// The first three fields as numbers.
    static func parse(_ bytes: [UInt8], path: String) throws(HostMetricsError) -> [Double] {
        let fields = Bytes.fields(bytes, 0..<bytes.count, limit: 3)
        guard fields.count == 3 else { throw .parse(path, "unexpected content in \(path)") }
        var loads: [Double] = []
        for field in fields {
            guard let value = Bytes.double(bytes, field) else {
                throw .parse(path, "could not parse load '\(Bytes.string(bytes, field))'")
            }
            loads.append(value)
        }
        return loads
    }
}
