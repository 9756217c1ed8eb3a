import PharosCore

/// The `global:` section. Defaults are Prometheus': scrape every 1m with a 10s timeout,
/// evaluate rules every 1m. Scrape configs inherit the scrape settings and limits.
package struct GlobalConfig: Sendable, Hashable {
    package var scrapeInterval = PrometheusDuration(milliseconds: 60_000)
    package var scrapeTimeout = PrometheusDuration(milliseconds: 10_000)
    package var scrapeProtocols = ScrapeProtocol.defaults
    /// True when `scrape_protocols` was written (jobs then inherit it even with native histograms).
    package var scrapeProtocolsExplicit = false
    package var evaluationInterval = PrometheusDuration(milliseconds: 60_000)
    package var ruleQueryOffset = PrometheusDuration(milliseconds: 0)
    package var externalLabels = Labels.empty
    /// Accepted for compatibility; Pharos does not write a query log.
    package var queryLogFile: String?
    package var scrapeFailureLogFile: String?
    package var limits = ScrapeLimits()
    package var metricNameValidationScheme = LabelNameValidationScheme.utf8
    package var metricNameEscapingScheme: String?
    package var alwaysScrapeClassicHistograms = false
    package var convertClassicHistogramsToNHCB = false
    package var scrapeNativeHistograms: Bool?
    package var extraScrapeMetrics: Bool?

    package init() {}
}

/// Per-scrape limits; zero means unlimited. A job's zero falls back to the global value.
package struct ScrapeLimits: Sendable, Hashable {
    package var bodySizeLimit = ByteSize(bytes: 0)
    package var sampleLimit: UInt64 = 0
    package var targetLimit: UInt64 = 0
    package var labelLimit: UInt64 = 0
    package var labelNameLengthLimit: UInt64 = 0
    package var labelValueLengthLimit: UInt64 = 0
    package var keepDroppedTargets: UInt64 = 0

    package init() {}

    /// Each zero field takes the value of `fallback`.
    func inheriting(_ fallback: ScrapeLimits) -> ScrapeLimits {
        var out = self
        if out.bodySizeLimit.bytes == 0 { out.bodySizeLimit = fallback.bodySizeLimit }
        if out.sampleLimit == 0 { out.sampleLimit = fallback.sampleLimit }
        if out.targetLimit == 0 { out.targetLimit = fallback.targetLimit }
        if out.labelLimit == 0 { out.labelLimit = fallback.labelLimit }
        if out.labelNameLengthLimit == 0 { out.labelNameLengthLimit = fallback.labelNameLengthLimit }
        if out.labelValueLengthLimit == 0 { out.labelValueLengthLimit = fallback.labelValueLengthLimit }
        if out.keepDroppedTargets == 0 { out.keepDroppedTargets = fallback.keepDroppedTargets }
        return out
    }

    static func decode(from fields: MappingReader) throws(ConfigError) -> ScrapeLimits {
        var limits = ScrapeLimits()
        if let node = fields.take("body_size_limit") { limits.bodySizeLimit = try node.byteSize() }
        limits.sampleLimit = try fields.uint64("sample_limit") ?? 0
        limits.targetLimit = try fields.uint64("target_limit") ?? 0
        limits.labelLimit = try fields.uint64("label_limit") ?? 0
        limits.labelNameLengthLimit = try fields.uint64("label_name_length_limit") ?? 0
        limits.labelValueLengthLimit = try fields.uint64("label_value_length_limit") ?? 0
        limits.keepDroppedTargets = try fields.uint64("keep_dropped_targets") ?? 0
        return limits
    }
}

extension LabelNameValidationScheme {
    static func decode(_ cursor: ConfigCursor) throws(ConfigError) -> LabelNameValidationScheme {
        let text = try cursor.string()
        guard let scheme = LabelNameValidationScheme(rawValue: text) else {
            throw cursor.fail("unknown name validation method \(goQuote(text)) (use utf8 or legacy)")
        }
        return scheme
    }
}

