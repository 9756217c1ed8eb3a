import Metrics

/// Scrape outcomes counted under Prometheus' `prometheus_target_*` names, through swift-metrics,
/// so its self-monitoring alerts (`PrometheusScrapeSampleLimitHit`,
/// `PrometheusDuplicateTimestamps`, `PrometheusOutOfOrderTimestamps`,
/// `PrometheusScrapeBodySizeLimitHit`, `PrometheusLabelLimitHit`, …) work on Pharos.
/// Samples refused by storage count one each; limits count one per scrape that hit them.
enum ScrapeMetrics {
    static let outOfOrder = Counter(label: "prometheus_target_scrapes_sample_out_of_order_total")
    static let duplicateTimestamp = Counter(label: "prometheus_target_scrapes_sample_duplicate_timestamp_total")
    static let outOfBounds = Counter(label: "prometheus_target_scrapes_sample_out_of_bounds_total")
    static let exemplarOutOfOrder = Counter(label: "prometheus_target_scrapes_exemplar_out_of_order_total")
    static let sampleLimit = Counter(label: "prometheus_target_scrapes_exceeded_sample_limit_total")
    static let bodySizeLimit = Counter(label: "prometheus_target_scrapes_exceeded_body_size_limit_total")
    static let labelLimits = Counter(label: "prometheus_target_scrape_pool_exceeded_label_limits_total")
    static let targetLimit = Counter(label: "prometheus_target_scrape_pool_exceeded_target_limit_total")

    /// Registers every counter at 0, so `increase()` sees the first event.
    static func register() {
        _ = [outOfOrder, duplicateTimestamp, outOfBounds, exemplarOutOfOrder, sampleLimit, bodySizeLimit, labelLimits, targetLimit]
    }

    static func record(_ counts: AppendCounts, error: ScrapeError?) {
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
}
