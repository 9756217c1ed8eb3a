import Metrics

/// Service-discovery self-metrics under Prometheus' names, so its SD dashboards and alerts
/// work on Pharos. Made through an injected swift-metrics factory (tests pass `TestMetrics`);
/// cheap to copy and thread-safe (the factory caches each series).
package struct DiscoveryMetrics: Sendable {
    package let factory: any MetricsFactory

    package init(factory: any MetricsFactory = MetricsSystem.factory) { self.factory = factory }

    private func counter(_ label: String, _ dimensions: [(String, String)] = []) -> Counter {
        Counter(label: label, dimensions: dimensions, factory: factory)
    }

    // MARK: Manager (`name` is the manager: `scrape`, `notify`)

    /// `prometheus_sd_received_updates_total`: one per batch a discoverer sent.
    func receivedUpdate(manager: String) { counter("prometheus_sd_received_updates_total", [("name", manager)]).increment() }

    /// `prometheus_sd_updates_total`: one per snapshot sent to the consumer.
    func sentUpdate(manager: String) { counter("prometheus_sd_updates_total", [("name", manager)]).increment() }

    /// `prometheus_sd_discovered_targets{config,name}`: targets in a set's groups.
    func discoveredTargets(manager: String, set: String, count: Int) {
        Gauge(label: "prometheus_sd_discovered_targets", dimensions: [("config", set), ("name", manager)], factory: factory)
            .record(count)
    }

    /// Takes a set's `prometheus_sd_discovered_targets` off `/metrics` (its job left the config).
    func forgetSet(manager: String, set: String) {
        Gauge(label: "prometheus_sd_discovered_targets", dimensions: [("config", set), ("name", manager)], factory: factory)
            .destroy()
    }

    /// `prometheus_sd_failed_configs`: discoverers that could not be built at the last apply.
    func failedConfigs(manager: String, count: Int) {
        Gauge(label: "prometheus_sd_failed_configs", dimensions: [("name", manager)], factory: factory).record(count)
    }

    /// Registers the manager's counters at 0 so `increase()` sees the first event.
    func registerManager(_ manager: String) {
        counter("prometheus_sd_received_updates_total", [("name", manager)]).increment(by: 0)
        counter("prometheus_sd_updates_total", [("name", manager)]).increment(by: 0)
    }

    // MARK: Mechanisms

    /// `prometheus_sd_refresh_failures_total{mechanism,config}`: a refresh (HTTP, DNS, a file,
    /// a Kubernetes list or watch) that failed.
    package func refreshFailure(mechanism: String, config: String) {
        counter("prometheus_sd_refresh_failures_total", [("mechanism", mechanism), ("config", config)]).increment()
    }

    /// `prometheus_sd_http_failures_total`.
    package func httpFailure() { counter("prometheus_sd_http_failures_total").increment() }

    /// `prometheus_sd_dns_lookups_total`.
    package func dnsLookup() { counter("prometheus_sd_dns_lookups_total").increment() }

    /// `prometheus_sd_dns_lookup_failures_total`.
    package func dnsLookupFailure() { counter("prometheus_sd_dns_lookup_failures_total").increment() }

    /// `prometheus_sd_file_read_errors_total`.
    package func fileReadError() { counter("prometheus_sd_file_read_errors_total").increment() }

    /// `prometheus_sd_kubernetes_events_total{role,event}`; `event` is add, update or delete.
    package func kubernetesEvent(role: String, event: String) {
        counter("prometheus_sd_kubernetes_events_total", [("role", role), ("event", event)]).increment()
    }

    /// `prometheus_sd_kubernetes_failures_total`: failed list or watch requests.
    package func kubernetesFailure() { counter("prometheus_sd_kubernetes_failures_total").increment() }
}
