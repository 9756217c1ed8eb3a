import Foundation
import PharosConfig
import PharosCore

/// Decoding of blackbox.yml modules with positions: unknown keys are refused with the key's
/// path (yaml.v3 `KnownFields(true)`), and each validation blackbox 0.23 runs at load time
/// fails at the offending node.
extension ProbeModule {
    /// The modules of a `modules:` mapping, in document order.
    package static func decodeModules(_ cursor: ConfigCursor) throws(ConfigError) -> [(String, ProbeModule)] {
        guard case .mapping(let pairs) = cursor.node.kind else {
            if cursor.isNull { return [] }
            throw cursor.fail("expected a mapping of module names to modules, got \(cursor.node.kindName)")
        }
        var out: [(String, ProbeModule)] = []
        for pair in pairs { out.append((pair.key, try decode(cursor.child(pair.key, pair.value)))) }
        return out
    }

    package static func decode(_ cursor: ConfigCursor) throws(ConfigError) -> ProbeModule {
        var module = ProbeModule()
        module.source = cursor.node
        let fields = try cursor.mapping("config.plain")
        module.prober = try fields.string("prober") ?? ""
        if let node = fields.take("timeout") { module.timeout = try node.goDuration() }
        if let node = fields.take("http") { module.http = try HTTPProbeConfig.decode(node) }
        if let node = fields.take("tcp") { module.tcp = try TCPProbeConfig.decode(node) }
        if let node = fields.take("icmp") { module.icmp = try ICMPProbeConfig.decode(node) }
        if let node = fields.take("dns") { module.dns = try DNSProbeConfig.decode(node) }
        if let node = fields.take("grpc") { module.grpc = try GRPCProbeConfig.decode(node) }
        if let node = fields.take("postgres") { module.postgres = try PostgresProbeConfig.decode(node) }
        if let node = fields.take("redis") { module.redis = try RedisProbeConfig.decode(node) }
        if let node = fields.take("tls") { module.tls = try TLSProbeConfig.decode(node) }
        if let node = fields.take("disk") { module.disk = try DiskProbeConfig.decode(node) }
        if let node = fields.take("memory") { module.memory = try MemoryProbeConfig.decode(node) }
        try fields.finish()
        if !module.prober.isEmpty, !ProbeModule.probers.contains(module.prober), let node = fields.take("prober") {
            throw node.fail("unknown prober \(goQuote(module.prober)) (use \(ProbeModule.probers.joined(separator: ", ")))")
        }
        return module
    }

    /// blackbox_exporter's probers, then Pharos' own.
    package static let probers = ["http", "tcp", "icmp", "dns", "grpc", "postgres", "redis", "tls", "disk", "memory"]
}

extension ConfigCursor {
    /// Go's `time.ParseDuration` (yaml.v3 decodes `time.Duration` with it), plus Prometheus'
    /// `d`, `w`, `y` units.
    package func goDuration() throws(ConfigError) -> PrometheusDuration {
        let text = try string()
        if let prometheus = try? PrometheusDuration(parsing: text) { return prometheus }
        if let seconds = parseGoDuration(text) { return PrometheusDuration(milliseconds: Int64((seconds * 1000).rounded())) }
        throw fail("time: invalid duration \(goQuote(text))")
    }

    func regexps() throws(ConfigError) -> [ProbeRegexp] {
        var out: [ProbeRegexp] = []
        for item in try sequence() { out.append(try item.regexp()) }
        return out
    }

    func regexp() throws(ConfigError) -> ProbeRegexp {
        let text = try string()
        do { return try ProbeRegexp(text) } catch {
            throw fail("\"Could not compile regular expression\" regexp=\"\(text)\"")
        }
    }

    func intList() throws(ConfigError) -> [Int] {
        var out: [Int] = []
        for item in try sequence() { out.append(try item.int()) }
        return out
    }

    func double() throws(ConfigError) -> Double {
        let text = try string()
        guard let value = Double(text) else { throw fail("cannot parse \(goQuote(text)) as a number") }
        return value
    }

    func bytes() throws(ConfigError) -> Int64 {
        let text = try string()
        if let plain = Int64(text) { return plain }
        do { return try ByteSize(parsing: text).bytes } catch { throw fail(error.description) }
    }

    func tlsConfig() throws(ConfigError) -> HTTPClientConfig.TLSConfig { try HTTPClientConfig.decodeTLS(self) }
}

