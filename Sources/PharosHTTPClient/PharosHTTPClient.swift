import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import NIOHTTPCompression
import PharosConfig
import PharosCore

/// An HTTP client that applies one Prometheus `http_config` to every request it sends.
///
/// One instance per distinct `http_config` (Prometheus keeps one client per scrape pool); it
/// owns an AsyncHTTPClient `HTTPClient` on the shared event loop group and must be ended with
/// `shutdown()`. Thread-safe: any number of tasks may call `get` at once.
///
/// Per request it:
/// - re-reads `password_file`, `username_file` and `credentials_file` / `bearer_token_file`
///   (trimmed of surrounding white space, as Prometheus), so rotated secrets apply at once;
/// - sends `Authorization` from basic_auth or authorization/bearer_token;
/// - sets the TLS settings from `tls_config` (ca, cert and key, insecure_skip_verify) — the
///   files are read when the client is made; `server_name` is not supported (logged at init);
/// - follows redirects when `follow_redirects` (at most 10, as Go's client);
/// - goes through `proxy_url` when it is a plain `http://[user:pass@]host:port` URL;
/// - decodes `Content-Encoding: gzip`/`deflate` bodies and aborts a body beyond the limit.
package final class PharosHTTPClient: Sendable {
    package let config: HTTPClientConfig
    let client: HTTPClient
    let tls: TLSSettings

    /// Builds the client; throws `.config` for unreadable TLS files or an unsupported proxy URL.
    package init(config: HTTPClientConfig, logger: Logger = Logger(label: "pharos.httpclient")) throws(PharosHTTPClientError) {
        self.config = config
        tls = try TLSSettings(config.tlsConfig)
        if let name = config.tlsConfig.serverName, !name.isEmpty {
            logger.info("tls_config.server_name is not supported; the request host is verified",
                        metadata: ["http.server_name": "\(name)"])
        }
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = config.followRedirects ? .follow(max: 10, allowCycles: false) : .disallow
        configuration.decompression = .enabled(limit: .none)
        configuration.httpVersion = config.enableHTTP2 ? .automatic : .http1Only
        if let proxy = config.proxyURL, !proxy.isEmpty {
            configuration.proxy = try Self.proxy(from: proxy)
        }
        client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }

    /// Stops the underlying client; requests after this fail with `.transport`. Calling it is
    /// best practice; a client dropped without it is shut down in the background by `deinit`.
    package func shutdown() async {
        try? await client.shutdown()
    }

    deinit {
        // Fire-and-forget: AsyncHTTPClient asserts in debug builds when a client dies running.
        _ = client.shutdown()
    }

    /// Sends a GET and collects the whole body.
    ///
    /// - Parameters:
    ///   - headers: extra request headers (Accept, Accept-Encoding, User-Agent, …).
    ///   - timeout: deadline for the whole exchange, body included.
    ///   - bodySizeLimit: maximum decompressed body size in bytes; nil or ≤ 0 means none.
    /// - Returns: any status; callers decide which ones are errors.
    package func get(
        _ url: String, headers: [(name: String, value: String)] = [], timeout: Duration, bodySizeLimit: Int? = nil
    ) async throws(PharosHTTPClientError) -> HTTPFetchResponse {
        let location = "Get \(goQuote(url))"
        var request = HTTPClientRequest(url: url)
        request.method = .GET
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let authorization = try authorizationHeader(location: location) {
            request.headers.replaceOrAdd(name: "Authorization", value: authorization)
        }
        if url.lowercased().hasPrefix("https://") { request.tlsConfiguration = tls.configuration }
        let limit = (bodySizeLimit ?? 0) > 0 ? bodySizeLimit! : Int.max
        return try await exchange(request, location: location, timeout: timeout, bodySizeLimit: limit)
    }

    /// Sends `request` and collects the whole response, all within `timeout`: AsyncHTTPClient's
    /// deadline ends when the response head arrives, so the body is cut by racing the whole
    /// exchange against `timeout`, as Go's context deadline does. Errors in Go's words.
    func exchange(_ request: HTTPClientRequest, location: String, timeout: Duration,
                  bodySizeLimit limit: Int) async throws(PharosHTTPClientError) -> HTTPFetchResponse {
        let deadline = ContinuousClock.now + timeout
        let nioDeadline = NIODeadline.now() + TimeAmount.nanoseconds(Self.nanoseconds(timeout))
        let client = self.client
        do {
            let prepared = request
            let response = try await Self.withDeadline(deadline) { () async throws -> HTTPFetchResponse in
                let response = try await client.execute(prepared, deadline: nioDeadline)
                let buffer = try await response.body.collect(upTo: limit)
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

    /// Runs `operation` until `deadline`: its result, or nil when the deadline came first (the
    /// operation is then cancelled, which makes AsyncHTTPClient abort the request and its body).
    static func withDeadline<T: Sendable>(
        _ deadline: ContinuousClock.Instant, _ operation: @escaping @Sendable () async throws -> T
    ) async throws -> T? {
        try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await operation() }
            group.addTask {
                try await Task.sleep(until: deadline, clock: .continuous)
                return nil
            }
            defer { group.cancelAll() }
            return try await group.next() ?? nil
        }
    }

    /// The `Authorization` value for the next request, reading secret files afresh.
    func authorizationHeader(location: String) throws(PharosHTTPClientError) -> String? {
        if let basic = config.basicAuth {
            var username = basic.username, password = basic.password ?? ""
            if let path = basic.usernameFile { username = try Self.readSecret(path, key: "username_file", location: location) }
            if let path = basic.passwordFile { password = try Self.readSecret(path, key: "password_file", location: location) }
            return "Basic " + Data("\(username):\(password)".utf8).base64EncodedString()
        }
        if let auth = config.authorization {
            var credentials = auth.credentials ?? ""
            if let path = auth.credentialsFile {
                credentials = try Self.readSecret(path, key: "credentials_file", location: location)
            }
            return "\(auth.type.isEmpty ? "Bearer" : auth.type) \(credentials)"
        }
        return nil
    }

    static func readSecret(_ path: String, key: String, location: String) throws(PharosHTTPClientError) -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw PharosHTTPClientError(.credentials, location: location, "unable to read \(key) \(goQuote(path))")
        }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func proxy(from text: String) throws(PharosHTTPClientError) -> HTTPClient.Configuration.Proxy {
        guard let components = URLComponents(string: text), components.scheme?.lowercased() == "http",
              let host = components.host, !host.isEmpty
        else {
            throw PharosHTTPClientError(.config, location: "proxy_url",
                                        "unsupported proxy URL \(goQuote(text)) (use http://[user:pass@]host:port)")
        }
        let port = components.port ?? 80
        if let user = components.user {
            return .server(host: host, port: port,
                           authorization: .basic(username: user, password: components.password ?? ""))
        }
        return .server(host: host, port: port)
    }

    static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}

