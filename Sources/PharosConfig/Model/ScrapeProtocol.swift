/// An exposition format a scrape may negotiate, spelled as in `scrape_protocols`.
package enum ScrapeProtocol: String, Sendable, Hashable, CaseIterable {
    case prometheusProto = "PrometheusProto"
    case openMetricsText0_0_1 = "OpenMetricsText0.0.1"
    case openMetricsText1_0_0 = "OpenMetricsText1.0.0"
    case prometheusText0_0_4 = "PrometheusText0.0.4"
    case prometheusText1_0_0 = "PrometheusText1.0.0"

    /// Prometheus' default preference order.
    package static let defaults: [ScrapeProtocol] = [
        .openMetricsText1_0_0, .openMetricsText0_0_1, .prometheusText1_0_0, .prometheusText0_0_4,
    ]

    /// The order Prometheus proposes when native histograms are scraped.
    package static let protoFirst: [ScrapeProtocol] = [.prometheusProto] + defaults

    private static var supportedList: String { allCases.map(\.rawValue).joined(separator: ", ") }

    static func decodeOne(_ cursor: ConfigCursor) throws(ConfigError) -> ScrapeProtocol {
        let text = try cursor.string()
        guard let value = ScrapeProtocol(rawValue: text) else {
            throw cursor.fail("unknown scrape protocol \(text), supported: \(supportedList)")
        }
        return value
    }

    static func decodeList(_ cursor: ConfigCursor) throws(ConfigError) -> [ScrapeProtocol] {
        var out: [ScrapeProtocol] = []
        for item in try cursor.sequence() {
            let value = try decodeOne(item)
            if out.contains(value) {
                throw item.fail("duplicated protocol in scrape_protocols, got \(value.rawValue) twice")
            }
            out.append(value)
        }
        if out.isEmpty { throw cursor.fail("scrape_protocols cannot be empty") }
        return out
    }
}
