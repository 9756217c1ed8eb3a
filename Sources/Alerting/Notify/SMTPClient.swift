import Foundation
import NIOCore
import NIOPosix
import NIOSSL

/// One SMTP reply: the code and the text of each line (`250-a`, `250 b` → 250, ["a", "b"]).
struct SMTPReply: Sendable {
    var code: Int
    var lines: [String]
    /// Go's `textproto.Error` form: `550 5.1.1 unknown user`.
    var description: String { "\(code) \(lines.joined(separator: "\n"))" }
}

/// Splits the server's bytes into replies, joining the lines of multi-line replies.
final class SMTPReplyDecoder: ByteToMessageDecoder {
    typealias InboundOut = SMTPReply
    private var lines: [String] = []

    func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let end = buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) else { return .needMoreData }
        var line = buffer.readString(length: end - buffer.readerIndex + 1) ?? ""
        while line.last == "\n" || line.last == "\r" || line.hasSuffix("\r\n") { line.removeLast() }
        let bytes = Array(line.utf8)
        guard bytes.count >= 3, let code = Int(String(decoding: bytes[0..<3], as: UTF8.self)) else {
            throw SMTPProtocolError(message: "short response: \(line)")
        }
        lines.append(bytes.count > 4 ? String(decoding: bytes[4...], as: UTF8.self) : "")
        if bytes.count > 3, bytes[3] == UInt8(ascii: "-") { return .continue }
        let reply = SMTPReply(code: code, lines: lines)
        lines = []
        context.fireChannelRead(wrapInboundOut(reply))
        return .continue
    }
}

struct SMTPProtocolError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

/// A minimal SMTP client over one NIO connection (RFC 5321 with STARTTLS, RFC 4954 AUTH),
/// doing what Go's `net/smtp` does for Alertmanager. Not Sendable: one task drives a session.
final class SMTPSession {
    private let asyncChannel: NIOAsyncChannel<SMTPReply, ByteBuffer>
    private var inbound: NIOAsyncChannelInboundStream<SMTPReply>.AsyncIterator
    private let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    /// EHLO keywords (upper case) → parameters.
    private(set) var extensions: [String: String] = [:]
    private(set) var isTLS = false
    /// The name the server's certificate must carry; nil for an IP address (checked against the SAN).
    let serverName: String?

    private init(_ channel: NIOAsyncChannel<SMTPReply, ByteBuffer>, serverName: String?, tls: Bool) throws {
        asyncChannel = channel
        inbound = channel.inbound.makeAsyncIterator()
        outbound = channel.outbound
        self.serverName = serverName
        isTLS = tls
    }

