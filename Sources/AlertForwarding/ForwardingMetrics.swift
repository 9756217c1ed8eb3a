import CoreMetrics
import Metrics

/// The notifier's metrics under Prometheus' names (`notifier/manager.go`), so the mixin's
/// `PrometheusNotConnectedToAlertmanagers`, `PrometheusErrorSendingAlertsToAnyAlertmanager` and
/// `PrometheusNotificationQueueRunningFull` alerts work on Pharos. Thread-safe.
package struct ForwardingMetrics: Sendable {
    let factory: any MetricsFactory
    /// `prometheus_notifications_dropped_total`.
    let dropped: Counter
    /// `prometheus_notifications_queue_length`.
    let queueLength: Gauge
    /// `prometheus_notifications_queue_capacity`.
    let queueCapacity: Gauge
    /// `prometheus_notifications_alertmanagers_discovered`.
    let discovered: Gauge

    package init(factory: any MetricsFactory = MetricsSystem.factory) {
        self.factory = factory
        dropped = Counter(label: "prometheus_notifications_dropped_total", dimensions: [], factory: factory)
        queueLength = Gauge(label: "prometheus_notifications_queue_length", dimensions: [], factory: factory)
        queueCapacity = Gauge(label: "prometheus_notifications_queue_capacity", dimensions: [], factory: factory)
        discovered = Gauge(label: "prometheus_notifications_alertmanagers_discovered", dimensions: [], factory: factory)
    }

    /// The per-Alertmanager instruments (created at 0 when an Alertmanager is discovered).
    func endpoint(_ url: String) -> EndpointMetrics { EndpointMetrics(url: url, factory: factory) }
}

/// `prometheus_notifications_{sent,errors}_total` and `…_latency_seconds` of one Alertmanager.
struct EndpointMetrics: Sendable {
    let sent: Counter
    let errors: Counter
    let latency: Timer

    init(url: String, factory: any MetricsFactory) {
        let dimensions = [("alertmanager", url)]
        sent = Counter(label: "prometheus_notifications_sent_total", dimensions: dimensions, factory: factory)
        errors = Counter(label: "prometheus_notifications_errors_total", dimensions: dimensions, factory: factory)
        latency = Timer(label: "prometheus_notifications_latency_seconds", dimensions: dimensions, factory: factory)
    }
}
