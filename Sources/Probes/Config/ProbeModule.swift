import PharosConfig
import PharosCore

/// One module of blackbox_exporter 0.23's `blackbox.yml` (`modules: {name: module}`), plus
/// Pharos' own probers. A plain value decoded with blackbox's defaults (`config/config.go`).
package struct ProbeModule: Sendable, Hashable {
    package var prober = ""
    /// Zero: no module timeout (the scrape's timeout header, or 120 s, decides).
    package var timeout = PrometheusDuration(milliseconds: 0)
    package var http = HTTPProbeConfig()
    package var tcp = TCPProbeConfig()
    package var icmp = ICMPProbeConfig()
    package var dns = DNSProbeConfig()
    package var grpc = GRPCProbeConfig()
    package var postgres = PostgresProbeConfig()
    package var redis = RedisProbeConfig()
    package var tls = TLSProbeConfig()
    package var disk = DiskProbeConfig()
    package var memory = MemoryProbeConfig()
    /// The module as written, for `debug=true`'s "Module configuration" section.
    package var source: YAMLNode?

    package init() {}
}

/// A compiled Go regexp that remembers its text (blackbox's `config.Regexp`).
package struct ProbeRegexp: Sendable, Hashable, CustomStringConvertible {
    package var regex: RE2Regex
    package var description: String { regex.pattern }
    package init(_ pattern: String) throws(RE2Error) { regex = try RE2Regex(pattern) }
}

/// `fail_if_header_matches` / `fail_if_header_not_matches` entries.
package struct HeaderMatch: Sendable, Hashable {
    package var header = ""
    package var regexp: ProbeRegexp
    package var allowMissing = false
}

package struct HTTPProbeConfig: Sendable, Hashable {
    /// Empty: any 2xx.
    package var validStatusCodes: [Int] = []
    package var validHTTPVersions: [String] = []
    package var ipProtocol = ""
    package var ipProtocolFallback = true
    package var skipResolvePhaseWithProxy = false
    package var failIfSSL = false
    package var failIfNotSSL = false
    package var method = ""
    /// In document order; Go's map order does not matter for a request.
    package var headers: [(String, String)] = []
    package var failIfBodyMatchesRegexp: [ProbeRegexp] = []
    package var failIfBodyNotMatchesRegexp: [ProbeRegexp] = []
    package var failIfHeaderMatches: [HeaderMatch] = []
    package var failIfHeaderNotMatches: [HeaderMatch] = []
    package var body = ""
    package var client = HTTPClientConfig()
    package var compression = ""
    /// Zero: no limit.
    package var bodySizeLimit: Int64 = 0

    package init() {}

    package static func == (a: Self, b: Self) -> Bool {
        a.validStatusCodes == b.validStatusCodes && a.validHTTPVersions == b.validHTTPVersions && a.ipProtocol == b.ipProtocol
            && a.ipProtocolFallback == b.ipProtocolFallback && a.failIfSSL == b.failIfSSL && a.failIfNotSSL == b.failIfNotSSL
            && a.method == b.method && a.headers.map { [$0.0, $0.1] } == b.headers.map { [$0.0, $0.1] }
            && a.failIfBodyMatchesRegexp == b.failIfBodyMatchesRegexp && a.failIfBodyNotMatchesRegexp == b.failIfBodyNotMatchesRegexp
            && a.failIfHeaderMatches == b.failIfHeaderMatches && a.failIfHeaderNotMatches == b.failIfHeaderNotMatches
            && a.body == b.body && a.client == b.client && a.compression == b.compression && a.bodySizeLimit == b.bodySizeLimit
            && a.skipResolvePhaseWithProxy == b.skipResolvePhaseWithProxy
    }

    package func hash(into hasher: inout Hasher) {
        hasher.combine(validStatusCodes)
        hasher.combine(method)
        hasher.combine(body)
    }
}

package struct QueryResponse: Sendable, Hashable {
    package var expect: ProbeRegexp?
    package var send = ""
    package var startTLS = false
}

package struct TCPProbeConfig: Sendable, Hashable {
    package var ipProtocol = ""
    package var ipProtocolFallback = true
    package var sourceIPAddress = ""
    package var queryResponse: [QueryResponse] = []
    package var tls = false
    package var tlsConfig = HTTPClientConfig.TLSConfig()
    package init() {}
}

package struct ICMPProbeConfig: Sendable, Hashable {
    package var ipProtocol = ""
    package var ipProtocolFallback = true
    package var sourceIPAddress = ""
    package var payloadSize = 0
    package var dontFragment = false
    package var ttl = 64
    package init() {}
}

package struct DNSRRValidator: Sendable, Hashable {
    package var failIfMatchesRegexp: [ProbeRegexp] = []
    package var failIfAllMatchRegexp: [ProbeRegexp] = []
    package var failIfNotMatchesRegexp: [ProbeRegexp] = []
    package var failIfNoneMatchesRegexp: [ProbeRegexp] = []
    package init() {}
}

package struct DNSProbeConfig: Sendable, Hashable {
    package var ipProtocol = ""
    package var ipProtocolFallback = true
    package var dnsOverTLS = false
    package var tlsConfig = HTTPClientConfig.TLSConfig()
    package var sourceIPAddress = ""
    /// "" is udp.
    package var transportProtocol = ""
    package var queryClass = ""
    package var queryName = ""
    package var queryType = ""
    package var recursionDesired = true
    /// nil: only NOERROR.
    package var validRcodes: [String]?
    package var validateAnswer = DNSRRValidator()
    package var validateAuthority = DNSRRValidator()
    package var validateAdditional = DNSRRValidator()
    package init() {}
}

package struct GRPCProbeConfig: Sendable, Hashable {
    package var service = ""
    package var tls = false
    package var tlsConfig = HTTPClientConfig.TLSConfig()
    package var ipProtocolFallback = true
    package var preferredIPProtocol = ""
    package init() {}
}

/// Pharos: connect to PostgreSQL and run `query` (target `host:port` or a `postgres://` URL).
package struct PostgresProbeConfig: Sendable, Hashable {
    package var username = "postgres"
    package var password: String?
    package var database: String?
    package var query = "SELECT 1"
    package var tls = false
    package var tlsConfig = HTTPClientConfig.TLSConfig()
    package init() {}
}

/// Pharos: `PING` a Redis server (after `AUTH` when a password is set).
package struct RedisProbeConfig: Sendable, Hashable {
    package var username: String?
    package var password: String?
    package var tls = false
    package var tlsConfig = HTTPClientConfig.TLSConfig()
    package init() {}
}

/// Pharos: a TLS handshake with `host:port`; fails under `min_days_left` days of validity.
package struct TLSProbeConfig: Sendable, Hashable {
    package var minDaysLeft = 0.0
    package var tlsConfig = HTTPClientConfig.TLSConfig()
    package var ipProtocol = ""
    package var ipProtocolFallback = true
    package init() {}
}

/// Pharos: free space of the file system holding the target path.
package struct DiskProbeConfig: Sendable, Hashable {
    package var minFreePercent = 0.0
    package var minFreeBytes: Int64 = 0
    package init() {}
}

/// Pharos: the machine's available memory (`/proc/meminfo`).
package struct MemoryProbeConfig: Sendable, Hashable {
    package var minAvailablePercent = 0.0
    package var minAvailableBytes: Int64 = 0
    package init() {}
}
