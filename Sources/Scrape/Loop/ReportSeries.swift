import PharosCore

/// The synthetic series every scrape writes, with the target's labels.
struct ReportSeries: Sendable {
    static let names = [
        "up", "scrape_duration_seconds", "scrape_samples_scraped",
        "scrape_samples_post_metric_relabeling", "scrape_series_added",
    ]

    /// One label set per name, in `names` order.
    let labels: [Labels]

    init(target: Labels) {
        labels = Self.names.map { name in
            var builder = LabelsBuilder(target)
            builder.set(Labels.metricName, name)
            return builder.labels()
        }
    }
}
