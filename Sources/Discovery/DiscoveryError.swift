/// The one error type of the Discovery module.
///
/// `description` is one line, `where: what`, e.g.
/// `http_sd http://sd.example/targets: server returned HTTP status 500 Internal Server Error`,
/// `dns _api._tcp.example.com: response truncated at byte 12 (header needs 12 bytes, got 7)` or
/// `kubernetes pods: watch: cannot parse event line 3: …`. Discoverers log and count these; they
/// never stop a discoverer (the previous groups stay).
package struct DiscoveryError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong; extensible without breaking callers (switch with a default).
    package struct Kind: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case config, transport, httpStatus, parse, dnsFormat, dnsRcode, truncated, gone
        }
        private let base: Base
        /// A discoverer cannot be built from its config (unreadable kubeconfig, no in-cluster
        /// environment, bad TLS files).
        package static let config = Kind(base: .config)
        /// Connecting, sending or receiving failed, or timed out.
        package static let transport = Kind(base: .transport)
        /// An HTTP answer with an unexpected status.
        package static let httpStatus = Kind(base: .httpStatus)
        /// A body (JSON, a watch line, a file) is malformed.
        package static let parse = Kind(base: .parse)
        /// A DNS message is malformed (bad lengths, truncated, compression loops).
        package static let dnsFormat = Kind(base: .dnsFormat)
        /// Every DNS server answered with an error code for at least one name.
        package static let dnsRcode = Kind(base: .dnsRcode)
        /// A DNS answer was truncated over TCP (64 KiB exceeded).
        package static let truncated = Kind(base: .truncated)
        /// The Kubernetes API answered 410 Gone: the resource version is too old; relist.
        package static let gone = Kind(base: .gone)
        package var description: String { base.rawValue }
    }

    package var kind: Kind
    /// Where: the mechanism and its subject (`http_sd <url>`, `dns <name>`, `kubernetes pods`).
    package var location: String
    package var message: String

    package init(_ kind: Kind, location: String = "", _ message: String) {
        self.kind = kind
        self.location = location
        self.message = message
    }

    package var description: String { location.isEmpty ? message : "\(location): \(message)" }
}
