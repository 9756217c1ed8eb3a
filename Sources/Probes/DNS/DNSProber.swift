import NIOCore
import NIOPosix
import PharosCore

/// blackbox's dns prober (`prober/dns.go`): one query over UDP or TCP, rcode and RR checks.
struct DNSProber: Prober {
    func probe(target: String, module: ProbeModule, context: ProbeContext) async -> Bool {
        let registry = context.registry, log = context.log
        var config = module.dns
        registry.gaugeVector("probe_dns_duration_seconds", "Duration of DNS request by phase", labels: ["phase"])
        registry.gauge("probe_dns_answer_rrs", "Returns number of entries in the answer resource record list")
        registry.gauge("probe_dns_authority_rrs", "Returns number of entries in the authority resource record list")
        registry.gauge("probe_dns_additional_rrs", "Returns number of entries in the additional resource record list")
        registry.gauge("probe_dns_query_succeeded", "Displays whether or not the query was executed successfully")
        for phase in ["resolve", "connect", "request"] { registry.add("probe_dns_duration_seconds", 0, labels: [phase]) }
        let qclass = config.queryClass.isEmpty ? 1 : DNSWire.classCode(config.queryClass)
        let qtype = config.queryType.isEmpty ? 255 : DNSWire.typeCode(config.queryType)
        guard let qclass, let qtype else {
            log.error("Invalid query type or class", ["type": config.queryType, "class": config.queryClass])
            return false
        }
        if config.transportProtocol.isEmpty { config.transportProtocol = "udp" }
        guard config.transportProtocol == "udp" || config.transportProtocol == "tcp" else {
            log.error("Configuration error: Expected transport protocol udp or tcp", ["protocol": config.transportProtocol])
            return false
        }
        if config.dnsOverTLS {
            log.error("dns_over_tls is not supported by Pharos yet")
            return false
        }
        var host = target, port = "53"
        if let split = splitHostPort(target) { (host, port) = split }
        let ip: ResolvedIP
        do {
            let (resolved, lookup) = try await Resolver.choose(host, ipProtocol: config.ipProtocol, fallback: config.ipProtocolFallback, context: context)
            registry.add("probe_dns_duration_seconds", lookup, labels: ["resolve"])
            ip = resolved
        } catch {
            log.error("Error resolving address", ["err": "\(error)"])
            return false
        }
        let dial = config.transportProtocol + (ip.isIPv4 ? "4" : "6")
        guard let portNumber = Int(port), let address = try? ip.socketAddress(port: portNumber) else {
            log.error("Error while sending a DNS query", ["err": "bad port \(goQuote(port))"])
            return false
        }
        let id = UInt16.random(in: 0...UInt16.max)
        let query: [UInt8]
        do {
            query = try DNSWire.query(id: id, name: config.queryName, type: qtype, class: qclass, recursionDesired: config.recursionDesired)
        } catch {
            log.error("Error while sending a DNS query", ["err": "\(error)"])
            return false
        }
        log.info("Making DNS query", ["target": ip.join(port: port), "dial_protocol": dial, "query": config.queryName,
                                      "type": "\(qtype)", "class": "\(qclass)"])
        let requestStart = ContinuousClock.now
        let response: DNSResponse
        var rtt = 0.0
        do {
            let (bytes, connected) = try await exchange(query, to: address, tcp: config.transportProtocol == "tcp", context: context)
            rtt = seconds(ContinuousClock.now - connected)
            registry.set("probe_dns_duration_seconds", seconds(connected - requestStart), labels: ["connect"])
            registry.set("probe_dns_duration_seconds", rtt, labels: ["request"])
            response = try DNSResponse(parsing: bytes)
            guard response.id == id else { throw ProbeFailure("dns: id mismatch") }
        } catch {
            registry.set("probe_dns_duration_seconds", seconds(ContinuousClock.now - requestStart), labels: ["connect"])
            log.error("Error while sending a DNS query", ["err": "\(error)"])
            return false
        }
        log.info("Got response", ["rcode": DNSWire.rcodeName(response.rcode), "answer": response.answer.map(\.description).joined(separator: "\n")])
        registry.set("probe_dns_answer_rrs", Double(response.answer.count))
        registry.set("probe_dns_authority_rrs", Double(response.authority.count))
        registry.set("probe_dns_additional_rrs", Double(response.additional.count))
        registry.set("probe_dns_query_succeeded", 1)
        if qtype == 6 {
            registry.gauge("probe_dns_serial", "Returns the serial number of the zone")
            for record in response.answer { if let serial = record.soaSerial { registry.set("probe_dns_serial", Double(serial)) } }
        }
        guard Self.validRcode(response.rcode, config.validRcodes, log) else { return false }
        log.info("Validating Answer RRs")
        guard Self.validRRs(response.answer, config.validateAnswer, log) else { log.error("Answer RRs validation failed"); return false }
        log.info("Validating Authority RRs")
        guard Self.validRRs(response.authority, config.validateAuthority, log) else { log.error("Authority RRs validation failed"); return false }
        log.info("Validating Additional RRs")
        guard Self.validRRs(response.additional, config.validateAdditional, log) else { log.error("Additional RRs validation failed"); return false }
        return true
    }

