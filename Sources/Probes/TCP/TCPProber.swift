import NIOCore
import NIOPosix
import NIOSSL
import PharosCore
import Synchronization

/// blackbox's tcp prober (`prober/tcp.go`): connect (optionally over TLS), then the
/// query_response dialogue: expect a line matching a regexp, send a line (with `${1}` from the
/// match), upgrade with STARTTLS.
struct TCPProber: Prober {
    func probe(target: String, module: ProbeModule, context: ProbeContext) async -> Bool {
        let registry = context.registry, log = context.log
        let config = module.tcp
        registry.gauge("probe_failed_due_to_regex", "Indicates if probe failed due to regex")
        guard let (host, port) = splitHostPort(target), let portNumber = Int(port) else {
            log.error("Error splitting target address and port", ["err": "address \(target): missing port in address"])
            return false
        }
        let ip: ResolvedIP
        do {
            (ip, _) = try await Resolver.choose(host, ipProtocol: config.ipProtocol, fallback: config.ipProtocolFallback, context: context)
        } catch {
            log.error("Error resolving address", ["err": "\(error)"])
            return false
        }
        let lines = LineBuffer()
        let channel: any Channel
        var tls: ClientTLS?
        let handshake = context.eventLoopGroup.any().makePromise(of: Void.self)
        do {
            if config.tls { tls = try ClientTLS(config.tlsConfig, defaultServerName: host) }
            let tlsSetup = tls
            log.info(config.tls ? "Dialing TCP with TLS" : "Dialing TCP without TLS")
            channel = try await context.connect(to: try ip.socketAddress(port: portNumber)) { channel in
                channel.eventLoop.makeCompletedFuture {
                    let sync = channel.pipeline.syncOperations
                    if let tlsSetup {
                        try sync.addHandler(try tlsSetup.makeHandler())
                        try sync.addHandler(HandshakeWatcher(promise: handshake))
                    }
                    try sync.addHandler(LineReader(lines: lines))
                }
            }
        } catch {
            handshake.fail(error)
            log.error("Error dialing TCP", ["err": "\(error)"])
            return false
        }
        defer { channel.close(promise: nil) }
        let close: @Sendable () -> Void = { channel.close(promise: nil) }
        log.info("Successfully dialed")
        do {
            if let tls {
                try await handshake.futureResult.get(onCancel: close)
                try await TLSInfo.read(from: channel, verified: tls.verified, trustRoots: tls.trustRoots).record(in: registry)
            } else {
                handshake.succeed(())
            }
            for (index, qr) in config.queryResponse.enumerated() {
                log.info("Processing query response entry", ["entry_number": "\(index)"])
                var send = qr.send
                if let expect = qr.expect {
                    var matched: (String, [Range<String.Index>?])?
                    while let line = try await lines.next(onCancel: close) {
                        log.debug("Read line", ["line": line])
                        if let match = expect.regex.firstMatch(in: line) {
                            log.info("Regexp matched", ["regexp": expect.description, "line": line])
                            matched = (line, match)
                            break
                        }
                    }
                    guard let (line, match) = matched else {
                        registry.set("probe_failed_due_to_regex", 1)
                        log.error("Regexp did not match", ["regexp": expect.description, "line": ""])
                        return false
                    }
                    registry.set("probe_failed_due_to_regex", 0)
                    send = expect.regex.expand(send, captures: match.map { $0.map { line[$0] } })
                }
                if !send.isEmpty {
                    log.debug("Sending line", ["line": send])
                    try await channel.writeAndFlush(ByteBuffer(string: send + "\n")).get(onCancel: close)
                }
                if qr.startTLS {
                    let upgrade = try ClientTLS(config.tlsConfig, defaultServerName: host)
                    let done = channel.eventLoop.makePromise(of: Void.self)
                    try await channel.eventLoop.submit {
                        let sync = channel.pipeline.syncOperations
                        try sync.addHandler(try upgrade.makeHandler(), position: .first)
                        try sync.addHandler(HandshakeWatcher(promise: done), position: .after(try sync.handler(type: NIOSSLClientHandler.self)))
                    }.get()
                    try await done.futureResult.get(onCancel: close)
                    log.info("TLS Handshake (client) succeeded.")
                    try await TLSInfo.read(from: channel, verified: upgrade.verified, trustRoots: upgrade.trustRoots).record(in: registry)
                }
            }
        } catch {
            log.error("Error reading from connection", ["err": "\(error)"])
            return false
        }
        return true
    }
}

/// Lines read from the connection (bufio.Scanner: split at `\n`, a trailing `\r` dropped),
/// awaited one by one; nil at EOF.
final class LineBuffer: Sendable {
    private struct State {
        var buffer: [UInt8] = []
        var lines: [String] = []
        var closed: (any Error)??
        var waiter: CheckedContinuation<String?, any Error>?
    }
    private let state = Mutex(State())

    func feed(_ bytes: some Sequence<UInt8>) {
        let waiter: (CheckedContinuation<String?, any Error>, String)? = state.withLock { state in
            state.buffer.append(contentsOf: bytes)
            while let newline = state.buffer.firstIndex(of: UInt8(ascii: "\n")) {
                var line = Array(state.buffer[..<newline])
                if line.last == UInt8(ascii: "\r") { line.removeLast() }
                state.lines.append(String(decoding: line, as: UTF8.self))
                state.buffer.removeSubrange(...newline)
            }
            guard let waiter = state.waiter, !state.lines.isEmpty else { return nil }
            state.waiter = nil
            return (waiter, state.lines.removeFirst())
        }
        waiter?.0.resume(returning: waiter?.1)
    }

    func finish(_ error: (any Error)?) {
        let waiter: (CheckedContinuation<String?, any Error>, String?)? = state.withLock { state in
            if !state.buffer.isEmpty {
                state.lines.append(String(decoding: state.buffer, as: UTF8.self))
                state.buffer = []
            }
            state.closed = .some(error)
            guard let waiter = state.waiter else { return nil }
            state.waiter = nil
            return (waiter, state.lines.isEmpty ? nil : state.lines.removeFirst())
        }
        if let waiter {
            if waiter.1 == nil, let error { waiter.0.resume(throwing: error) } else { waiter.0.resume(returning: waiter.1) }
        }
    }

    func next(onCancel: @escaping @Sendable () -> Void) async throws -> String? {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let ready: Result<String?, any Error>? = state.withLock { state in
                    if !state.lines.isEmpty { return .success(state.lines.removeFirst()) }
                    if let closed = state.closed {
                        if let error = closed { return .failure(error) }
                        return .success(nil)
                    }
                    state.waiter = continuation
                    return nil
                }
                if let ready { continuation.resume(with: ready) }
            }
        } onCancel: { onCancel() }
    }
}

final class LineReader: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    let lines: LineBuffer
    init(lines: LineBuffer) { self.lines = lines }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        lines.feed(unwrapInboundIn(data).readableBytesView)
    }
    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        lines.finish(error)
        context.close(promise: nil)
    }
    func channelInactive(context: ChannelHandlerContext) { lines.finish(nil) }
}
