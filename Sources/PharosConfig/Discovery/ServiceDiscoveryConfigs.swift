import PharosCore

/// Every service-discovery section of one consumer: a scrape job today, an `alertmanagers`
/// entry later (Prometheus' `discovery.Configs`, inlined into both).
///
/// Kinds Pharos does not model (`consul_sd_configs`, `ec2_sd_configs`, …) load with a notice
/// and are kept raw in `unsupported`; they discover nothing.
package struct ServiceDiscoveryConfigs: Sendable, Hashable {
    package var staticConfigs: [TargetGroup] = []
    package var fileSDConfigs: [FileSDConfig] = []
    package var httpSDConfigs: [HTTPSDConfig] = []
    package var dnsSDConfigs: [DNSSDConfig] = []
    package var kubernetesSDConfigs: [KubernetesSDConfig] = []
    /// Raw nodes of the kinds not modelled yet, by key (`consul_sd_configs`, …).
    package var unsupported: [String: YAMLNode] = [:]

    package init() {}

    /// The keys this struct decodes besides `unsupported` ones.
    package static let modelledKeys: Set<String> = [
        "static_configs", "file_sd_configs", "http_sd_configs", "dns_sd_configs", "kubernetes_sd_configs",
    ]
}

extension ServiceDiscoveryConfigs {
    /// Takes `static_configs` and every `*_sd_configs` key from `fields`, validating each entry
    /// as Prometheus does; the caller still calls `fields.finish()`.
    package static func decode(
        from fields: MappingReader, validation: LabelNameValidationScheme = .utf8
    ) throws(ConfigError) -> ServiceDiscoveryConfigs {
        var configs = ServiceDiscoveryConfigs()
        if let node = fields.take("static_configs") {
            for (index, item) in try node.sequence().enumerated() {
                configs.staticConfigs.append(try item.targetGroup(source: "\(index)", validation: validation))
            }
        }
        if let node = fields.take("file_sd_configs") {
            for item in try node.sequence() { configs.fileSDConfigs.append(try item.fileSDConfig()) }
        }
        if let node = fields.take("http_sd_configs") {
            for item in try node.sequence() { configs.httpSDConfigs.append(try HTTPSDConfig.decode(item)) }
        }
        if let node = fields.take("dns_sd_configs") {
            for item in try node.sequence() { configs.dnsSDConfigs.append(try DNSSDConfig.decode(item)) }
        }
        if let node = fields.take("kubernetes_sd_configs") {
            for item in try node.sequence() { configs.kubernetesSDConfigs.append(try KubernetesSDConfig.decode(item)) }
        }
        if case .mapping(let pairs) = fields.cursor.node.kind {
            for pair in pairs where pair.key.hasSuffix("_sd_configs") && !modelledKeys.contains(pair.key) {
                if let raw = fields.take(pair.key) {
                    configs.unsupported[pair.key] = raw.node
                    raw.note("not supported yet: no targets will be discovered from \(pair.key)")
                }
            }
        }
        return configs
    }
}

extension ConfigCursor {
    /// A URL with an `http` or `https` scheme and a host, as Prometheus' SD configs require.
    /// - Returns: the URL as written.
    func httpURL(missing: String) throws(ConfigError) -> String {
        let text = try string()
        if text.isEmpty { throw fail(.invalidConfig, missing) }
        let lower = text.lowercased()
        guard lower.hasPrefix("http://") || lower.hasPrefix("https://") else {
            throw fail(.invalidConfig, "URL scheme must be 'http' or 'https'")
        }
        let rest = text.drop { $0 != ":" }.dropFirst(3)
        let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        let host = authority.split(separator: "@").last.map(String.init) ?? ""
        if host.isEmpty || host.hasPrefix(":") { throw fail(.invalidConfig, "host is missing in URL") }
        return text
    }
}