    /// Connects (with TLS from the start when `implicitTLS`, as Alertmanager does on port 465)
    /// and reads the 220 greeting.
    static func connect(host: String, port: Int, serverName: String, implicitTLS: Bool, tls: TLSConfiguration,
                        timeout: Duration) async throws -> SMTPSession {
        let sslContext = implicitTLS ? try NIOSSLContext(configuration: tls) : nil
        let serverName = Self.isIPAddress(serverName) ? nil : serverName
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.nanoseconds(Int64(timeout.components.seconds) * 1_000_000_000 + timeout.components.attoseconds / 1_000_000_000))
            .connect(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let sslContext {
                        try channel.pipeline.syncOperations.addHandler(
                            try NIOSSLClientHandler(context: sslContext, serverHostname: serverName))
                    }
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(SMTPReplyDecoder()))
                    return try NIOAsyncChannel<SMTPReply, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        let session = try SMTPSession(channel, serverName: serverName, tls: implicitTLS)
        let greeting = try await session.read()
        guard greeting.code == 220 else { throw SMTPCommandError(reply: greeting) }
        return session
    }

    static func isIPAddress(_ host: String) -> Bool {
        (try? SocketAddress(ipAddress: host, port: 0)) != nil
    }

    func read() async throws -> SMTPReply {
        guard let reply = try await inbound.next() else { throw SMTPProtocolError(message: "connection closed by the server") }
        return reply
    }

    func write(_ text: String) async throws {
        try await outbound.write(ByteBuffer(string: text))
    }

    /// Sends one command line and reads its reply; a code outside `expect` throws.
    @discardableResult
    func command(_ line: String, expect: Set<Int>) async throws -> SMTPReply {
        try await write(line + "\r\n")
        let reply = try await read()
        guard expect.contains(reply.code) else { throw SMTPCommandError(reply: reply) }
        return reply
    }

    /// EHLO, falling back to HELO as Go's client does; records the extensions.
    func hello(_ name: String) async throws {
        try await write("EHLO \(name)\r\n")
        let reply = try await read()
        if reply.code != 250 {
            try await command("HELO \(name)", expect: [250])
            extensions = [:]
            return
        }
        extensions = [:]
        for line in reply.lines.dropFirst() {
            let parts = line.split(separator: " ", maxSplits: 1)
            guard let key = parts.first else { continue }
            extensions[key.uppercased()] = parts.count > 1 ? String(parts[1]) : ""
        }
    }

    /// STARTTLS, the TLS handshake in front of the SMTP decoder, then EHLO again.
    func startTLS(_ tls: TLSConfiguration, hello name: String) async throws {
        try await command("STARTTLS", expect: [220])
        let context = try NIOSSLContext(configuration: tls)
        let handler = try NIOSSLClientHandler(context: context, serverHostname: serverName)
        try await asyncChannel.channel.pipeline.addHandler(handler, position: .first).get()
        isTLS = true
        try await hello(name)
    }

    /// AUTH PLAIN (with the initial response) or AUTH LOGIN.
    func auth(mechanism: String, identity: String, username: String, password: String) async throws {
        func b64(_ s: String) -> String { Data(s.utf8).base64EncodedString() }
        switch mechanism {
        case "PLAIN":
            try await command("AUTH PLAIN \(b64("\(identity)\u{0}\(username)\u{0}\(password)"))", expect: [235])
        case "LOGIN":
            var reply = try await command("AUTH LOGIN", expect: [334, 235])
            while reply.code == 334 {
                // "Username:" / "Password:" (Go's client accepts only these); also aiosmtpd's
                // "User Name\0" / "Password\0".
                let challenge = String(decoding: Data(base64Encoded: reply.lines.first ?? "") ?? Data(), as: UTF8.self)
                    .lowercased().trimmingCharacters(in: CharacterSet(charactersIn: ":\u{0} "))
                switch challenge {
                case "username", "user name": reply = try await command(b64(username), expect: [334, 235])
                case "password": reply = try await command(b64(password), expect: [334, 235])
                default:
                    try? await command("*", expect: [501])
                    throw SMTPProtocolError(message: "unexpected server challenge")
                }
            }
        default:
            throw SMTPProtocolError(message: "unknown auth mechanism: \(mechanism)")
        }
    }

    /// DATA: the message with leading dots doubled and bare LF turned into CRLF, then `.`.
    func data(_ message: String) async throws {
        try await command("DATA", expect: [354])
        var out = ""
        out.reserveCapacity(message.utf8.count + 64)
        var atLineStart = true
        var previous: Character = "\0"
        for c in message {
            if c == "\n", previous != "\r" {
                out += "\r\n"
            } else if c == "\r\n" {
                out += "\r\n"
            } else {
                if atLineStart, c == "." { out += "." }
                out.append(c)
            }
            atLineStart = c == "\n" || c == "\r\n"
            previous = c
        }
        if !out.hasSuffix("\r\n") { out += "\r\n" }
        try await write(out)
        try await command(".", expect: [250])
    }

    func quit() async {
        _ = try? await command("QUIT", expect: [221])
        await close()
    }

    func close() async {
        outbound.finish()
        try? await asyncChannel.channel.close()
    }

    deinit {
        // NIO requires the writer finished; a session dropped without close() (a failed greeting) ends here.
        outbound.finish()
    }
}

/// A reply the client did not expect, shown as the server sent it.
struct SMTPCommandError: Error, CustomStringConvertible {
    var reply: SMTPReply
    var description: String { reply.description }
}
