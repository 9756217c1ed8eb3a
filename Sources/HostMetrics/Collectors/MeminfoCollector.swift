import PharosCore

/// node_exporter's `meminfo` collector: every /proc/meminfo field as `node_memory_<Field>`,
/// `(x)` in a name written `_x`, fields with a unit in bytes (`kB` × 1024) and named
/// `…_bytes`; a name ending in `_total` is a counter, every other a gauge.
struct MeminfoCollector: NodeCollector {
    let name = "meminfo"
    let paths: HostPaths

    func update(_ metrics: inout NodeMetrics) throws(HostMetricsError) {
        let path = paths.proc("meminfo")
        for (key, value) in try Self.parse(try SystemFile.read(path), path: path) {
            metrics.add("node_memory_" + key, "Memory information field \(key).",
                        key.hasSuffix("_total") ? .counter : .gauge, value)
        }
    }

    /// The fields in file order (a repeated name keeps its last value when written).
    static func parse(_ bytes: [UInt8], path: String) throws(HostMetricsError) -> [(key: String, value: Double)] {
        var result: [(key: String, value: Double)] = []
        result.reserveCapacity(64)
        try Bytes.forEachLine(bytes) { line throws(HostMetricsError) in
            let fields = Bytes.fields(bytes, line, limit: 4)
            guard let first = fields.first else { return }
            guard fields.count >= 2, fields.count <= 3 else {
                throw .parse(path, "invalid line in meminfo: \(Bytes.string(bytes, line))")
            }
            guard var value = Bytes.double(bytes, fields[1]) else {
                throw .parse(path, "invalid value in meminfo: strconv.ParseFloat: parsing \(goQuote(Bytes.string(bytes, fields[1]))): invalid syntax")
            }
            // node_exporter drops the last byte of the key (the colon) and rewrites `(x)` as `_x`.
            var key = Self.rewriteParentheses(Bytes.string(bytes, first.lowerBound..<(first.upperBound - 1)))
            if fields.count == 3 {
                value *= 1024
                key += "_bytes"
            }
            result.append((key, value))
        }
        var seen: Set<String> = []
        var unique: [(key: String, value: Double)] = []
        for entry in result.reversed() where seen.insert(entry.key).inserted { unique.append(entry) }
        return unique.reversed()
    }

    /// Go's `regexp.MustCompile(`\((.*)\)`).ReplaceAllString(key, "_${1}")`: from the first `(`
    /// to the last `)` after it.
    static func rewriteParentheses(_ key: String) -> String {
        let bytes = Array(key.utf8)
        guard let open = bytes.firstIndex(of: UInt8(ascii: "(")),
              let close = bytes.lastIndex(of: UInt8(ascii: ")")), close > open else { return key }
        var out = Array(bytes[..<open])
        out.append(UInt8(ascii: "_"))
        out.append(contentsOf: bytes[(open + 1)..<close])
        out.append(contentsOf: bytes[(close + 1)...])
        return String(decoding: out, as: UTF8.self)
    }
}
