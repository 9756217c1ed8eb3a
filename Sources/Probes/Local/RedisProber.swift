import NIOCore
import NIOSSL
import PharosCore

/// Pharos' redis prober: `AUTH` when a password is set, then `PING`, expecting `PONG`.
struct RedisProber: Prober {
    func probe(target: String, module: ProbeModule, context: ProbeContext) async -> Bool {
        let registry = context.registry, log = context.log
        let config = module.redis
        registry.gaugeVector("probe_redis_duration_seconds", "Duration of the Redis probe by phase", labels: ["phase"])
        var host = target, port = 6379
        if let split = splitHostPort(target) {
            host = split.host
            guard let number = Int(split.port) else { log.error("Error splitting target address and port", ["err": "bad port"]); return false }
            port = number
        }
        let ip: ResolvedIP
        do { (ip, _) = try await Resolver.choose(host, ipProtocol: "", fallback: true, context: context) } catch {
            log.error("Error resolving address", ["err": "\(error)"])
            return false
        }
        let replies = ReplyBytes()
        let start = ContinuousClock.now
        let channel: any Channel
        do {
            let tls = config.tls ? try ClientTLS(config.tlsConfig, defaultServerName: host) : nil
            channel = try await context.connect(to: try ip.socketAddress(port: port)) { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls { try channel.pipeline.syncOperations.addHandler(try tls.makeHandler()) }
                    try channel.pipeline.syncOperations.addHandler(LineReader(lines: replies.lines))
                }
            }
        } catch {
            log.error("Error dialing TCP", ["err": "\(error)"])
            return false
        }
        defer { channel.close(promise: nil) }
        let close: @Sendable () -> Void = { channel.close(promise: nil) }
        var phaseStart = ContinuousClock.now
        registry.set("probe_redis_duration_seconds", seconds(phaseStart - start), labels: ["connect"])
        do {
            if let password = config.password {
                let command = config.username.map { ["AUTH", $0, password] } ?? ["AUTH", password]
                try await channel.writeAndFlush(ByteBuffer(bytes: RESPValue.command(command))).get(onCancel: close)
                let reply = try await replies.next(onCancel: close)
                registry.set("probe_redis_duration_seconds", seconds(ContinuousClock.now - phaseStart), labels: ["auth"])
                guard case .simple("OK") = reply else {
                    log.error("AUTH failed", ["reply": "\(reply)"])
                    return false
                }
                phaseStart = .now
            }
            try await channel.writeAndFlush(ByteBuffer(bytes: RESPValue.command(["PING"]))).get(onCancel: close)
            let reply = try await replies.next(onCancel: close)
            registry.set("probe_redis_duration_seconds", seconds(ContinuousClock.now - phaseStart), labels: ["ping"])
            switch reply {
            case .simple("PONG"), .bulk(Array("PONG".utf8)?):
                log.info("PING answered PONG")
                return true
            default:
                log.error("PING failed", ["reply": "\(reply)"])
                return false
            }
        } catch {
            log.error("Error talking to Redis", ["err": "\(error)"])
            return false
        }
    }
}

/// RESP replies read off a connection, one at a time (reusing the line buffer's framing).
final class ReplyBytes: Sendable {
    let lines = LineBuffer()

    func next(onCancel: @escaping @Sendable () -> Void) async throws -> RESPValue {
        var bytes: [UInt8] = []
        while true {
            guard let line = try await lines.next(onCancel: onCancel) else { throw ProbeFailure("EOF") }
            bytes += Array(line.utf8) + [13, 10]
            if let (value, _) = try RESPParser.parse(bytes) { return value }
        }
    }
}