extension GlobalConfig {
    static func decode(_ cursor: ConfigCursor) throws(ConfigError) -> GlobalConfig {
        let fields = try cursor.mapping("global")
        var global = GlobalConfig()
        let intervalNode = fields.take("scrape_interval")
        if let interval = try intervalNode?.duration(), interval.milliseconds > 0 { global.scrapeInterval = interval }
        let timeoutNode = fields.take("scrape_timeout")
        let timeout = try timeoutNode?.duration()
        if let node = fields.take("scrape_protocols") {
            global.scrapeProtocols = try ScrapeProtocol.decodeList(node)
            global.scrapeProtocolsExplicit = true
        }
        if let interval = try fields.duration("evaluation_interval"), interval.milliseconds > 0 {
            global.evaluationInterval = interval
        }
        global.ruleQueryOffset = try fields.duration("rule_query_offset") ?? global.ruleQueryOffset
        if let node = fields.take("metric_name_validation_scheme") {
            global.metricNameValidationScheme = try LabelNameValidationScheme.decode(node)
        }
        if let node = fields.take("metric_name_escaping_scheme") {
            global.metricNameEscapingScheme = try MetricNameEscaping.decode(node)
        }
        if let node = fields.take("external_labels") {
            global.externalLabels = try node.labels(global.metricNameValidationScheme).expandingEnvironment(cursor.environment)
        }
        if let node = fields.take("query_log_file") {
            global.queryLogFile = try node.filePath()
            node.note("accepted and ignored: Pharos does not write a query log")
        }
        global.scrapeFailureLogFile = try fields.filePath("scrape_failure_log_file")
        global.limits = try ScrapeLimits.decode(from: fields)
        global.alwaysScrapeClassicHistograms = try fields.bool("always_scrape_classic_histograms") ?? false
        global.convertClassicHistogramsToNHCB = try fields.bool("convert_classic_histograms_to_nhcb") ?? false
        global.scrapeNativeHistograms = try fields.bool("scrape_native_histograms")
        global.extraScrapeMetrics = try fields.bool("extra_scrape_metrics")
        try fields.finish()

        if let timeout, timeout.milliseconds > 0 {
            if timeout > global.scrapeInterval {
                throw (timeoutNode ?? cursor).fail(.invalidConfig, "global scrape timeout greater than scrape interval")
            }
            global.scrapeTimeout = timeout
        } else if global.scrapeTimeout > global.scrapeInterval {
            global.scrapeTimeout = global.scrapeInterval
        }
        return global
    }
}

/// `metric_name_escaping_scheme` values.
enum MetricNameEscaping {
    static let allowed = ["allow-utf-8", "underscores", "dots", "values"]

    static func decode(_ cursor: ConfigCursor) throws(ConfigError) -> String {
        let text = try cursor.string()
        guard allowed.contains(text) else {
            throw cursor.fail("unknown name escaping method \(goQuote(text)) (use allow-utf-8, underscores, dots or values)")
        }
        return text
    }
}

extension Labels {
    /// Prometheus 3 expands `$VAR` and `${VAR}` in external label values (`$$` is a `$`);
    /// unset variables become empty, which removes the label.
    func expandingEnvironment(_ environment: [String: String]) -> Labels {
        Labels(map { Label(name: $0.name, value: expandEnvironment($0.value, environment)) })
    }
}

/// Go's `os.Expand` with `$$` kept as `$`.
func expandEnvironment(_ text: String, _ environment: [String: String]) -> String {
    guard text.contains("$") else { return text }
    let scalars = Array(text.unicodeScalars)
    var out = ""
    var index = 0
    func isNameScalar(_ s: Unicode.Scalar) -> Bool {
        s == "_" || (s.value >= 48 && s.value <= 57) || (s.value | 0x20 >= 97 && s.value | 0x20 <= 122)
    }
    while index < scalars.count {
        let scalar = scalars[index]
        guard scalar == "$", index + 1 < scalars.count else {
            out.unicodeScalars.append(scalar)
            index += 1
            continue
        }
        let next = scalars[index + 1]
        if next == "$" {
            out += "$"
            index += 2
        } else if next == "{" {
            guard let close = scalars[(index + 2)...].firstIndex(of: "}") else {
                // Go eats a malformed "${" and keeps what follows.
                index += 2
                continue
            }
            var name = ""
            name.unicodeScalars.append(contentsOf: scalars[(index + 2)..<close])
            out += environment[name] ?? ""
            index = close + 1
        } else if isNameScalar(next) {
            var end = index + 1
            while end < scalars.count, isNameScalar(scalars[end]) { end += 1 }
            var name = ""
            name.unicodeScalars.append(contentsOf: scalars[(index + 1)..<end])
            out += environment[name] ?? ""
            index = end
        } else {
            out += "$"
            index += 1
        }
    }
    return out
}