/// `1.5s`, `300ms`, `1h2m3.5s`: seconds, or nil when not Go's duration syntax.
func parseGoDuration(_ text: String) -> Double? {
    var rest = Substring(text)
    var total = 0.0
    var negative = false
    if rest.first == "-" || rest.first == "+" { negative = rest.first == "-"; rest = rest.dropFirst() }
    if rest == "0" { return 0 }
    if rest.isEmpty { return nil }
    let units: [(String, Double)] = [("ns", 1e-9), ("us", 1e-6), ("µs", 1e-6), ("ms", 1e-3), ("s", 1), ("m", 60), ("h", 3600)]
    while !rest.isEmpty {
        let number = rest.prefix { $0.isNumber || $0 == "." }
        guard !number.isEmpty, let value = Double(number) else { return nil }
        rest = rest.dropFirst(number.count)
        guard let unit = units.first(where: { rest.hasPrefix($0.0) && !(($0.0 == "m") && rest.hasPrefix("ms")) }) else { return nil }
        rest = rest.dropFirst(unit.0.count)
        total += value * unit.1
    }
    return negative ? -total : total
}

extension HTTPProbeConfig {
    static func decode(_ cursor: ConfigCursor) throws(ConfigError) -> HTTPProbeConfig {
        var config = HTTPProbeConfig()
        let fields = try cursor.mapping("config.plain")
        config.validStatusCodes = try fields.take("valid_status_codes")?.intList() ?? []
        config.validHTTPVersions = try fields.stringList("valid_http_versions") ?? []
        config.ipProtocol = try fields.string("preferred_ip_protocol") ?? ""
        config.ipProtocolFallback = try fields.bool("ip_protocol_fallback") ?? true
        config.skipResolvePhaseWithProxy = try fields.bool("skip_resolve_phase_with_proxy") ?? false
        let noFollow = try fields.bool("no_follow_redirects")
        config.failIfSSL = try fields.bool("fail_if_ssl") ?? false
        config.failIfNotSSL = try fields.bool("fail_if_not_ssl") ?? false
        config.method = try fields.string("method") ?? ""
        config.headers = try fields.take("headers")?.stringPairs() ?? []
        config.failIfBodyMatchesRegexp = try fields.take("fail_if_body_matches_regexp")?.regexps() ?? []
        config.failIfBodyNotMatchesRegexp = try fields.take("fail_if_body_not_matches_regexp")?.regexps() ?? []
        config.failIfHeaderMatches = try fields.take("fail_if_header_matches")?.sequence().map { item throws(ConfigError) in try HeaderMatch.decode(item) } ?? []
        config.failIfHeaderNotMatches = try fields.take("fail_if_header_not_matches")?.sequence().map { item throws(ConfigError) in try HeaderMatch.decode(item) } ?? []
        config.body = try fields.string("body") ?? ""
        config.compression = try fields.string("compression") ?? ""
        if let node = fields.take("body_size_limit") {
            config.bodySizeLimit = try node.bytes()
            if config.bodySizeLimit < 0 || config.bodySizeLimit == Int64.max { config.bodySizeLimit = Int64.max - 1 }
        }
        config.client = try HTTPClientConfig.decode(from: fields)
        try fields.finish()
        if let noFollow { config.client.followRedirects = !noFollow }
        for (key, value) in config.headers where canonicalHeaderKey(key) == "Accept-Encoding" {
            if !isCompressionAcceptEncodingValid(config.compression, value) {
                throw cursor.fail(.invalidConfig, "invalid configuration \"\(key): \(value)\", \"compression: \(config.compression)\"")
            }
        }
        return config
    }
}

extension HeaderMatch {
    static func decode(_ cursor: ConfigCursor) throws(ConfigError) -> HeaderMatch {
        let fields = try cursor.mapping("config.plain")
        let header = try fields.string("header") ?? ""
        let regexp = try fields.take("regexp")?.regexp()
        let allowMissing = try fields.bool("allow_missing") ?? false
        try fields.finish()
        if header.isEmpty { throw cursor.fail(.invalidConfig, "header name must be set for HTTP header matchers") }
        guard let regexp, !regexp.regex.pattern.isEmpty else {
            throw cursor.fail(.invalidConfig, "regexp must be set for HTTP header matchers")
        }
        return HeaderMatch(header: header, regexp: regexp, allowMissing: allowMissing)
    }
}

extension TCPProbeConfig {
    static func decode(_ cursor: ConfigCursor) throws(ConfigError) -> TCPProbeConfig {
        var config = TCPProbeConfig()
        let fields = try cursor.mapping("config.plain")
        config.ipProtocol = try fields.string("preferred_ip_protocol") ?? ""
        config.ipProtocolFallback = try fields.bool("ip_protocol_fallback") ?? true
        config.sourceIPAddress = try fields.string("source_ip_address") ?? ""
        for item in try fields.take("query_response")?.sequence() ?? [] {
            let entry = try item.mapping("config.plain")
            var qr = QueryResponse()
            qr.expect = try entry.take("expect")?.regexp()
            qr.send = try entry.string("send") ?? ""
            qr.startTLS = try entry.bool("starttls") ?? false
            try entry.finish()
            config.queryResponse.append(qr)
        }
        config.tls = try fields.bool("tls") ?? false
        if let node = fields.take("tls_config") { config.tlsConfig = try node.tlsConfig() }
        try fields.finish()
        return config
    }
}

