import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import PharosCore

extension PharosHTTPClient {
    /// Sends a POST with `body` and collects the response (at most `bodySizeLimit` bytes, the
    /// rest is cut), applying the client's `http_config` as `get` does.
    ///
    /// - Returns: any status; callers decide which ones are errors.
    /// - Throws: `.timeout` past `timeout`, `.transport` for connection failures, `.credentials`
    ///   for unreadable secret files.
    package func post(
        _ url: String, body: [UInt8], headers: [(name: String, value: String)] = [], timeout: Duration,
        bodySizeLimit: Int = 1 << 20
    ) async throws(PharosHTTPClientError) -> HTTPFetchResponse {
        let location = "Post \(goQuote(url))"
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let authorization = try authorizationHeader(location: location) {
            request.headers.replaceOrAdd(name: "Authorization", value: authorization)
        }
        if url.lowercased().hasPrefix("https://") { request.tlsConfiguration = tls.configuration }
        request.body = .bytes(ByteBuffer(bytes: body))
        let deadline = ContinuousClock.now + timeout
        let nioDeadline = NIODeadline.now() + TimeAmount.nanoseconds(Self.nanoseconds(timeout))
        let client = self.client
        do {
            let prepared = request
            let response = try await Self.withDeadline(deadline) { () async throws -> HTTPFetchResponse in
                let response = try await client.execute(prepared, deadline: nioDeadline)
                var collected: [UInt8] = []
                for try await chunk in response.body where collected.count < bodySizeLimit {
                    collected += chunk.readableBytesView.prefix(bodySizeLimit - collected.count)
                }
                let status = Int(response.status.code)
                return HTTPFetchResponse(status: status, statusLine: "\(status) \(response.status.reasonPhrase)",
                                         headers: response.headers.map { ($0.name, $0.value) }, body: collected)
            }
            guard let response else { throw PharosHTTPClientError(.timeout, location: location, "context deadline exceeded") }
            return response
        } catch let error as PharosHTTPClientError {
            throw error
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
