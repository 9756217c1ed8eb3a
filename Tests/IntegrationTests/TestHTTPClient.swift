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
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    return try NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>(wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            var headers: HTTPHeaders = ["Host": "127.0.0.1:\(port)", "Connection": "close"]
            if let contentType { headers.add(name: "Content-Type", value: contentType) }
            if let body { headers.add(name: "Content-Length", value: String(body.utf8.count)) }
            try await outbound.write(.head(HTTPRequestHead(version: .http1_1, method: method, uri: path, headers: headers)))
            if let body { try await outbound.write(.body(.byteBuffer(ByteBuffer(string: body)))) }
            try await outbound.write(.end(nil))
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
            response.body = String(buffer: collected)
            return response
        }
    }
}
