import PharosCore

/// node_exporter's `netdev` collector (no device filter, legacy names): per device,
/// `node_network_{receive,transmit}_<stat>_total` from rtnetlink's 64-bit link statistics, with
/// node_exporter's legacy sums (`receive_drop` = dropped + missed, `receive_frame` = frame +
/// length + over + crc, `transmit_carrier` = carrier + aborted + heartbeat + window). With
/// `netlink` false, the same families from /proc/net/dev (no `receive_nohandler`).
struct NetdevCollector: NodeCollector {
    let name = "netdev"
    let paths: HostPaths
    let netlink: Bool

    /// One device's statistics under node_exporter's legacy keys, in name order.
    typealias Stats = [(key: String, value: UInt64)]

    func update(_ metrics: inout NodeMetrics) throws(HostMetricsError) {
        let devices: [(name: String, stats: Stats)]
        if netlink {
            devices = try Netlink.links().map { ($0.name, Self.legacy($0.stats)) }
        } else {
            let path = paths.proc("net/dev")
            devices = try Self.parseProcNetDev(try SystemFile.read(path, sizeHint: 4096), path: path)
        }
        for device in devices {
            let label = [Label.of("device", device.name)]
            for (key, value) in device.stats {
                metrics.add("node_network_" + key + "_total", "Network device statistic \(key).", .counter, Double(value), label)
            }
        }
    }

    /// node_exporter's `legacy()` over the `rtnl_link_stats64` fields.
    static func legacy(_ s: Netlink.LinkStats) -> Stats {
        [
            ("receive_bytes", s.rxBytes), ("receive_compressed", s.rxCompressed),
            ("receive_drop", s.rxDropped &+ s.rxMissedErrors), ("receive_errs", s.rxErrors),
            ("receive_fifo", s.rxFIFOErrors),
            ("receive_frame", s.rxFrameErrors &+ s.rxLengthErrors &+ s.rxOverErrors &+ s.rxCRCErrors),
            ("receive_multicast", s.multicast), ("receive_nohandler", s.rxNoHandler), ("receive_packets", s.rxPackets),
            ("transmit_bytes", s.txBytes),
            ("transmit_carrier", s.txCarrierErrors &+ s.txAbortedErrors &+ s.txHeartbeatErrors &+ s.txWindowErrors),
            ("transmit_colls", s.collisions), ("transmit_compressed", s.txCompressed), ("transmit_drop", s.txDropped),
            ("transmit_errs", s.txErrors), ("transmit_fifo", s.txFIFOErrors), ("transmit_packets", s.txPackets),
        ]
    }

    private static let procNetDevKeys = [
        "receive_bytes", "receive_packets", "receive_errs", "receive_drop", "receive_fifo", "receive_frame",
        "receive_compressed", "receive_multicast", "transmit_bytes", "transmit_packets", "transmit_errs", "transmit_drop",
        "transmit_fifo", "transmit_colls", "transmit_carrier", "transmit_compressed",
    ]

    /// procfs' `NetDev`: two header lines, then `name: 16 numbers` per device.
    static func parseProcNetDev(_ bytes: [UInt8], path: String) throws(HostMetricsError) -> [(name: String, stats: Stats)] {
        var devices: [(name: String, stats: Stats)] = []
        var lineNumber = 0
        try Bytes.forEachLine(bytes) { line throws(HostMetricsError) in
            lineNumber += 1
            guard lineNumber > 2 else { return }
            guard let colon = line.last(where: { bytes[$0] == UInt8(ascii: ":") }) else {
                throw .parse(path, "invalid net/dev line, missing colon: \(goQuote(Bytes.string(bytes, line)))")
            }
            let name = Bytes.string(bytes, Bytes.trimmed(bytes, line.lowerBound..<colon))
            guard !name.isEmpty else { throw .parse(path, "invalid net/dev line, empty interface name: \(goQuote(Bytes.string(bytes, line)))") }
            let fields = Bytes.fields(bytes, (colon + 1)..<line.upperBound)
            guard fields.count >= 16 else { throw .parse(path, "invalid net/dev line, too few fields: \(goQuote(Bytes.string(bytes, line)))") }
            var stats: Stats = []
            for (index, key) in procNetDevKeys.enumerated() {
                guard let value = Bytes.uint64(bytes, fields[index]) else {
                    throw .parse(path, "invalid net/dev value \(goQuote(Bytes.string(bytes, fields[index])))")
                }
                stats.append((key, value))
            }
            devices.append((name, stats))
        }
        return devices
    }
}
