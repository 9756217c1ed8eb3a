import Foundation
import PharosTestSupport

#if canImport(Glibc)
import Glibc
#endif

/// Debian's prometheus-node-exporter 1.5 on a free loopback port with only the collectors
/// Pharos implements, and a blocking one-request HTTP GET to read it.
final class NodeExporterPeer: @unchecked Sendable {
    static let binary = "/usr/bin/prometheus-node-exporter"
    let peer: PeerProcess
    let port: Int

    /// Debian patches two defaults (mount points `^/(dev|proc|run|sys|mnt|media|…)`, netdev
    /// `^lo$`); these flags restore node_exporter 1.5.0's own, which Pharos follows.
    static let upstreamDefaults = [
        "--collector.filesystem.mount-points-exclude=^/(dev|proc|run/credentials/.+|sys|var/lib/docker/.+|var/lib/containers/storage/.+)($|/)",
        "--collector.netdev.device-exclude=",
    ]

    init(collectors: [String], extraArguments: [String] = [], logPath: String) async throws {
        port = try Peers.freePort()
        peer = try PeerProcess(Self.binary, ["--web.listen-address=127.0.0.1:\(port)", "--collector.disable-defaults"]
                               + collectors.map { "--collector.\($0)" } + Self.upstreamDefaults + extraArguments, logPath: logPath)
        do {
            try await peer.waitForLog(containing: "Listening on", timeout: .seconds(20))
        } catch {
            peer.stop()
            throw error
        }
    }

    func stop() { peer.stop() }

    /// `/metrics` as bytes.
    func scrape() throws -> [UInt8] { try Self.get(port: port, path: "/metrics") }

    /// GET `path` over a new connection (HTTP/1.0, so the body ends at close); throws unless 200.
    static func get(port: Int, path: String) throws -> [UInt8] {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw PeerError("socket(): errno \(errno)") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
        guard connected else { throw PeerError("connect(127.0.0.1:\(port)): errno \(errno)") }
        let request = Array("GET \(path) HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n".utf8)
        _ = request.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
        var response: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let got = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if got <= 0 { break }
            response.append(contentsOf: buffer[0..<got])
        }
        let separator = Array("\r\n\r\n".utf8)
        guard let split = (0..<max(0, response.count - 3)).first(where: { Array(response[$0..<($0 + 4)]) == separator }) else {
            throw PeerError("GET \(path) on port \(port): no HTTP header in \(response.count) bytes")
        }
        let head = String(decoding: response[..<split], as: UTF8.self)
        guard head.hasPrefix("HTTP/1.1 200") || head.hasPrefix("HTTP/1.0 200") else {
            throw PeerError("GET \(path) on port \(port): \(head.split(separator: "\r\n").first ?? "")")
        }
        return Array(response[(split + 4)...])
    }
}
