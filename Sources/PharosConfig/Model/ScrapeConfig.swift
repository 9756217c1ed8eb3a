import PharosCore
import Relabel

/// One `scrape_configs` entry, with every default filled in (from `global` where Prometheus
/// inherits). Timestamps and durations are already validated (timeout ≤ interval).
package struct ScrapeConfig: Sendable, Hashable {
    package var jobName: String
    package var honorLabels = false
    package var honorTimestamps = true
    package var trackTimestampsStaleness = false
    package var scrapeInterval: PrometheusDuration
    package var scrapeTimeout: PrometheusDuration
    package var scrapeProtocols: [ScrapeProtocol]
    package var fallbackScrapeProtocol: ScrapeProtocol?
    package var metricsPath = "/metrics"
    package var scheme = "http"
    /// URL query parameters; a key may repeat values.
    package var params: [String: [String]] = [:]
    package var enableCompression = true
    package var httpClient = HTTPClientConfig()
    /// Every discovery section: static, file, HTTP, DNS and Kubernetes, plus raw unsupported kinds.
    package var serviceDiscovery = ServiceDiscoveryConfigs()
    package var relabelConfigs: [RelabelConfig] = []
    package var metricRelabelConfigs: [RelabelConfig] = []
    package var limits = ScrapeLimits()
    package var metricNameValidationScheme = LabelNameValidationScheme.utf8
    package var metricNameEscapingScheme: String?
    package var scrapeFailureLogFile: String?
    package var alwaysScrapeClassicHistograms = false
    package var convertClassicHistogramsToNHCB = false
    package var scrapeNativeHistograms: Bool?
    package var extraScrapeMetrics: Bool?
    package var nativeHistogramBucketLimit: UInt64 = 0
    package var nativeHistogramMinBucketFactor: Double = 0

    /// A job with the global defaults applied.
    package init(jobName: String, global: GlobalConfig = GlobalConfig()) {
        self.jobName = jobName
        scrapeInterval = global.scrapeInterval
        scrapeTimeout = global.scrapeTimeout
        scrapeProtocols = global.scrapeProtocols
        limits = global.limits
        metricNameValidationScheme = global.metricNameValidationScheme
        metricNameEscapingScheme = global.metricNameEscapingScheme
        scrapeFailureLogFile = global.scrapeFailureLogFile
        alwaysScrapeClassicHistograms = global.alwaysScrapeClassicHistograms
        convertClassicHistogramsToNHCB = global.convertClassicHistogramsToNHCB
        scrapeNativeHistograms = global.scrapeNativeHistograms
        extraScrapeMetrics = global.extraScrapeMetrics
    }
}

