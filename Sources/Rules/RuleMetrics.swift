import CoreMetrics
import Metrics

/// Rule evaluation metrics under Prometheus' names (`rules/manager.go`'s `NewGroupMetrics`),
/// made from one swift-metrics factory (the global one by default; tests pass a `TestMetrics`),
/// so dashboards and the `PrometheusRuleFailures` / `PrometheusMissingRuleEvaluations` alerts
/// work on Pharos. Per-group series carry `rule_group="<file>;<name>"`. A value; copies share
/// the back end. Thread-safe.
package struct RuleMetrics: Sendable {
    let factory: any MetricsFactory
    /// `prometheus_rule_evaluation_duration_seconds` (a summary in the server's back end).
    let evaluationDuration: Timer
    /// `prometheus_rule_group_duration_seconds`.
    let groupDuration: Timer

    package init(factory: any MetricsFactory = MetricsSystem.factory) {
        self.factory = factory
        evaluationDuration = Timer(label: "prometheus_rule_evaluation_duration_seconds", dimensions: [], factory: factory)
        groupDuration = Timer(label: "prometheus_rule_group_duration_seconds", dimensions: [], factory: factory)
    }

    /// The per-group instruments of `key` (`file;name`), created at 0.
    func group(_ key: String) -> GroupMetrics { GroupMetrics(key: key, factory: factory) }
}

/// The instruments of one rule group.
struct GroupMetrics: Sendable {
    let iterationsMissed: Counter
    let iterationsScheduled: Counter
    let evaluations: Counter
    let failures: Counter
    let interval: Gauge
    let lastEvaluation: Gauge
    let lastDuration: Gauge
    let lastSamples: Gauge
    let rules: Gauge

    init(key: String, factory: any MetricsFactory) {
        let dimensions = [("rule_group", key)]
        func counter(_ name: String) -> Counter { Counter(label: name, dimensions: dimensions, factory: factory) }
        func gauge(_ name: String) -> Gauge { Gauge(label: name, dimensions: dimensions, factory: factory) }
        iterationsMissed = counter("prometheus_rule_group_iterations_missed_total")
        iterationsScheduled = counter("prometheus_rule_group_iterations_total")
        evaluations = counter("prometheus_rule_evaluations_total")
        failures = counter("prometheus_rule_evaluation_failures_total")
        interval = gauge("prometheus_rule_group_interval_seconds")
        lastEvaluation = gauge("prometheus_rule_group_last_evaluation_timestamp_seconds")
        lastDuration = gauge("prometheus_rule_group_last_duration_seconds")
        lastSamples = gauge("prometheus_rule_group_last_evaluation_samples")
        rules = gauge("prometheus_rule_group_rules")
    }
}