extension ICMPProbeConfig {
    static func decode(_ cursor: ConfigCursor) throws(ConfigError) -> ICMPProbeConfig {
        var config = ICMPProbeConfig()
        let fields = try cursor.mapping("config.plain")
        config.ipProtocol = try fields.string("preferred_ip_protocol") ?? ""
        config.ipProtocolFallback = try fields.bool("ip_protocol_fallback") ?? true
        config.sourceIPAddress = try fields.string("source_ip_address") ?? ""
        config.payloadSize = try fields.int("payload_size") ?? 0
        config.dontFragment = try fields.bool("dont_fragment") ?? false
        if let node = fields.take("ttl") {
            config.ttl = try node.int()
            if config.ttl < 0 { throw node.fail(.invalidConfig, "\"ttl\" cannot be negative") }
            if config.ttl > 255 { throw node.fail(.invalidConfig, "\"ttl\" cannot exceed 255") }
        }
        try fields.finish()
        return config
    }
}

extension DNSRRValidator {
    static func decode(_ cursor: ConfigCursor) throws(ConfigError) -> DNSRRValidator {
        var config = DNSRRValidator()
        let fields = try cursor.mapping("config.plain")
        config.failIfMatchesRegexp = try fields.take("fail_if_matches_regexp")?.regexps() ?? []
        config.failIfAllMatchRegexp = try fields.take("fail_if_all_match_regexp")?.regexps() ?? []
        config.failIfNotMatchesRegexp = try fields.take("fail_if_not_matches_regexp")?.regexps() ?? []
        config.failIfNoneMatchesRegexp = try fields.take("fail_if_none_matches_regexp")?.regexps() ?? []
        try fields.finish()
        return config
    }
}

extension DNSProbeConfig {
    static func decode(_ cursor: ConfigCursor) throws(ConfigError) -> DNSProbeConfig {
        var config = DNSProbeConfig()
        let fields = try cursor.mapping("config.plain")
        config.ipProtocol = try fields.string("preferred_ip_protocol") ?? ""
        config.ipProtocolFallback = try fields.bool("ip_protocol_fallback") ?? true
        config.dnsOverTLS = try fields.bool("dns_over_tls") ?? false
        if let node = fields.take("tls_config") { config.tlsConfig = try node.tlsConfig() }
        config.sourceIPAddress = try fields.string("source_ip_address") ?? ""
        config.transportProtocol = try fields.string("transport_protocol") ?? ""
        config.queryClass = try fields.string("query_class") ?? ""
        config.queryName = try fields.string("query_name") ?? ""
        config.queryType = try fields.string("query_type") ?? ""
        config.recursionDesired = try fields.bool("recursion_desired") ?? true
        config.validRcodes = try fields.stringList("valid_rcodes")
        if let node = fields.take("validate_answer_rrs") { config.validateAnswer = try DNSRRValidator.decode(node) }
        if let node = fields.take("validate_authority_rrs") { config.validateAuthority = try DNSRRValidator.decode(node) }
        if let node = fields.take("validate_additional_rrs") { config.validateAdditional = try DNSRRValidator.decode(node) }
        try fields.finish()
        if config.queryName.isEmpty { throw cursor.fail(.invalidConfig, "query name must be set for DNS module") }
        if !config.queryClass.isEmpty, DNSWire.classCode(config.queryClass) == nil, let node = fields.take("query_class") {
            throw node.fail(.invalidConfig, "query class '\(config.queryClass)' is not valid")
        }
        if !config.queryType.isEmpty, DNSWire.typeCode(config.queryType) == nil, let node = fields.take("query_type") {
            throw node.fail(.invalidConfig, "query type '\(config.queryType)' is not valid")
        }
        return config
    }
}

extension GRPCProbeConfig {
    static func decode(_ cursor: ConfigCursor) throws(ConfigError) -> GRPCProbeConfig {
        var config = GRPCProbeConfig()
        let fields = try cursor.mapping("config.plain")
        config.service = try fields.string("service") ?? ""
        config.tls = try fields.bool("tls") ?? false
        if let node = fields.take("tls_config") { config.tlsConfig = try node.tlsConfig() }
        config.ipProtocolFallback = try fields.bool("ip_protocol_fallback") ?? true
        config.preferredIPProtocol = try fields.string("preferred_ip_protocol") ?? ""
        try fields.finish()
        return config
    }
}

