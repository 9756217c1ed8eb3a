import Foundation

/// ICMP echo needs a raw socket or an unprivileged ping socket (`net.ipv4.ping_group_range`).
struct ICMPProber: Prober {
    func probe(target: String, module: ProbeModule, context: ProbeContext) async -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), Int32(IPPROTO_ICMP))
        if fd < 0 {
            let raw = socket(AF_INET, Int32(SOCK_RAW.rawValue), Int32(IPPROTO_ICMP))
            if raw < 0 {
                context.log.error("Error listening to socket", ["err": "socket: operation not permitted: the icmp prober needs CAP_NET_RAW or a ping_group_range that includes this process' group"])
                return false
            }
            close(raw)
        } else {
            close(fd)
        }
        context.log.error("The icmp prober is not implemented in Pharos yet")
        return false
    }
}

/// The gRPC health-checking prober is not implemented yet.
struct GRPCProber: Prober {
    func probe(target: String, module: ProbeModule, context: ProbeContext) async -> Bool {
        context.log.error("The grpc prober is not implemented in Pharos yet")
        return false
    }
}
