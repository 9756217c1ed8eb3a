/// The one error type of PharosHTTPClient.
///
/// `description` is one line, `where: what: why`, e.g.
/// `Get "http://10.0.0.5:9100/metrics": context deadline exceeded` (the Go client's wording,
/// which Prometheus shows as a target's last error) or `tls_config: cannot read ca_file "/x": …`.
package struct PharosHTTPClientError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong; extensible without breaking callers (switch with a default).
    package struct Kind: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case config, credentials, transport, timeout, bodySizeLimit
        }
        private let base: Base
        /// The http_config cannot be turned into a client (TLS files, proxy URL).
        package static let config = Kind(base: .config)
        /// A credentials or password file could not be read at request time.
        package static let credentials = Kind(base: .credentials)
        /// Connecting, sending or receiving failed.
        package static let transport = Kind(base: .transport)
        /// The request did not complete before its timeout.
        package static let timeout = Kind(base: .timeout)
        /// The (decompressed) body was larger than the configured limit; the read was aborted.
        package static let bodySizeLimit = Kind(base: .bodySizeLimit)
        package var description: String { base.rawValue }
    }

    package var kind: Kind
    /// Where: the request (`Get "url"`) or the config key.
    package var location: String
    package var message: String

    package init(_ kind: Kind, location: String, _ message: String) {
        self.kind = kind
        self.location = location
        self.message = message
    }

    package var description: String { location.isEmpty ? message : "\(location): \(message)" }
}
