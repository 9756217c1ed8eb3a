import Metrics

/// Scrape outcomes under Prometheus' `prometheus_target_*` names, made from one swift-metrics
/// factory (the global one by default; tests pass a `TestMetrics`), so its self-monitoring
/// alerts (`PrometheusScrapeSampleLimitHit`, `PrometheusDuplicateTimestamps`,
/// `PrometheusOutOfOrderTimestamps`, `PrometheusScrapeBodySizeLimitHit`,
/// `PrometheusLabelLimitHit`, …) work on Pharos. Samples refused by storage count one each;
/// limits count one per scrape that hit them. A value; copies share the counters. Thread-safe.
package struct ScrapeMetrics: Sendable {
    let factory: any MetricsFactory
    let outOfOrder: Counter
    let duplicateTimestamp: Counter
    let outOfBounds: Counter
    let exemplarOutOfOrder: Counter
    let sampleLimit: Counter
    let bodySizeLimit: Counter
    let labelLimits: Counter
    let targetLimit: Counter

    /// Makes every counter, at 0, so `increase()` sees the first event.
    package init(factory: any MetricsFactory = MetricsSystem.factory) {
        self.factory = factory
        func counter(_ name: String) -> Counter { Counter(label: name, dimensions: [], factory: factory) }
        outOfOrder = counter("prometheus_target_scrapes_sample_out_of_order_total")
        duplicateTimestamp = counter("prometheus_target_scrapes_sample_duplicate_timestamp_total")
        outOfBounds = counter("prometheus_target_scrapes_sample_out_of_bounds_total")
        exemplarOutOfOrder = counter("prometheus_target_scrapes_exemplar_out_of_order_total")
        sampleLimit = counter("prometheus_target_scrapes_exceeded_sample_limit_total")
        bodySizeLimit = counter("prometheus_target_scrapes_exceeded_body_size_limit_total")
        labelLimits = counter("prometheus_target_scrape_pool_exceeded_label_limits_total")
        targetLimit = counter("prometheus_target_scrape_pool_exceeded_target_limit_total")
    }

    func record(_ counts: AppendCounts, error: ScrapeError?) {
        if counts.outOfOrder > 0 { outOfOrder.increment(by: counts.outOfOrder) }
        if counts.duplicateTimestamp > 0 { duplicateTimestamp.increment(by: counts.duplicateTimestamp) }
        if counts.outOfBounds > 0 { outOfBounds.increment(by: counts.outOfBounds) }
        if counts.exemplarsOutOfOrder > 0 { exemplarOutOfOrder.increment(by: counts.exemplarsOutOfOrder) }
        switch error?.kind {
        case .sampleLimit?: sampleLimit.increment()
        case .bodySizeLimit?: bodySizeLimit.increment()
        case .labelLimit?: labelLimits.increment()
        default: break
        }
    }

    /// `prometheus_target_interval_length_seconds{interval}`: the actual time between two
    /// scrapes of a target (a summary in the server's back end).
    func intervalLength(_ interval: String) -> Timer {
        Timer(label: "prometheus_target_interval_length_seconds", dimensions: [("interval", interval)], factory: factory)
    }

    /// `prometheus_target_scrape_pool_targets` of `job`.
    func targetsGauge(job: String) -> Gauge {
        Gauge(label: "prometheus_target_scrape_pool_targets", dimensions: [("scrape_job", job)], factory: factory)
    }
}
