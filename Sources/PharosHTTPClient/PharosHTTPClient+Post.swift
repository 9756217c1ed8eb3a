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
        let location = "Post \(goQuote(url))"
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let authorization = try authorizationHeader(location: location) {
            request.headers.replaceOrAdd(name: "Authorization", value: authorization)
        }
        request.body = .bytes(ByteBuffer(bytes: body))
        if url.lowercased().hasPrefix("https://") { request.tlsConfiguration = tls.configuration }
        let deadline = ContinuousClock.now + timeout
        let nioDeadline = NIODeadline.now() + TimeAmount.nanoseconds(Self.nanoseconds(timeout))
        let client = self.client
        do {
            let prepared = request
            let response = try await Self.withDeadline(deadline) { () async throws -> HTTPFetchResponse in
                let response = try await client.execute(prepared, deadline: nioDeadline)
                let buffer = try await response.body.collect(upTo: 1 << 20)
                let status = Int(response.status.code)
                return HTTPFetchResponse(
                    status: status, statusLine: "\(status) \(response.status.reasonPhrase)",
                    headers: response.headers.map { ($0.name, $0.value) },
                    body: Array(buffer.readableBytesView))
            }
            guard let response else {
                throw PharosHTTPClientError(.timeout, location: location, "context deadline exceeded")
            }
            return response
        } catch let error as PharosHTTPClientError {
            throw error
        } catch let error as NIOTooManyBytesError {
            _ = error
            throw PharosHTTPClientError(.bodySizeLimit, location: location, "body size limit exceeded")
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout {
            throw PharosHTTPClientError(.timeout, location: location, "context deadline exceeded")
        } catch {
            if ContinuousClock.now >= deadline {
                throw PharosHTTPClientError(.timeout, location: location, "context deadline exceeded")
            }
            throw PharosHTTPClientError(.transport, location: location, "\(error)")
        }
    }
}
