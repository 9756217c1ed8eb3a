import PharosConfig
import PharosHTTPClient
import Testing

@Suite(.timeLimit(.minutes(5))) struct HTTPClientConfigTests {
    @Test(arguments: ["socks5://proxy:1080", "not a url", "http://"])
    func unsupportedProxyURLs(url: String) {
        var config = HTTPClientConfig()
        config.proxyURL = url
        #expect(throws: PharosHTTPClientError.self) { _ = try PharosHTTPClient(config: config) }
    }

    @Test func unreadableCAFile() {
        var config = HTTPClientConfig()
        config.tlsConfig.caFile = "/nonexistent/ca.pem"
        do {
            _ = try PharosHTTPClient(config: config)
            Issue.record("expected an error")
        } catch {
            #expect(error.kind == .config)
            #expect(error.description.hasPrefix("tls_config: cannot load certificates or key"))
        }
    }

    @Test func corruptPEMIsRejected() {
        var config = HTTPClientConfig()
        config.tlsConfig.ca = "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n"
        #expect(throws: PharosHTTPClientError.self) { _ = try PharosHTTPClient(config: config) }
    }

    @Test func plainProxyWithCredentialsIsAccepted() async throws {
        var config = HTTPClientConfig()
        config.proxyURL = "http://user:pass@127.0.0.1:3128"
        let client = try PharosHTTPClient(config: config)
        // Nothing listens on the proxy port: the request fails at the proxy, not at building.
        do {
            _ = try await client.get("http://127.0.0.1:1/metrics", timeout: .seconds(2))
            Issue.record("expected the proxy connection to fail")
        } catch {
            #expect(error.kind == .transport || error.kind == .timeout)
        }
        await client.shutdown()
    }

    @Test func missingPasswordFileFailsTheRequest() async throws {
        var config = HTTPClientConfig()
        config.basicAuth = .init(username: "u", passwordFile: "/nonexistent/password")
        let client = try PharosHTTPClient(config: config)
        do {
            _ = try await client.get("http://127.0.0.1:1/metrics", timeout: .seconds(1))
            Issue.record("expected an error")
        } catch {
            #expect(error.kind == .credentials)
            #expect(error.description == "Get \"http://127.0.0.1:1/metrics\": unable to read password_file \"/nonexistent/password\"")
        }
        await client.shutdown()
    }
}
