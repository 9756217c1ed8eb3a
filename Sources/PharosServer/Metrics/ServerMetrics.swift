import Metrics
import NIOCore
import Prometheus
import Synchronization

/// The server's own Prometheus registry: process metrics refreshed on every scrape, the config
/// reload gauges and build info, and the summaries timers record into. `render()` is what
/// `/metrics` serves. Thread-safe.
///
/// `bootstrapMetricsSystem()` makes swift-metrics users (every module's `…Metrics` struct)
/// report into the same registry; only the composition root calls it, once per process.
package final class ServerMetrics: Sendable {
    package let registry: PrometheusCollectorRegistry
    private let cpuSeconds: Prometheus.Counter
    private let lastCPUSeconds = Mutex<Double>(0)
    private let residentMemory: Prometheus.Gauge
    private let virtualMemory: Prometheus.Gauge
    private let startTime: Prometheus.Gauge
    private let openFDs: Prometheus.Gauge
    private let maxFDs: Prometheus.Gauge
    /// `pharos_config_last_reload_successful` and Prometheus' `prometheus_config_…` twin (for its
    /// `PrometheusBadConfig` alert): 1 after a good (re)load, 0 after a failed one.
    private let configReloadSuccessful: [Prometheus.Gauge]
    /// `pharos_config_last_reload_success_timestamp_seconds` and its `prometheus_` twin.
    private let configReloadTimestamp: [Prometheus.Gauge]
    private let readProcess: @Sendable () throws -> ProcessStats
    /// The summaries swift-metrics timers record into (rendered after the registry).
    package let summaries = SummaryFamilies(help: [
        "prometheus_target_interval_length_seconds": "Actual intervals between scrapes.",
        "prometheus_notifications_latency_seconds": "Latency quantiles for sending alert notifications.",
    ])
    /// Extra collectors (TSDB statistics, …) refreshed before every render.
    private let refreshers = Mutex<[@Sendable () -> Void]>([])

    package init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry(), version: String = "0.0.0-dev",
                 readProcess: @escaping @Sendable () throws -> ProcessStats = { try ProcessStats.current() }) {
        self.registry = registry
        self.readProcess = readProcess
        func gauge(_ name: String, _ help: String) -> Prometheus.Gauge {
            registry.makeGauge(descriptor: Self.descriptor(name, help))
        }
        cpuSeconds = registry.makeCounter(descriptor: Self.descriptor(
            "process_cpu_seconds_total", "Total user and system CPU time spent in seconds."))
        residentMemory = gauge("process_resident_memory_bytes", "Resident memory size in bytes.")
        virtualMemory = gauge("process_virtual_memory_bytes", "Virtual memory size in bytes.")
        startTime = gauge("process_start_time_seconds", "Start time of the process since unix epoch in seconds.")
        openFDs = gauge("process_open_fds", "Number of open file descriptors.")
        maxFDs = gauge("process_max_fds", "Maximum number of open file descriptors.")
        configReloadSuccessful = ["pharos", "prometheus"].map {
            gauge("\($0)_config_last_reload_successful", "Whether the last configuration reload attempt was successful.")
        }
        configReloadTimestamp = ["pharos", "prometheus"].map {
            gauge("\($0)_config_last_reload_success_timestamp_seconds", "Timestamp of the last successful configuration reload.")
        }
        registry.makeGauge(descriptor: Self.descriptor(
            "pharos_build_info",
            "A metric with a constant '1' value labeled by the version Pharos was built from."), labels: [("version", version)]).set(to: 1)
    }

    /// Routes swift-metrics into this registry (with help text on every family). Call once per
    /// process, from the server only.
    package func bootstrapMetricsSystem() {
        MetricsSystem.bootstrap(makeFactory())
    }

    /// The swift-metrics factory over this registry.
    package func makeFactory() -> PharosMetricsFactory {
        PharosMetricsFactory(registry: registry, helpTexts: [
            "prometheus_http_requests_total": "Counter of HTTP requests.",
            "prometheus_http_request_duration_seconds": "Histogram of latencies for HTTP requests.",
            // Service discovery, with Prometheus' help texts.
            "prometheus_sd_discovered_targets": "Current number of discovered targets.",
            "prometheus_sd_received_updates_total": "Total number of update events received from the SD providers.",
            "prometheus_sd_updates_total": "Total number of update events sent to the SD consumers.",
            "prometheus_sd_failed_configs": "Current number of service discovery configurations that failed to load.",
            "prometheus_sd_refresh_failures_total": "Number of refresh failures for the given SD mechanism.",
            "prometheus_sd_http_failures_total": "Number of HTTP-SD failures.",
            "prometheus_sd_dns_lookups_total": "The number of DNS-SD lookups.",
            "prometheus_sd_dns_lookup_failures_total": "The number of DNS-SD lookup failures.",
            "prometheus_sd_file_read_errors_total": "The number of File-SD read errors.",
            "prometheus_sd_kubernetes_events_total": "The number of Kubernetes events handled.",
            "prometheus_sd_kubernetes_failures_total": "The number of failed WATCH/LIST requests.",
            // The notifier (alerting: Alertmanagers), with Prometheus' help texts.
            "prometheus_notifications_errors_total": "Total number of errors sending alert notifications.",
            "prometheus_notifications_sent_total": "Total number of alerts sent.",
            "prometheus_notifications_dropped_total": "Total number of alerts dropped due to errors when sending to Alertmanager.",
            "prometheus_notifications_queue_length": "The number of alert notifications in the queue.",
            "prometheus_notifications_queue_capacity": "The capacity of the alert notifications queue.",
            "prometheus_notifications_alertmanagers_discovered": "The number of alertmanagers discovered and active.",
        ], summaries: summaries)
    }

    private static func descriptor(_ name: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(metricName: name, unitName: "", helpText: help)
    }

    /// Records a config (re)load: the success gauge, and on success the timestamp (Unix seconds).
    package func recordConfigReload(success: Bool, atSeconds seconds: Double) {
        for gauge in configReloadSuccessful { gauge.set(to: success ? 1 : 0) }
        if success { for gauge in configReloadTimestamp { gauge.set(to: seconds) } }
    }

    /// Re-reads `/proc/self` into the process metrics; leaves them unchanged when unreadable.
    package func refreshProcessMetrics() {
        guard let stats = try? readProcess() else { return }
        let delta = lastCPUSeconds.withLock { last -> Double in
            let delta = max(stats.cpuSeconds - last, 0)
            last = max(stats.cpuSeconds, last)
            return delta
        }
        if delta > 0 { cpuSeconds.increment(by: delta) }
        residentMemory.set(to: stats.residentMemoryBytes)
        virtualMemory.set(to: stats.virtualMemoryBytes)
        startTime.set(to: stats.startTimeSeconds)
        openFDs.set(to: stats.openFDs)
        maxFDs.set(to: stats.maxFDs)
    }

    /// Registers `refresh` to run before every render, to copy a component's statistics into
    /// the registry (pull-style gauges such as `prometheus_tsdb_head_series`).
    package func addRefresher(_ refresh: @escaping @Sendable () -> Void) {
        refreshers.withLock { $0.append(refresh) }
    }

    /// Refreshes process metrics and the registered collectors, then renders the registry in
    /// text format 0.0.4.
    package func render() -> ByteBuffer {
        refreshProcessMetrics()
        for refresh in refreshers.withLock({ $0 }) { refresh() }
        var bytes: [UInt8] = []
        registry.emit(into: &bytes)
        var summaryText = ""
        summaries.render(into: &summaryText)
        bytes += Array(summaryText.utf8)
        return ByteBuffer(bytes: bytes)
    }
}