extension PostgresProbeConfig {
    static func decode(_ cursor: ConfigCursor) throws(ConfigError) -> PostgresProbeConfig {
        var config = PostgresProbeConfig()
        let fields = try cursor.mapping("postgres")
        config.username = try fields.string("username") ?? "postgres"
        config.password = try fields.string("password")
        if let file = try fields.filePath("password_file") {
            do { config.password = try String(contentsOfFile: file, encoding: .utf8).trimmingTrailingNewlines() } catch {
                throw fields.take("password_file")!.fail(.io, "cannot read \(file): \(error)")
            }
        }
        config.database = try fields.string("database")
        config.query = try fields.string("query") ?? "SELECT 1"
        config.tls = try fields.bool("tls") ?? false
        if let node = fields.take("tls_config") { config.tlsConfig = try node.tlsConfig() }
        try fields.finish()
        return config
    }
}

extension RedisProbeConfig {
    static func decode(_ cursor: ConfigCursor) throws(ConfigError) -> RedisProbeConfig {
        var config = RedisProbeConfig()
        let fields = try cursor.mapping("redis")
        config.username = try fields.string("username")
        config.password = try fields.string("password")
        if let file = try fields.filePath("password_file") {
            do { config.password = try String(contentsOfFile: file, encoding: .utf8).trimmingTrailingNewlines() } catch {
                throw fields.take("password_file")!.fail(.io, "cannot read \(file): \(error)")
            }
        }
        config.tls = try fields.bool("tls") ?? false
        if let node = fields.take("tls_config") { config.tlsConfig = try node.tlsConfig() }
        try fields.finish()
        return config
    }
}

extension TLSProbeConfig {
    static func decode(_ cursor: ConfigCursor) throws(ConfigError) -> TLSProbeConfig {
        var config = TLSProbeConfig()
        let fields = try cursor.mapping("tls")
        config.minDaysLeft = try fields.take("min_days_left")?.double() ?? 0
        if let node = fields.take("tls_config") { config.tlsConfig = try node.tlsConfig() }
        config.ipProtocol = try fields.string("preferred_ip_protocol") ?? ""
        config.ipProtocolFallback = try fields.bool("ip_protocol_fallback") ?? true
        try fields.finish()
        return config
    }
}

extension DiskProbeConfig {
    static func decode(_ cursor: ConfigCursor) throws(ConfigError) -> DiskProbeConfig {
        var config = DiskProbeConfig()
        let fields = try cursor.mapping("disk")
        if let node = fields.take("min_free_percent") {
            config.minFreePercent = try node.double()
            if !(0...100).contains(config.minFreePercent) { throw node.fail("min_free_percent must be between 0 and 100") }
        }
        config.minFreeBytes = try fields.take("min_free_bytes")?.bytes() ?? 0
        try fields.finish()
        return config
    }
}

extension MemoryProbeConfig {
    static func decode(_ cursor: ConfigCursor) throws(ConfigError) -> MemoryProbeConfig {
        var config = MemoryProbeConfig()
        let fields = try cursor.mapping("memory")
        if let node = fields.take("min_available_percent") {
            config.minAvailablePercent = try node.double()
            if !(0...100).contains(config.minAvailablePercent) { throw node.fail("min_available_percent must be between 0 and 100") }
        }
        config.minAvailableBytes = try fields.take("min_available_bytes")?.bytes() ?? 0
        try fields.finish()
        return config
    }
}

extension String {
    func trimmingTrailingNewlines() -> String {
        var text = self
        while text.last == "\n" || text.last == "\r" { text.removeLast() }
        return text
    }
}

/// Go's `textproto.CanonicalMIMEHeaderKey` for ASCII keys: `content-type` → `Content-Type`.
func canonicalHeaderKey(_ key: String) -> String {
    var upper = true
    var out = ""
    for character in key {
        out += upper ? character.uppercased() : character.lowercased()
        upper = character == "-"
    }
    return out
}

/// blackbox's `isCompressionAcceptEncodingValid`.
func isCompressionAcceptEncodingValid(_ encoding: String, _ acceptEncoding: String) -> Bool {
    if encoding.isEmpty || acceptEncoding.isEmpty { return true }
    var encodings: [(String, Double)] = []
    for part in acceptEncoding.split(separator: ",", omittingEmptySubsequences: false) {
        if let semicolon = part.lastIndex(of: ";") {
            var quality = part[part.index(after: semicolon)...].trimmingCharacters(in: .whitespaces)
            if quality.hasPrefix("q=") { quality.removeFirst(2) }
            encodings.append((part[..<semicolon].trimmingCharacters(in: .whitespaces), ((Double(quality) ?? 0) * 1000).rounded() / 1000))
        } else {
            encodings.append((part.trimmingCharacters(in: .whitespaces), 1))
        }
    }
    let sorted = encodings.enumerated().sorted { $0.element.1 != $1.element.1 ? $0.element.1 > $1.element.1 : $0.offset < $1.offset }
    for (_, entry) in sorted where entry.0 == encoding || entry.0 == "*" { return entry.1 > 0 }
    return false
}
