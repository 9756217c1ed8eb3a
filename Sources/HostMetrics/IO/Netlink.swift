#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The links of the network namespace over rtnetlink (an `RTM_GETLINK` dump), as
/// jsimonetti/rtnetlink lists them for node_exporter: each link's name and `IFLA_STATS64`.
enum Netlink {
    /// `struct rtnl_link_stats64`, the columns node_exporter reads; absent ones are 0.
    struct LinkStats: Equatable {
        var rxPackets: UInt64 = 0, txPackets: UInt64 = 0, rxBytes: UInt64 = 0, txBytes: UInt64 = 0
        var rxErrors: UInt64 = 0, txErrors: UInt64 = 0, rxDropped: UInt64 = 0, txDropped: UInt64 = 0
        var multicast: UInt64 = 0, collisions: UInt64 = 0
        var rxLengthErrors: UInt64 = 0, rxOverErrors: UInt64 = 0, rxCRCErrors: UInt64 = 0, rxFrameErrors: UInt64 = 0
        var rxFIFOErrors: UInt64 = 0, rxMissedErrors: UInt64 = 0
        var txAbortedErrors: UInt64 = 0, txCarrierErrors: UInt64 = 0, txFIFOErrors: UInt64 = 0
        var txHeartbeatErrors: UInt64 = 0, txWindowErrors: UInt64 = 0
        var rxCompressed: UInt64 = 0, txCompressed: UInt64 = 0, rxNoHandler: UInt64 = 0

        init() {}

        /// From the attribute's payload: consecutive native-endian u64 columns.
        init(_ bytes: [UInt8], _ range: Range<Int>) {
            var columns: [UInt64] = []
            var offset = range.lowerBound
            while offset + 8 <= range.upperBound && columns.count < 24 {
                columns.append(Netlink.load(UInt64.self, bytes, offset))
                offset += 8
            }
            columns.append(contentsOf: repeatElement(0, count: max(0, 24 - columns.count)))
            rxPackets = columns[0]; txPackets = columns[1]; rxBytes = columns[2]; txBytes = columns[3]
            rxErrors = columns[4]; txErrors = columns[5]; rxDropped = columns[6]; txDropped = columns[7]
            multicast = columns[8]; collisions = columns[9]
            rxLengthErrors = columns[10]; rxOverErrors = columns[11]; rxCRCErrors = columns[12]; rxFrameErrors = columns[13]
            rxFIFOErrors = columns[14]; rxMissedErrors = columns[15]
            txAbortedErrors = columns[16]; txCarrierErrors = columns[17]; txFIFOErrors = columns[18]
            txHeartbeatErrors = columns[19]; txWindowErrors = columns[20]
            rxCompressed = columns[21]; txCompressed = columns[22]; rxNoHandler = columns[23]
        }
    }

    struct Link: Equatable {
        var name: String
        var stats: LinkStats
    }

    private static let rtmNewLink: UInt16 = 16
    private static let rtmGetLink: UInt16 = 18
    private static let nlmsgError: UInt16 = 2
    private static let nlmsgDone: UInt16 = 3
    private static let iflaIfname: UInt16 = 3
    private static let iflaStats64: UInt16 = 23

    /// Every link with a name and 64-bit statistics, in the kernel's (index) order.
    static func links() throws(HostMetricsError) -> [Link] {
        let fd = socket(AF_NETLINK, Int32(SOCK_RAW.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)  // NETLINK_ROUTE
        guard fd >= 0 else { throw HostMetricsError.errno(errno, path: "netlink", doing: "socket") }
        defer { close(fd) }
        // nlmsghdr (16) + ifinfomsg (16): RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP, AF_UNSPEC.
        var request = [UInt8](repeating: 0, count: 32)
        store(UInt32(32), &request, 0)
        store(rtmGetLink, &request, 4)
        store(UInt16(0x1 | 0x300), &request, 6)
        store(UInt32(1), &request, 8)
        let sent = request.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
        guard sent == 32 else { throw HostMetricsError.errno(errno, path: "netlink", doing: "send") }
        var links: [Link] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let got = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if got < 0 {
                if errno == EINTR { continue }
                throw HostMetricsError.errno(errno, path: "netlink", doing: "recv")
            }
            if got == 0 { throw HostMetricsError(.io, path: "netlink", "recv: connection closed before NLMSG_DONE") }
            if try parse(buffer, 0..<got, into: &links) { return links }
        }
    }

    /// Parses one datagram of messages; true once `NLMSG_DONE` is seen. Malformed lengths are
    /// an error, never a read past the buffer.
    static func parse(_ bytes: [UInt8], _ range: Range<Int>, into links: inout [Link]) throws(HostMetricsError) -> Bool {
        var offset = range.lowerBound
        while offset + 16 <= range.upperBound {
            let length = Int(load(UInt32.self, bytes, offset))
            let type = load(UInt16.self, bytes, offset + 4)
            guard length >= 16, offset + length <= range.upperBound else {
                throw HostMetricsError(.parse, path: "netlink", "message length \(length) at offset \(offset) outside the datagram")
            }
            switch type {
            case nlmsgDone: return true
            case nlmsgError:
                let code = length >= 20 ? Int32(bitPattern: load(UInt32.self, bytes, offset + 16)) : 0
                if code != 0 { throw HostMetricsError.errno(-code, path: "netlink", doing: "RTM_GETLINK") }
            case rtmNewLink:
                if let link = parseLink(bytes, (offset + 16)..<(offset + length)) { links.append(link) }
            default: break
            }
            offset += (length + 3) & ~3
        }
        return false
    }

    /// An ifinfomsg (16 bytes) then attributes; nil without a name or statistics.
    private static func parseLink(_ bytes: [UInt8], _ range: Range<Int>) -> Link? {
        var offset = range.lowerBound + 16
        var name: String?
        var stats: LinkStats?
        while offset + 4 <= range.upperBound {
            let length = Int(load(UInt16.self, bytes, offset))
            let type = load(UInt16.self, bytes, offset + 2) & 0x3FFF
            guard length >= 4, offset + length <= range.upperBound else { break }
            let payload = (offset + 4)..<(offset + length)
            if type == iflaIfname {
                name = String(decoding: bytes[payload].prefix { $0 != 0 }, as: UTF8.self)
            } else if type == iflaStats64 {
                stats = LinkStats(bytes, payload)
            }
            offset += (length + 3) & ~3
        }
        guard let name, let stats else { return nil }
        return Link(name: name, stats: stats)
    }

    static func load<T: FixedWidthInteger>(_: T.Type, _ bytes: [UInt8], _ offset: Int) -> T {
        var value: T = 0
        withUnsafeMutableBytes(of: &value) { raw in
            for index in 0..<MemoryLayout<T>.size { raw[index] = bytes[offset + index] }
        }
        return value
    }

    private static func store<T: FixedWidthInteger>(_ value: T, _ bytes: inout [UInt8], _ offset: Int) {
        withUnsafeBytes(of: value) { raw in
            for index in 0..<MemoryLayout<T>.size { bytes[offset + index] = raw[index] }
        }
    }
}
