import PharosCore

/// node_exporter's `filefd` collector: `node_filefd_allocated` and `node_filefd_maximum` from
/// /proc/sys/fs/file-nr (three tab-separated numbers).
struct FilefdCollector: NodeCollector {
    let name = "filefd"
    let paths: HostPaths

    func update(_ metrics: inout NodeMetrics) throws(HostMetricsError) {
        let path = paths.proc("sys/fs/file-nr")
        let (allocated, maximum) = try Self.parse(try SystemFile.read(path, sizeHint: 128), path: path)
        metrics.add("node_filefd_allocated", "File descriptor statistics: allocated.", .gauge, allocated)
        metrics.add("node_filefd_maximum", "File descriptor statistics: maximum.", .gauge, maximum)
    }

    /// Split on tabs after trimming, as node_exporter does; the first and third parts.
    static func parse(_ bytes: [UInt8], path: String) throws(HostMetricsError) -> (allocated: Double, maximum: Double) {
        let text = Bytes.trimmed(bytes, 0..<bytes.count)
        var parts: [Range<Int>] = []
        var start = text.lowerBound
        for index in text where bytes[index] == 0x09 {
            parts.append(start..<index)
            start = index + 1
        }
        parts.append(start..<text.upperBound)
        guard parts.count >= 3 else { throw .parse(path, "unexpected number of file stats in \"\(path)\"") }
        guard let allocated = Bytes.double(bytes, parts[0]) else {
            throw .parse(path, "invalid value \(Bytes.string(bytes, parts[0])) in file-nr")
        }
        guard let maximum = Bytes.double(bytes, parts[2]) else {
            throw .parse(path, "invalid value \(Bytes.string(bytes, parts[2])) in file-nr")
        }
        return (allocated, maximum)
    }
}
