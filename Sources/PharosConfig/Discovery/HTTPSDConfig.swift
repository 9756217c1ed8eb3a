import PharosCore

/// An `http_sd_configs` entry (Prometheus' `discovery/http.SDConfig`): a URL answering a JSON
/// list of `{targets, labels}` groups, fetched every `refreshInterval` with the inlined
/// `http_config` keys.
package struct HTTPSDConfig: Sendable, Hashable {
    /// An `http` or `https` URL with a host (checked when decoded).
    package var url: String
    package var refreshInterval = PrometheusDuration(milliseconds: 60_000)
    package var httpClient = HTTPClientConfig()

    package init(url: String, refreshInterval: PrometheusDuration = PrometheusDuration(milliseconds: 60_000),
                 httpClient: HTTPClientConfig = HTTPClientConfig()) {
        self.url = url
        self.refreshInterval = refreshInterval
        self.httpClient = httpClient
    }
}

extension HTTPSDConfig {
    /// Decodes one entry; unknown keys, a missing URL, a scheme other than http/https, a URL
    /// without host and invalid http_config combinations are errors at their node.
    static func decode(_ cursor: ConfigCursor) throws(ConfigError) -> HTTPSDConfig {
        let fields = try cursor.mapping("http_sd_config")
        guard let urlNode = fields.take("url") else { throw cursor.fail(.invalidConfig, "URL is missing") }
        var config = HTTPSDConfig(url: try urlNode.httpURL(missing: "URL is missing"))
        if let interval = try fields.duration("refresh_interval") { config.refreshInterval = interval }
        config.httpClient = try HTTPClientConfig.decode(from: fields)
        try fields.finish()
        return config
    }
}
