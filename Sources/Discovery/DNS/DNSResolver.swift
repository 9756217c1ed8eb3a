import Logging

/// Prometheus' `lookupWithSearchPath`: tries every name of the search list on every server.
///
/// - A name one server answers NOERROR for is the answer (possibly without records).
/// - When every name got NXDOMAIN (from some server), the answer is empty: the name does not exist.
/// - Otherwise (a name got only errors) it throws `.dnsRcode`, and the caller keeps what it had.
package struct DNSResolver: Sendable {
    package var configuration: ResolvConf
    package var client: DNSClient
    package var logger: Logger

    package init(configuration: ResolvConf, logger: Logger) {
        self.configuration = configuration
        client = DNSClient(timeout: configuration.timeout)
        self.logger = logger
    }

    package func lookup(_ name: String, type: DNSRecordType) async throws(DiscoveryError) -> [DNSRecord] {
        var allValid = true
        for candidate in configuration.nameList(name) {
            do {
                let response = try await lookupFromAnyServer(candidate, type: type)
                if response.rcode == DNSResponse.success { return response.answers }
            } catch {
                allValid = false
            }
        }
        if allValid { return [] }
        throw DiscoveryError(.dnsRcode, location: "dns \(name)",
                             "could not resolve \"\(name)\": all servers responded with errors to at least one search domain")
    }

    /// The first viable answer (NOERROR or NXDOMAIN) from the servers in order.
    private func lookupFromAnyServer(_ name: String, type: DNSRecordType) async throws(DiscoveryError) -> DNSResponse {
        for server in configuration.servers {
            for _ in 0..<max(configuration.attempts, 1) {
                do {
                    let response = try await client.exchange(name: name, type: type, server: server)
                    if response.rcode == DNSResponse.success || response.rcode == DNSResponse.nameError { return response }
                    break
                } catch {
                    logger.warning("DNS resolution failed", metadata: [
                        "dns.server": "\(server.host):\(server.port)", "dns.name": "\(name)", "error": "\(error)",
                    ])
                    if error.kind != .transport { break }
                }
            }
        }
        throw DiscoveryError(.dnsRcode, location: "dns \(name)", "could not resolve \(name): no servers returned a viable answer")
    }
}
