import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import PharosCore

extension PharosHTTPClient {
    /// Sends a POST with `body` and collects the whole response body (at most 1 MiB, enough
    /// for any receiver's answer), with the client's `http_config` applied as for `get`.
    ///
    /// - Parameters:
    ///   - headers: request headers (Content-Type, User-Agent, …).
    ///   - timeout: deadline for the whole exchange, response body included.
    /// - Returns: any status; callers decide which ones are errors.
    /// - Throws: `.timeout` past the deadline, `.transport` when connecting or sending fails,
    ///   `.credentials` when a secret file cannot be read.
    package func post(
        _ url: String, body: [UInt8], headers: [(name: String, value: String)] = [], timeout: Duration
    ) async throws(PharosHTTPClientError) -> HTTPFetchResponse {
        try await send("POST", url, body: body, headers: headers, timeout: timeout)
    }

    /// Sends `method` (GET, POST, PUT, …) with `body` (none when nil), as `post` does. An
    /// `Authorization` in `headers` is kept: the configured one is added only when the request
    /// has none, as Prometheus' round trippers do.
    package func send(
        _ method: String, _ url: String, body: [UInt8]?, headers: [(name: String, value: String)] = [], timeout: Duration
    ) async throws(PharosHTTPClientError) -> HTTPFetchResponse {
        let location = "\(method.prefix(1))\(method.dropFirst().lowercased()) \(goQuote(url))"
        var request = HTTPClientRequest(url: url)
        request.method = HTTPMethod(rawValue: method)
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if !request.headers.contains(name: "Authorization"), let authorization = try authorizationHeader(location: location) {
            request.headers.replaceOrAdd(name: "Authorization", value: authorization)
        }
        if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
        if url.lowercased().hasPrefix("https://") { request.tlsConfiguration = tls.configuration }
        return try await exchange(request, location: location, timeout: timeout, bodySizeLimit: 1 << 20)
    }
}
