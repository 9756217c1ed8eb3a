import PharosCore

/// A `dns_sd_configs` entry (Prometheus' `discovery/dns.SDConfig`): names looked up every
/// `refreshInterval` for records of one type.
package struct DNSSDConfig: Sendable, Hashable {
    /// The record type asked for. SRV answers carry their own port; the others use `port`.
    package enum RecordType: String, Sendable, Hashable, CaseIterable {
        case srv = "SRV", a = "A", aaaa = "AAAA", mx = "MX", ns = "NS"
    }

    /// At least one name (checked when decoded).
    package var names: [String]
    package var type = RecordType.srv
    /// The port of A/AAAA/MX/NS targets (required for them; ignored for SRV).
    package var port = 0
    package var refreshInterval = PrometheusDuration(milliseconds: 30_000)

    package init(names: [String], type: RecordType = .srv, port: Int = 0,
                 refreshInterval: PrometheusDuration = PrometheusDuration(milliseconds: 30_000)) {
        self.names = names
        self.type = type
        self.port = port
        self.refreshInterval = refreshInterval
    }
}

extension DNSSDConfig {
    /// Decodes one entry with Prometheus' checks: at least one name, a known type (any case),
    /// and a port for every type but SRV.
    static func decode(_ cursor: ConfigCursor) throws(ConfigError) -> DNSSDConfig {
        let fields = try cursor.mapping("dns_sd_config")
        let names = try fields.stringList("names") ?? []
        if names.isEmpty {
            throw (fields.take("names") ?? cursor).fail(.invalidConfig, "DNS-SD config must contain at least one SRV record name")
        }
        var config = DNSSDConfig(names: names)
        if let node = fields.take("type") {
            let text = try node.string()
            guard let type = RecordType(rawValue: text.uppercased()) else {
                throw node.fail("invalid DNS-SD records type \(text)")
            }
            config.type = type
        }
        let portNode = fields.take("port")
        if let portNode {
            let port = try portNode.int()
            guard (0...65_535).contains(port) else { throw portNode.fail("port \(port) is out of range (0-65535)") }
            config.port = port
        }
        if let interval = try fields.duration("refresh_interval") { config.refreshInterval = interval }
        try fields.finish()
        if config.type != .srv, config.port == 0 {
            throw (portNode ?? cursor).fail(.invalidConfig, "a port is required in DNS-SD configs for all record types except SRV")
        }
        return config
    }
}
