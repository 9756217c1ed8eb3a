import PharosCore

/// node_exporter's `vmstat` collector with its default field regexp
/// `^(oom_kill|pgpg|pswp|pg.*fault).*`: each matching /proc/vmstat field as untyped
/// `node_vmstat_<field>`.
struct VmstatCollector: NodeCollector {
    let name = "vmstat"
    let paths: HostPaths

    func update(_ metrics: inout NodeMetrics) throws(HostMetricsError) {
        let path = paths.proc("vmstat")
        let bytes = try SystemFile.read(path, sizeHint: 16384)
        try Bytes.forEachLine(bytes) { line throws(HostMetricsError) in
            var fields = Fields(bytes, line)
            // node_exporter parses every line's value before matching the name.
            guard let key = fields.next() else { return }
            guard let field = fields.next() else {
                throw .parse(path, "line \(Bytes.string(bytes, line).debugDescription) has no value")
            }
            guard let value = Bytes.double(bytes, field) else {
                throw .parse(path, "strconv.ParseFloat: parsing \"\(Bytes.string(bytes, field))\": invalid syntax")
            }
            guard Self.selected(bytes, key) else { return }
            let name = Bytes.string(bytes, key)
            metrics.add("node_vmstat_" + name, "/proc/vmstat information field \(name).", .untyped, value)
        }
    }

    /// `^(oom_kill|pgpg|pswp|pg.*fault).*` on the field name.
    static func selected(_ bytes: [UInt8], _ key: Range<Int>) -> Bool {
        if Bytes.hasPrefix(bytes, key, "oom_kill") || Bytes.hasPrefix(bytes, key, "pgpg") || Bytes.hasPrefix(bytes, key, "pswp") {
            return true
        }
        guard Bytes.hasPrefix(bytes, key, "pg"), key.count >= 7 else { return false }
        // `pg.*fault`: "fault" anywhere after the "pg".
        var index = key.lowerBound + 2
        while index + 5 <= key.upperBound {
            if Bytes.equals(bytes, index..<(index + 5), "fault") { return true }
            index += 1
        }
        return false
    }
}
