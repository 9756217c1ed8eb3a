import PharosConfig

/// One discoverer's configuration; equal configs share one running discoverer across target
/// sets (Prometheus compares SD configs with `reflect.DeepEqual` for the same purpose).
package enum DiscoveryConfig: Sendable, Hashable {
    /// All static_configs groups of one set together (Prometheus' `StaticConfig`).
    case staticGroups([TargetGroup])
    case file(FileSDConfig)
    case http(HTTPSDConfig)
    case dns(DNSSDConfig)
    case kubernetes(KubernetesSDConfig)

    /// The mechanism name of metrics and logs (`static`, `file`, `http`, `dns`, `kubernetes`).
    package var mechanism: String {
        switch self {
        case .staticGroups: "static"
        case .file: "file"
        case .http: "http"
        case .dns: "dns"
        case .kubernetes: "kubernetes"
        }
    }
}

extension ServiceDiscoveryConfigs {
    /// The discoverers of this section, in a fixed order: static, file, HTTP, DNS, Kubernetes,
    /// each in config order. Unsupported kinds yield none.
    package var discoveryConfigs: [DiscoveryConfig] {
        var out: [DiscoveryConfig] = []
        if !staticConfigs.isEmpty { out.append(.staticGroups(staticConfigs)) }
        out += fileSDConfigs.map(DiscoveryConfig.file)
        out += httpSDConfigs.map(DiscoveryConfig.http)
        out += dnsSDConfigs.map(DiscoveryConfig.dns)
        out += kubernetesSDConfigs.map(DiscoveryConfig.kubernetes)
        return out
    }
}

/// Builds the discoverer for a config; throws `DiscoveryError` (kind `config`) when it cannot
/// (an unreadable kubeconfig, TLS files, no in-cluster environment).
package typealias DiscovererFactory = @Sendable (DiscoveryConfig, DiscovererContext) throws -> any Discoverer

/// The standard discoverers of every modelled mechanism.
package enum StandardDiscoverers {
    package static let factory: DiscovererFactory = { config, context in
        switch config {
        case .staticGroups(let groups): return StaticDiscoverer(groups: groups)
        case .file(let file): return FileDiscoverer(config: file, context: context)
        case .http(let http): return try HTTPDiscoverer(config: http, context: context)
        case .dns(let dns): return DNSDiscoverer(config: dns, context: context)
        case .kubernetes(let kubernetes): return try KubernetesDiscoverer(config: kubernetes, context: context)
        }
    }
}

/// `static_configs`: the groups, known at once, never changing.
package struct StaticDiscoverer: Discoverer {
    package let groups: [TargetGroup]

    package init(groups: [TargetGroup]) { self.groups = groups }

    package func initialGroups() -> [TargetGroup] { groups }

    /// Nothing to watch: the groups were given by `initialGroups()`.
    package func run(_ updates: DiscoveryUpdates) async {}
}
