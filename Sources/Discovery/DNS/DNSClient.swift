import NIOCore
import NIOPosix

/// Asks one DNS server one question over UDP, retrying over TCP when the answer is truncated
/// (miekg/dns' `Exchange` as Prometheus' DNS SD uses it). Each exchange has its own socket;
/// `timeout` bounds every attempt. Thread-safe (no state).
package struct DNSClient: Sendable {
    package var timeout: Duration

    package init(timeout: Duration = .seconds(5)) { self.timeout = timeout }

    /// The server's answer to `name`/`type`, whatever its rcode.
    /// Throws `DiscoveryError`: `.transport` (no answer in time, socket errors), `.dnsFormat`
    /// (malformed answer), `.truncated` (truncated even over TCP).
    package func exchange(name: String, type: DNSRecordType, server: ResolvConf.Server) async throws(DiscoveryError) -> DNSResponse {
        let location = "dns \(name)"
        let id = UInt16.random(in: 0...UInt16.max)
        let address: SocketAddress
        do {
            address = try SocketAddress(ipAddress: server.host, port: server.port)
        } catch {
            throw DiscoveryError(.config, location: location, "invalid nameserver address \(server.host): \(error)")
        }
        let udp: DNSResponse
        do {
            let query = try DNSMessage.query(id: id, name: name, type: type)
            udp = try DNSMessage.parse(try await withTimeout { try await Self.udpExchange(query, id: id, to: address) })
        } catch let error as DNSFormatError {
            throw DiscoveryError(.dnsFormat, location: location, "cannot parse answer from \(server.host): \(error)")
        } catch let error as DiscoveryError {
            throw DiscoveryError(error.kind, location: location, error.message)
        } catch {
            throw DiscoveryError(.transport, location: location, "exchange with \(server.host):\(server.port) over UDP failed: \(error)")
        }
        guard udp.truncated else { return udp }
        let tcp: DNSResponse
        do {
            let query = try DNSMessage.query(id: id, name: name, type: type, udpPayloadSize: nil)
            tcp = try DNSMessage.parse(try await withTimeout { try await Self.tcpExchange(query, to: address) })
        } catch let error as DNSFormatError {
            throw DiscoveryError(.dnsFormat, location: location, "cannot parse TCP answer from \(server.host): \(error)")
        } catch let error as DiscoveryError {
            throw DiscoveryError(error.kind, location: location, error.message)
        } catch {
            throw DiscoveryError(.transport, location: location, "exchange with \(server.host):\(server.port) over TCP failed: \(error)")
        }
        if tcp.truncated {
            throw DiscoveryError(.truncated, location: location, "got truncated message on TCP (64kiB limit exceeded?)")
        }
        return tcp
    }

    private func withTimeout(_ body: @escaping @Sendable () async throws -> [UInt8]) async throws -> [UInt8] {
        let timeout = self.timeout
        return try await withThrowingTaskGroup(of: [UInt8]?.self) { group in
            group.addTask { try await body() }
            group.addTask {
                try await Task.sleep(for: timeout)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let bytes = first else {
                throw DiscoveryError(.transport, "i/o timeout after \(timeout)")
            }
            return bytes
        }
    }

    /// Sends `query` from a fresh socket and returns the first datagram from `address` that
    /// carries the same id.
    private static func udpExchange(_ query: [UInt8], id: UInt16, to address: SocketAddress) async throws -> [UInt8] {
        let local = address.protocol == .inet6 ? "::" : "0.0.0.0"
        let channel = try await DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: local, port: 0) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<AddressedEnvelope<ByteBuffer>, AddressedEnvelope<ByteBuffer>>(wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            try await outbound.write(AddressedEnvelope(remoteAddress: address, data: ByteBuffer(bytes: query)))
            for try await envelope in inbound {
                let bytes = Array(envelope.data.readableBytesView)
                guard bytes.count >= 2, UInt16(bytes[0]) << 8 | UInt16(bytes[1]) == id else { continue }
                return bytes
            }
            throw DiscoveryError(.transport, "socket closed before an answer")
        }
    }

    /// Sends `query` with its two-byte length over a fresh TCP connection and reads one answer.
    private static func tcpExchange(_ query: [UInt8], to address: SocketAddress) async throws -> [UInt8] {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(to: address) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            var framed = ByteBuffer()
            framed.writeInteger(UInt16(query.count))
            framed.writeBytes(query)
            try await outbound.write(framed)
            var received: [UInt8] = []
            for try await chunk in inbound {
                received += chunk.readableBytesView
                if received.count >= 2 {
                    let length = Int(received[0]) << 8 | Int(received[1])
                    if received.count >= 2 + length { return Array(received[2..<2 + length]) }
                }
            }
            throw DiscoveryError(.transport, "connection closed after \(received.count) bytes of the answer")
        }
    }
}
