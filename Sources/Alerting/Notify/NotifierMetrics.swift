import CoreMetrics
import Metrics

/// Alertmanager's notification metrics per integration (`alertmanager_notifications_total`,
/// `…_notifications_failed_total`, `…_notification_latency_seconds`), made from one
/// swift-metrics factory (the server's; tests pass a `TestMetrics`). Every attempt counts, as
/// in Alertmanager's retry stage. Thread-safe.
package struct NotifierMetrics: Sendable {
    let factory: any MetricsFactory

    package init(factory: any MetricsFactory = MetricsSystem.factory) {
        self.factory = factory
        // Alertmanager initialises the series of the integrations it knows, at 0.
        for integration in ["email", "pagerduty", "slack", "webhook"] {
            _ = notifications(integration)
            _ = failed(integration)
        }
    }

    /// Records one attempt of `integration` that took `nanoseconds`.
    func recordAttempt(_ integration: String, nanoseconds: Int64, failed isFailure: Bool) {
        notifications(integration).increment()
        latency(integration).recordNanoseconds(nanoseconds)
        if isFailure { failed(integration).increment() }
    }

    func notifications(_ integration: String) -> Counter {
        Counter(label: "alertmanager_notifications_total", dimensions: [("integration", integration)], factory: factory)
    }

    func failed(_ integration: String) -> Counter {
        Counter(label: "alertmanager_notifications_failed_total", dimensions: [("integration", integration)], factory: factory)
    }

    func latency(_ integration: String) -> Timer {
        Timer(label: "alertmanager_notification_latency_seconds", dimensions: [("integration", integration)],
              preferredDisplayUnit: .seconds, factory: factory)
    }
}
