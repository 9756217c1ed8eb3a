import PharosCore
import Foundation
import NIOCore
import NIOHTTP1
import NIOHTTPCompression
import NIOPosix
import NIOSSL
import PharosConfig

extension HTTPProber {
    struct RoundTripResult: Sendable {
        var response: CollectedResponse
        var tls: TLSInfo?
    }

    /// One request on a fresh connection, filling `trace` as each phase ends.
    func roundTrip(url: URLComponents, method: String, body: String, hostHeader: String, headers: [(String, String)],
                   config: HTTPProbeConfig, serverName: String, trace: inout Trace, context: ProbeContext) async throws -> RoundTripResult {
        let isTLS = url.scheme == "https"
        var connectHost = url.host ?? ""
        var connectPort = url.port ?? (isTLS ? 443 : 80)
        var requestTarget = url.percentEncodedPath.isEmpty ? "/" : url.percentEncodedPath
        if let query = url.percentEncodedQuery { requestTarget += "?" + query }
        if let proxy = config.client.proxyURL, !proxy.isEmpty {
            guard let proxyURL = URLComponents(string: proxy), let proxyHost = proxyURL.host else { throw ProbeFailure("invalid proxy_url \(goQuote(proxy))") }
            if isTLS { throw ProbeFailure("https targets through proxy_url (CONNECT) are not supported by Pharos yet") }
            connectHost = proxyHost
            connectPort = proxyURL.port ?? 80
            requestTarget = url.string ?? requestTarget
        }
        if connectHost.hasPrefix("[") { connectHost = String(connectHost.dropFirst().dropLast()) }
        trace.start = .now
        let ip: ResolvedIP
        if let literal = Resolver.literal(connectHost) {
            ip = literal
        } else {
            guard let first = try await Resolver.lookup(connectHost, family: AF_UNSPEC).first else { throw ProbeFailure("lookup \(connectHost): no such host") }
            ip = first
        }
        trace.dnsDone = .now
        let address = try ip.socketAddress(port: connectPort)

        let tls: ClientTLS? = isTLS ? try ClientTLS(config.client.tlsConfig, defaultServerName: serverName) : nil
        let headPromise = context.eventLoopGroup.any().makePromise(of: (HTTPResponseHead, ContinuousClock.Instant).self)
        let endPromise = context.eventLoopGroup.any().makePromise(of: (ByteBuffer, ContinuousClock.Instant).self)
        let handshake = context.eventLoopGroup.any().makePromise(of: Void.self)
        let decompress = !config.compression.isEmpty && config.compression.lowercased() != "identity"
        let limit = config.bodySizeLimit
        let channel: any Channel
        do {
            channel = try await context.connect(to: address) { channel in
                channel.eventLoop.makeCompletedFuture {
                    let sync = channel.pipeline.syncOperations
                    if let tls {
                        try sync.addHandler(try tls.makeHandler())
                        try sync.addHandler(HandshakeWatcher(promise: handshake))
                    }
                    try sync.addHTTPClientHandlers()
                    if decompress { try sync.addHandler(NIOHTTPResponseDecompressor(limit: .none)) }
                    try sync.addHandler(ResponseCollector(headPromise: headPromise, endPromise: endPromise, limit: limit))
                }
            }
        } catch {
            // No channel owns the promises: complete them here (NIO traps on a leaked promise).
            headPromise.fail(error)
            endPromise.fail(error)
            handshake.fail(error)
            throw error
        }
        let close: @Sendable () -> Void = { channel.close(promise: nil) }
        defer { channel.close(promise: nil) }
        trace.connectDone = .now
        var tlsInfo: TLSInfo?
        if let tls {
            trace.tlsStart = trace.connectDone
            try await handshake.futureResult.get(onCancel: close)
            trace.tlsDone = .now
            tlsInfo = try await TLSInfo.read(from: channel, verified: tls.verified, trustRoots: tls.trustRoots)
        } else {
            handshake.succeed(())
        }
        trace.gotConn = .now

        var head = HTTPRequestHead(version: .http1_1, method: HTTPMethod(rawValue: method), uri: requestTarget)
        head.headers.add(name: "Host", value: hostHeader)
        var hasUserAgent = false
        for (name, value) in headers {
            if canonicalHeaderKey(name) == "User-Agent" { hasUserAgent = true }
            head.headers.replaceOrAdd(name: name, value: value)
        }
        if !hasUserAgent { head.headers.add(name: "User-Agent", value: Self.userAgent) }
        if let authorization = try authorizationHeader(config.client) { head.headers.replaceOrAdd(name: "Authorization", value: authorization) }
        if !body.isEmpty || ["POST", "PUT", "PATCH"].contains(method) { head.headers.add(name: "Content-Length", value: "\(body.utf8.count)") }
        head.headers.add(name: "Connection", value: "close")
        if !config.compression.isEmpty, !head.headers.contains(name: "Accept-Encoding") {
            head.headers.add(name: "Accept-Encoding", value: config.compression)
        }
        channel.write(HTTPClientRequestPart.head(head), promise: nil)
        if !body.isEmpty { channel.write(HTTPClientRequestPart.body(.byteBuffer(ByteBuffer(string: body))), promise: nil) }
        try await channel.writeAndFlush(HTTPClientRequestPart.end(nil)).get(onCancel: close)

        let (responseHead, responseStart) = try await headPromise.futureResult.get(onCancel: close)
        trace.responseStart = responseStart
        var collected = CollectedResponse(head: responseHead, body: ByteBuffer(), responseStart: responseStart, end: nil)
        do {
            let (bodyBuffer, end) = try await endPromise.futureResult.get(onCancel: close)
            collected.body = bodyBuffer
            collected.end = end
            trace.end = end
        } catch {
            collected.bodyError = "\(error)"
            trace.end = .now
        }
        return RoundTripResult(response: collected, tls: tlsInfo)
    }

    /// The Authorization header of `basic_auth`, `authorization`/`bearer_token(_file)`.
    func authorizationHeader(_ client: HTTPClientConfig) throws -> String? {
        if let basic = client.basicAuth {
            var username = basic.username
            if let file = basic.usernameFile { username = try String(contentsOfFile: file, encoding: .utf8).trimmingTrailingNewlines() }
            var password = basic.password ?? ""
            if let file = basic.passwordFile { password = try String(contentsOfFile: file, encoding: .utf8).trimmingTrailingNewlines() }
            return "Basic " + Data("\(username):\(password)".utf8).base64EncodedString()
        }
        if let auth = client.authorization {
            var credentials = auth.credentials ?? ""
            if let file = auth.credentialsFile {
                credentials = try String(contentsOfFile: file, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
            }
            return "\(auth.type) \(credentials)"
        }
        return nil
    }
}
