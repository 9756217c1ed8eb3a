import NIOCore
import NIOHTTP1
import NIOPosix

/// A minimal HTTP/1.1 client for live tests: one request per connection, whole body buffered.
struct TestHTTPClient {
    struct Response {
        var status: Int
        /// Header values by lowercased name (last one wins).
        var headers: [String: String]
        var body: String
    }

    let port: Int

    func get(_ path: String) async throws -> Response {
        try await send(.GET, path, body: nil)
    }

    func postForm(_ path: String, _ form: String) async throws -> Response {
        try await send(.POST, path, body: form, contentType: "application/x-www-form-urlencoded")
    }

    func send(_ method: HTTPMethod, _ path: String, body: String?, contentType: String? = nil) async throws -> Response {
        try await send(method, path, bytes: body.map { Array($0.utf8) },
                       headers: contentType.map { [("Content-Type", $0)] } ?? [])
    }

    /// POSTs raw bytes (a remote-write body, say) with extra headers.
    func post(_ path: String, bytes: [UInt8], headers: [(name: String, value: String)]) async throws -> Response {
        try await send(.POST, path, bytes: bytes, headers: headers)
    }

    func send(_ method: HTTPMethod, _ path: String, bytes body: [UInt8]?,
              headers extra: [(name: String, value: String)]) async throws -> Response {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    return try NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>(wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            var headers: HTTPHeaders = ["Host": "127.0.0.1:\(port)", "Connection": "close"]
            for (name, value) in extra { headers.add(name: name, value: value) }
            if let body { headers.add(name: "Content-Length", value: String(body.count)) }
            // A server may answer and close before our last write completes (Go's server does
            // under load): keep a write error only if no response follows.
            var writeError: (any Error)?
            do {
                var parts: [HTTPClientRequestPart] = [.head(HTTPRequestHead(version: .http1_1, method: method, uri: path, headers: headers))]
                if let body { parts.append(.body(.byteBuffer(ByteBuffer(bytes: body)))) }
                parts.append(.end(nil))
                try await outbound.write(contentsOf: parts)
            } catch {
                writeError = error
            }
            var response = Response(status: 0, headers: [:], body: "")
            var collected = ByteBuffer()
            for try await part in inbound {
                switch part {
                case .head(let head):
                    response.status = Int(head.status.code)
                    for (name, value) in head.headers { response.headers[name.lowercased()] = value }
                case .body(var chunk):
                    collected.writeBuffer(&chunk)
                case .end:
                    response.body = String(buffer: collected)
                    return response
                }
            }
            if let writeError, response.status == 0 { throw writeError }
            response.body = String(buffer: collected)
            return response
        }
    }
}