    static func validRcode(_ rcode: Int, _ valid: [String]?, _ log: ProbeLog) -> Bool {
        var codes: [Int] = []
        if let valid {
            for name in valid {
                guard let code = DNSWire.rcodeCode(name) else { log.error("Invalid rcode", ["rcode": name]); return false }
                codes.append(code)
            }
        } else {
            codes = [0]
        }
        if codes.contains(rcode) {
            log.info("Rcode is valid", ["rcode": "\(rcode)", "string_rcode": DNSWire.rcodeName(rcode)])
            return true
        }
        log.error("Rcode is not one of the valid rcodes", ["rcode": "\(rcode)", "string_rcode": DNSWire.rcodeName(rcode)])
        return false
    }

    static func validRRs(_ records: [DNSRecord], _ validator: DNSRRValidator, _ log: ProbeLog) -> Bool {
        if records.isEmpty && !validator.failIfNotMatchesRegexp.isEmpty {
            log.error("fail_if_not_matches_regexp specified but no RRs returned")
            return false
        }
        if records.isEmpty && !validator.failIfNoneMatchesRegexp.isEmpty {
            log.error("fail_if_none_matches_regexp specified but no RRs returned")
            return false
        }
        var anyMatch = false, allMatch = true
        for record in records {
            let text = record.description
            log.info("Validating RR", ["rr": text])
            for re in validator.failIfMatchesRegexp where re.regex.matches(in: text) {
                log.error("At least one RR matched regexp", ["regexp": re.description, "rr": text])
                return false
            }
            for re in validator.failIfAllMatchRegexp where !re.regex.matches(in: text) { allMatch = false }
            for re in validator.failIfNotMatchesRegexp where !re.regex.matches(in: text) {
                log.error("At least one RR did not match regexp", ["regexp": re.description, "rr": text])
                return false
            }
            for re in validator.failIfNoneMatchesRegexp where re.regex.matches(in: text) { anyMatch = true }
        }
        if !validator.failIfAllMatchRegexp.isEmpty && !allMatch { log.error("Not all RRs matched regexp"); return false }
        if !validator.failIfNoneMatchesRegexp.isEmpty && !anyMatch { log.error("None of the RRs did matched any regexp"); return false }
        return true
    }

    /// Sends `query` and returns the reply and when the connection (socket) was ready.
    func exchange(_ query: [UInt8], to address: SocketAddress, tcp: Bool, context: ProbeContext) async throws -> ([UInt8], ContinuousClock.Instant) {
        let promise = context.eventLoopGroup.any().makePromise(of: [UInt8].self)
        let channel: any Channel
        if tcp {
            channel = try await context.connect(to: address) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ReplyCollector(promise: promise, framed: true))
                }
            }
        } else {
            let bind = address.protocol == .inet ? try SocketAddress(ipAddress: "0.0.0.0", port: 0) : try SocketAddress(ipAddress: "::", port: 0)
            channel = try await DatagramBootstrap(group: context.eventLoopGroup)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(DatagramReplyCollector(promise: promise))
                    }
                }
                .bind(to: bind).get()
            context.closeAtDeadline(channel)
        }
        let connected = ContinuousClock.now
        defer { channel.close(promise: nil) }
        let close: @Sendable () -> Void = { channel.close(promise: nil) }
        if tcp {
            var buffer = ByteBuffer()
            buffer.writeInteger(UInt16(query.count))
            buffer.writeBytes(query)
            try await channel.writeAndFlush(buffer).get(onCancel: close)
        } else {
            let envelope = AddressedEnvelope(remoteAddress: address, data: ByteBuffer(bytes: query))
            try await channel.writeAndFlush(envelope).get(onCancel: close)
        }
        return (try await promise.futureResult.get(onCancel: close), connected)
    }
}

/// The first DNS reply over TCP, behind its two-byte length.
final class ReplyCollector: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    let promise: EventLoopPromise<[UInt8]>
    var buffer = ByteBuffer()

    init(promise: EventLoopPromise<[UInt8]>, framed: Bool) { self.promise = promise }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var part = unwrapInboundIn(data)
        buffer.writeBuffer(&part)
        if let length = buffer.getInteger(at: buffer.readerIndex, as: UInt16.self), buffer.readableBytes >= 2 + Int(length) {
            promise.succeed(Array(buffer.readableBytesView.dropFirst(2).prefix(Int(length))))
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) { promise.fail(error) }
    func channelInactive(context: ChannelHandlerContext) { promise.fail(ProbeFailure("EOF")) }
}

/// The first DNS reply datagram.
final class DatagramReplyCollector: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    let promise: EventLoopPromise<[UInt8]>
    init(promise: EventLoopPromise<[UInt8]>) { self.promise = promise }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        promise.succeed(Array(unwrapInboundIn(data).data.readableBytesView))
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) { promise.fail(error) }
    func channelInactive(context: ChannelHandlerContext) { promise.fail(ProbeFailure("EOF")) }
}
