import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import PharosCore

/// A response whose body is read as it arrives (Kubernetes watches, long polls).
package struct HTTPStreamResponse: Sendable {
    /// The numeric status code (200, 410, …).
    package var status: Int
    /// Go's `resp.Status` form: `"410 Gone"`.
    package var statusLine: String
    /// Header pairs in the order received.
    package var headers: [(name: String, value: String)]
    /// The (decompressed) body, chunk by chunk, as the server sends it.
    package var chunks: HTTPBodyChunks

    /// The first value of a header, matched case-insensitively.
    package func header(_ name: String) -> String? {
        let lower = name.lowercased()
        return headers.first { $0.name.lowercased() == lower }?.value
    }
}

/// The body chunks of an `HTTPStreamResponse`; iterate once. Errors while reading are
/// `PharosHTTPClientError` (`.transport`, or `.timeout` past the request's deadline).
package struct HTTPBodyChunks: AsyncSequence, Sendable {
    package typealias Element = [UInt8]
    let body: HTTPClientResponse.Body
    let location: String

    package struct AsyncIterator: AsyncIteratorProtocol {
        var base: HTTPClientResponse.Body.AsyncIterator
        let location: String

        package mutating func next() async throws -> [UInt8]? {
            do {
                return try await base.next().map { Array($0.readableBytesView) }
            } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout {
                throw PharosHTTPClientError(.timeout, location: location, "context deadline exceeded")
            } catch {
                throw PharosHTTPClientError(.transport, location: location, "\(error)")
            }
        }
    }

    package func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(base: body.makeAsyncIterator(), location: location)
    }
}

extension PharosHTTPClient {
    /// Sends a GET and hands the response head, with its body still streaming, to `body`;
    /// the connection is released when `body` returns or throws.
    ///
    /// - Parameters:
    ///   - headers: extra request headers; `Authorization` comes from the http_config.
    ///   - timeout: deadline for the whole exchange, body included (a watch passes its
    ///     server-side `timeoutSeconds` plus a margin).
    /// - Throws: `PharosHTTPClientError` for the request itself; whatever `body` throws.
    package func stream<R: Sendable>(
        _ url: String, headers: [(name: String, value: String)] = [], timeout: Duration,
        _ body: (HTTPStreamResponse) async throws -> R
    ) async throws -> R {
        let location = "Get \(goQuote(url))"
        var request = HTTPClientRequest(url: url)
        request.method = .GET
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let authorization = try authorizationHeader(location: location) {
            request.headers.replaceOrAdd(name: "Authorization", value: authorization)
        }
        if url.lowercased().hasPrefix("https://") { request.tlsConfiguration = tls.configuration }
        let deadline = NIODeadline.now() + TimeAmount.nanoseconds(Self.nanoseconds(timeout))
        let response: HTTPClientResponse
        do {
            response = try await client.execute(request, deadline: deadline)
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout {
            throw PharosHTTPClientError(.timeout, location: location, "context deadline exceeded")
        } catch {
            throw PharosHTTPClientError(.transport, location: location, "\(error)")
        }
        let status = Int(response.status.code)
        return try await body(HTTPStreamResponse(
            status: status, statusLine: "\(status) \(response.status.reasonPhrase)",
            headers: response.headers.map { ($0.name, $0.value) },
            chunks: HTTPBodyChunks(body: response.body, location: location)))
    }
}
