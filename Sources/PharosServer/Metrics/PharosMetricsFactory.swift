import Metrics
import Prometheus

/// The swift-metrics back end: `PrometheusMetricsFactory`'s mapping (counters, gauges,
/// histograms for recorders and timers, name sanitising) with a `# HELP` line on every
/// family, so `/metrics` passes `promtool check metrics` whatever the modules register. Timers
/// named in `summaries` are sliding-window summaries instead of histograms.
///
/// Help comes from `helpTexts` by metric name, else a generated line; either way it is the
/// same for every registration of a name, as the registry requires. Thread-safe.
package struct PharosMetricsFactory: MetricsFactory {
    private let base: PrometheusMetricsFactory
    private let helpTexts: [String: String]
    private let summaries: SummaryFamilies?

    package init(registry: PrometheusCollectorRegistry, helpTexts: [String: String] = [:], summaries: SummaryFamilies? = nil) {
        base = PrometheusMetricsFactory(registry: registry)
        self.helpTexts = helpTexts
        self.summaries = summaries
    }

    private func descriptor(_ label: String, _ dimensions: [(String, String)]) -> (MetricNameDescriptor, [(String, String)]) {
        let (name, labels) = base.nameAndLabelSanitizer(label, dimensions)
        let help = helpTexts[name] ?? "Pharos metric \(name)."
        return (MetricNameDescriptor(metricName: name, unitName: "", helpText: help), labels)
    }

    package func makeCounter(label: String, dimensions: [(String, String)]) -> any CounterHandler {
        let (descriptor, labels) = descriptor(label, dimensions)
        return base.registry.makeCounter(descriptor: descriptor, labels: labels)
    }

    package func makeFloatingPointCounter(label: String, dimensions: [(String, String)]) -> any FloatingPointCounterHandler {
        let (descriptor, labels) = descriptor(label, dimensions)
        return base.registry.makeCounter(descriptor: descriptor, labels: labels)
    }

    package func makeRecorder(label: String, dimensions: [(String, String)], aggregate: Bool) -> any RecorderHandler {
        let (descriptor, labels) = descriptor(label, dimensions)
        guard aggregate else { return base.registry.makeGauge(descriptor: descriptor, labels: labels) }
        let buckets = base.valueHistogramBuckets[descriptor.name] ?? base.defaultValueHistogramBuckets
        return base.registry.makeValueHistogram(descriptor: descriptor, labels: labels, buckets: buckets)
    }

    package func makeMeter(label: String, dimensions: [(String, String)]) -> any MeterHandler {
        let (descriptor, labels) = descriptor(label, dimensions)
        return base.registry.makeGauge(descriptor: descriptor, labels: labels)
    }

    package func makeTimer(label: String, dimensions: [(String, String)]) -> any TimerHandler {
        let (descriptor, labels) = descriptor(label, dimensions)
        if let summary = summaries?.summary(descriptor.name, labels: labels) { return SummaryTimerHandler(summary: summary) }
        let buckets = base.durationHistogramBuckets[descriptor.name] ?? base.defaultDurationHistogramBuckets
        return base.registry.makeDurationHistogram(descriptor: descriptor, labels: labels, buckets: buckets)
    }

    package func destroyCounter(_ handler: any CounterHandler) { base.destroyCounter(handler) }
    package func destroyFloatingPointCounter(_ handler: any FloatingPointCounterHandler) { base.destroyFloatingPointCounter(handler) }
    package func destroyRecorder(_ handler: any RecorderHandler) { base.destroyRecorder(handler) }
    package func destroyMeter(_ handler: any MeterHandler) { base.destroyMeter(handler) }
    package func destroyTimer(_ handler: any TimerHandler) {
        if let summary = handler as? SummaryTimerHandler { return summaries?.remove(summary.summary) ?? () }
        base.destroyTimer(handler)
    }
}