extension ScrapeConfig {
    static func decode(_ cursor: ConfigCursor, global: GlobalConfig) throws(ConfigError) -> ScrapeConfig {
        let fields = try cursor.mapping("scrape_config")
        guard let jobNode = fields.take("job_name"), case let jobName = try jobNode.string(), !jobName.isEmpty else {
            throw cursor.fail(.invalidConfig, "job_name is empty")
        }
        var config = ScrapeConfig(jobName: jobName, global: global)
        config.honorLabels = try fields.bool("honor_labels") ?? false
        config.honorTimestamps = try fields.bool("honor_timestamps") ?? true
        config.trackTimestampsStaleness = try fields.bool("track_timestamps_staleness") ?? false
        let intervalNode = fields.take("scrape_interval")
        if let interval = try intervalNode?.duration(), interval.milliseconds > 0 { config.scrapeInterval = interval }
        let timeoutNode = fields.take("scrape_timeout")
        let timeout = try timeoutNode?.duration()
        let protocolsNode = fields.take("scrape_protocols")
        if let protocolsNode { config.scrapeProtocols = try ScrapeProtocol.decodeList(protocolsNode) }
        if let node = fields.take("fallback_scrape_protocol") {
            config.fallbackScrapeProtocol = try ScrapeProtocol.decodeOne(node)
        }
        config.metricsPath = try fields.string("metrics_path") ?? config.metricsPath
        if let node = fields.take("scheme") {
            config.scheme = try node.string()
            guard config.scheme == "http" || config.scheme == "https" else {
                throw node.fail("unsupported scheme \(goQuote(config.scheme)) (use http or https)")
            }
        }
        if let node = fields.take("params") {
            guard case .mapping(let pairs) = node.node.kind else { throw node.fail("expected a mapping, got \(node.node.kindName)") }
            for pair in pairs {
                config.params[pair.key] = try node.child(pair.key, pair.value).stringList()
            }
        }
        config.enableCompression = try fields.bool("enable_compression") ?? true
        let validationNode = fields.take("metric_name_validation_scheme")
        if let validationNode { config.metricNameValidationScheme = try LabelNameValidationScheme.decode(validationNode) }
        let escapingNode = fields.take("metric_name_escaping_scheme")
        if let escapingNode {
            config.metricNameEscapingScheme = try MetricNameEscaping.decode(escapingNode)
        } else if validationNode != nil {
            // A job that sets its own validation does not inherit the global escaping.
            config.metricNameEscapingScheme = config.metricNameValidationScheme == .legacy ? "underscores" : "allow-utf-8"
        } else if config.metricNameEscapingScheme == nil {
            config.metricNameEscapingScheme = global.metricNameValidationScheme == .legacy ? "underscores" : "allow-utf-8"
        }
        if config.metricNameEscapingScheme == "allow-utf-8", config.metricNameValidationScheme != .utf8 {
            throw (escapingNode ?? validationNode ?? cursor).fail(
                .invalidConfig, "utf8 metric names requested but validation scheme is not set to UTF8")
        }
        config.scrapeFailureLogFile = try fields.filePath("scrape_failure_log_file") ?? config.scrapeFailureLogFile
        config.httpClient = try HTTPClientConfig.decode(from: fields)
        config.serviceDiscovery = try ServiceDiscoveryConfigs.decode(from: fields, validation: config.metricNameValidationScheme)
        let validation = config.metricNameValidationScheme
        config.relabelConfigs = try fields.take("relabel_configs")?.relabelConfigs(validation) ?? []
        config.metricRelabelConfigs = try fields.take("metric_relabel_configs")?.relabelConfigs(validation) ?? []
        config.limits = try ScrapeLimits.decode(from: fields).inheriting(global.limits)
        if let node = fields.take("always_scrape_classic_histograms") { config.alwaysScrapeClassicHistograms = try node.bool() }
        if let node = fields.take("convert_classic_histograms_to_nhcb") { config.convertClassicHistogramsToNHCB = try node.bool() }
        if let node = fields.take("scrape_native_histograms") { config.scrapeNativeHistograms = try node.bool() }
        if let node = fields.take("extra_scrape_metrics") { config.extraScrapeMetrics = try node.bool() }
        if protocolsNode == nil, !global.scrapeProtocolsExplicit, config.scrapeNativeHistograms == true {
            config.scrapeProtocols = ScrapeProtocol.protoFirst
        }
        config.nativeHistogramBucketLimit = try fields.uint64("native_histogram_bucket_limit") ?? 0
        if let node = fields.take("native_histogram_min_bucket_factor") {
            guard let factor = Double(try node.string()) else { throw node.fail("cannot parse \(goQuote(try node.string())) as a number") }
            config.nativeHistogramMinBucketFactor = factor
        }
        try fields.finish()

        // Catch URLs written as targets; relabeling may legitimately build addresses from them.
        if config.relabelConfigs.isEmpty, let groups = fields.take("static_configs") {
            for (groupIndex, group) in config.staticConfigs.enumerated() {
                for (index, target) in group.addresses.enumerated() where target.contains("/") {
                    let at = groupCursor(groups, groupIndex, index)
                    throw at.fail("\(goQuote(target)) is not a valid hostname")
                }
            }
        }

        if let timeout, timeout.milliseconds > 0 {
            if timeout > config.scrapeInterval {
                throw (timeoutNode ?? cursor).fail(
                    .invalidConfig,
                    "scrape timeout greater than scrape interval for scrape config with job name \(goQuote(jobName))")
            }
            config.scrapeTimeout = timeout
        } else {
            config.scrapeTimeout = global.scrapeTimeout > config.scrapeInterval ? config.scrapeInterval : global.scrapeTimeout
        }
        return config
    }
}

extension ScrapeConfig {
    /// The job's `static_configs` groups (a view of `serviceDiscovery`).
    package var staticConfigs: [TargetGroup] {
        get { serviceDiscovery.staticConfigs }
        set { serviceDiscovery.staticConfigs = newValue }
    }

    /// The job's `file_sd_configs` (a view of `serviceDiscovery`).
    package var fileSDConfigs: [FileSDConfig] {
        get { serviceDiscovery.fileSDConfigs }
        set { serviceDiscovery.fileSDConfigs = newValue }
    }

    /// Discovery kinds kept raw (`consul_sd_configs`, …; a view of `serviceDiscovery`).
    package var otherServiceDiscovery: [String: YAMLNode] {
        get { serviceDiscovery.unsupported }
        set { serviceDiscovery.unsupported = newValue }
    }
}

/// The cursor of `static_configs[group].targets[index]`, for positioned errors.
private func groupCursor(_ groups: ConfigCursor, _ group: Int, _ index: Int) -> ConfigCursor {
    guard case .sequence(let items) = groups.node.kind, group < items.count else { return groups }
    let groupNode = groups.element(group, items[group])
    guard let targets = groupNode.node["targets"], case .sequence(let list) = targets.kind, index < list.count else {
        return groupNode
    }
    return groupNode.child("targets", targets).element(index, list[index])
}
