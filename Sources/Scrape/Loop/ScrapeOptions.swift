import Exposition
import PharosConfig
import PharosCore
import Relabel

/// The per-job settings a scrape loop applies, taken from a `ScrapeConfig`.
package struct ScrapeOptions: Sendable, Hashable {
    package var honorLabels = false
    package var honorTimestamps = true
    package var trackTimestampsStaleness = false
    package var metricRelabelConfigs: [RelabelConfig] = []
    /// 0 means no limit, for each.
    package var sampleLimit = 0
    package var labelLimit = 0
    package var labelNameLengthLimit = 0
    package var labelValueLengthLimit = 0
    package var bodySizeLimit = 0
    package var enableCompression = true
    package var accept = ScrapeOptions.acceptHeader(ScrapeProtocol.defaults, escaping: "underscores")
    /// `fallback_scrape_protocol`: the format for a missing or unknown `Content-Type`; without
    /// one such a scrape fails, as in Prometheus 3.
    package var fallback: ScrapeContentType.Fallback?

    package init() {}

    package init(_ config: ScrapeConfig) {
        honorLabels = config.honorLabels
        honorTimestamps = config.honorTimestamps
        trackTimestampsStaleness = config.trackTimestampsStaleness
        metricRelabelConfigs = config.metricRelabelConfigs
        sampleLimit = Int(clamping: config.limits.sampleLimit)
        labelLimit = Int(clamping: config.limits.labelLimit)
        labelNameLengthLimit = Int(clamping: config.limits.labelNameLengthLimit)
        labelValueLengthLimit = Int(clamping: config.limits.labelValueLengthLimit)
        bodySizeLimit = Int(clamping: config.limits.bodySizeLimit.bytes)
        enableCompression = config.enableCompression
        accept = Self.acceptHeader(config.scrapeProtocols, escaping: config.metricNameEscapingScheme ?? "underscores")
        fallback = config.fallbackScrapeProtocol.map(Self.fallback)
    }

    /// A protocol as a fallback: its parser format and the media type Prometheus names for it.
    static func fallback(_ proto: ScrapeProtocol) -> ScrapeContentType.Fallback {
        switch proto {
        case .prometheusProto: ScrapeContentType.Fallback(format: nil, mediaType: "application/vnd.google.protobuf")
        case .prometheusText0_0_4, .prometheusText1_0_0: ScrapeContentType.Fallback(format: .text004, mediaType: "text/plain")
        case .openMetricsText0_0_1, .openMetricsText1_0_0:
            ScrapeContentType.Fallback(format: .openMetrics, mediaType: "application/openmetrics-text")
        }
    }

    /// Prometheus' `acceptHeader`: each protocol's media type weighted from q=0.6 down, the
    /// 1.0.0 text formats with the escaping scheme, then `*/*`. The protobuf format is left out:
    /// Pharos does not parse it, so it must not be asked for.
    package static func acceptHeader(_ protocols: [ScrapeProtocol], escaping: String) -> String {
        var values: [String] = []
        var weight = 6
        for proto in protocols {
            var value: String
            switch proto {
            case .prometheusProto: continue
            case .prometheusText0_0_4: value = "text/plain;version=0.0.4"
            case .prometheusText1_0_0: value = "text/plain;version=1.0.0;escaping=\(escaping)"
            case .openMetricsText0_0_1: value = "application/openmetrics-text;version=0.0.1"
            case .openMetricsText1_0_0: value = "application/openmetrics-text;version=1.0.0;escaping=\(escaping)"
            }
            value += ";q=0.\(weight)"
            values.append(value)
            weight -= 1
        }
        values.append("*/*;q=0.\(weight)")
        return values.joined(separator: ",")
    }
}
