import Foundation
import NIOCore
import NIOPosix

/// A resolved address and whether it is IPv4.
package struct ResolvedIP: Sendable, Hashable, CustomStringConvertible {
    /// Raw bytes: 4 for IPv4, 16 for IPv6.
    package var bytes: [UInt8]
    package var isIPv4: Bool { bytes.count == 4 }
    package var description: String {
        var text = [CChar](repeating: 0, count: 64)
        var copy = bytes
        _ = inet_ntop(isIPv4 ? AF_INET : AF_INET6, &copy, &text, socklen_t(text.count))
        return String(cString: text)
    }

    package func socketAddress(port: Int) throws -> SocketAddress { try SocketAddress(ipAddress: description, port: port) }

    /// `host:port`, bracketed for IPv6 (Go's `net.JoinHostPort`).
    package func join(port: String) -> String { isIPv4 ? "\(description):\(port)" : "[\(description)]:\(port)" }
}

/// blackbox's `chooseProtocol` and `ipHash` (`prober/utils.go`).
enum Resolver {
    struct Failure: Error, CustomStringConvertible { var description: String }

    /// Resolves `host`, preferring `ipProtocol` (`ip6` by default), falling back to the other
    /// family when allowed; declares and sets `probe_ip_protocol`, `probe_ip_addr_hash` and
    /// `probe_dns_lookup_time_seconds`; returns the address and the lookup time.
    static func choose(_ host: String, ipProtocol: String, fallback: Bool, context: ProbeContext) async throws -> (ResolvedIP, Double) {
        let registry = context.registry
        registry.gauge("probe_ip_protocol", "Specifies whether probe ip protocol is IP4 or IP6")
        registry.gauge("probe_dns_lookup_time_seconds", "Returns the time taken for probe dns lookup in seconds")
        registry.gauge("probe_ip_addr_hash", "Specifies the hash of IP address. It's useful to detect if the IP address changes.")
        let preferred = ipProtocol == "ip4" ? "ip4" : "ip6"
        context.log.info("Resolving target address", ["target": host, "ip_protocol": preferred])
        let start = ContinuousClock.now
        func elapsed() -> Double { seconds(ContinuousClock.now - start) }
        let addresses: [ResolvedIP]
        do {
            addresses = try await lookup(host, family: fallback ? AF_UNSPEC : (preferred == "ip4" ? AF_INET : AF_INET6))
        } catch {
            let time = elapsed()
            registry.add("probe_dns_lookup_time_seconds", time)
            context.log.error("Resolution with IP protocol failed", ["target": host, "err": "\(error)"])
            throw error
        }
        let time = elapsed()
        registry.add("probe_dns_lookup_time_seconds", time)
        let wantIPv4 = preferred == "ip4"
        let chosen = addresses.first { $0.isIPv4 == wantIPv4 } ?? (fallback ? addresses.last : nil)
        guard let chosen else {
            throw Failure(description: "unable to find ip; no fallback")
        }
        context.log.info("Resolved target address", ["target": host, "ip": chosen.description])
        registry.set("probe_ip_protocol", chosen.isIPv4 ? 4 : 6)
        registry.set("probe_ip_addr_hash", ipHash(chosen))
        return (chosen, time)
    }

    /// FNV-1a (32 bit) of the address bytes.
    static func ipHash(_ ip: ResolvedIP) -> Double {
        var hash: UInt32 = 2_166_136_261
        for byte in ip.bytes {
            hash ^= UInt32(byte)
            hash = hash &* 16_777_619
        }
        return Double(hash)
    }

    /// getaddrinfo on NIO's thread pool (IP literals answer at once).
    static func lookup(_ host: String, family: Int32) async throws -> [ResolvedIP] {
        let name = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        if let literal = literal(name) { return [literal] }
        return try await NIOThreadPool.singleton.runIfActive {
            var hints = addrinfo()
            hints.ai_family = family
            hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
            var result: UnsafeMutablePointer<addrinfo>?
            let status = getaddrinfo(name, nil, &hints, &result)
            guard status == 0, let first = result else {
                throw Failure(description: "lookup \(name): \(String(cString: gai_strerror(status)))")
            }
            defer { freeaddrinfo(first) }
            var out: [ResolvedIP] = []
            var node: UnsafeMutablePointer<addrinfo>? = first
            while let current = node {
                if let address = current.pointee.ai_addr {
                    if current.pointee.ai_family == AF_INET {
                        var ip = address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee.sin_addr }
                        out.append(ResolvedIP(bytes: withUnsafeBytes(of: &ip) { Array($0) }))
                    } else if current.pointee.ai_family == AF_INET6 {
                        var ip = address.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { $0.pointee.sin6_addr }
                        out.append(ResolvedIP(bytes: withUnsafeBytes(of: &ip) { Array($0) }))
                    }
                }
                node = current.pointee.ai_next
            }
            var seen: Set<ResolvedIP> = []
            return out.filter { seen.insert($0).inserted }
        }
    }

    static func literal(_ text: String) -> ResolvedIP? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 { return ResolvedIP(bytes: withUnsafeBytes(of: &v4) { Array($0) }) }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 { return ResolvedIP(bytes: withUnsafeBytes(of: &v6) { Array($0) }) }
        return nil
    }
}

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

/// Go's `net.SplitHostPort`: `host:port` or `[v6]:port`.
func splitHostPort(_ text: String) -> (host: String, port: String)? {
    if text.hasPrefix("[") {
        guard let close = text.firstIndex(of: "]") else { return nil }
        let host = String(text[text.index(after: text.startIndex)..<close])
        let rest = text[text.index(after: close)...]
        guard rest.hasPrefix(":") else { return nil }
        return (host, String(rest.dropFirst()))
    }
    guard let colon = text.lastIndex(of: ":") else { return nil }
    let host = String(text[..<colon])
    if host.contains(":") { return nil }
    return (host, String(text[text.index(after: colon)...]))
}
