import Logging
import PharosConfig

/// One service-discovery mechanism instance (Prometheus' `discovery.Discoverer`).
///
/// Contract:
/// - `initialGroups()` returns, without waiting on the network, what is known at once
///   (static groups; file SD's first read). The manager shows them as soon as a config is
///   applied; the default is none.
/// - `run(_:)` runs until its task is cancelled, sending groups through `updates` whenever they
///   change. A sent group replaces the earlier group with the same `source`; a group without
///   targets removes it. A discoverer that keeps full state (HTTP, DNS, files) sends every
///   group it knows, plus empty groups for sources that disappeared.
/// - Failures never end `run`: they are logged and counted, and the previous groups stay.
package protocol Discoverer: Sendable {
    func initialGroups() -> [TargetGroup]
    func run(_ updates: DiscoveryUpdates) async
}

extension Discoverer {
    package func initialGroups() -> [TargetGroup] { [] }
}

/// Where a discoverer sends its groups: each `send` reaches the manager before it returns.
package struct DiscoveryUpdates: Sendable {
    private let deliver: @Sendable ([TargetGroup]) async -> Void

    /// `deliver` receives every batch, in order (tests collect them; the manager merges them).
    package init(_ deliver: @escaping @Sendable ([TargetGroup]) async -> Void) { self.deliver = deliver }

    package func send(_ groups: [TargetGroup]) async { await deliver(groups) }
}

/// What a discoverer gets from its manager besides its config.
package struct DiscovererContext: Sendable {
    /// The first target set (scrape job, alertmanager set) that asked for this discoverer:
    /// the `config` label of per-discoverer metrics, as in Prometheus.
    package var setName: String
    package var logger: Logger
    package var metrics: DiscoveryMetrics
    package var clock: any DiscoveryClock
    /// How often file SD checks its files for changes (it re-reads all at refresh_interval).
    package var filePollInterval: Duration
    /// The DNS servers and search list; nil reads `/etc/resolv.conf` at each refresh.
    package var dnsResolver: ResolvConf?
    /// Where in-cluster Kubernetes discovery finds its environment and service account.
    package var kubernetesEnvironment: KubernetesEnvironment

    package init(setName: String, logger: Logger, metrics: DiscoveryMetrics,
                 clock: any DiscoveryClock = SystemDiscoveryClock(), filePollInterval: Duration = .seconds(5),
                 dnsResolver: ResolvConf? = nil, kubernetesEnvironment: KubernetesEnvironment = .process) {
        self.setName = setName
        self.logger = logger
        self.metrics = metrics
        self.clock = clock
        self.filePollInterval = filePollInterval
        self.dnsResolver = dnsResolver
        self.kubernetesEnvironment = kubernetesEnvironment
    }
}
