import PharosCore
import Relabel

/// prometheus.yml's `alerting:` section: where the rule manager's alerts are sent besides the
/// embedded Alertmanager (Prometheus' notifier).
package struct AlertingConfig: Sendable, Hashable {
    /// Applied to every alert before any destination (after external labels are added).
    package var alertRelabelConfigs: [RelabelConfig] = []
    /// One entry per `alertmanagers:` item; Prometheus names them `config-0`, `config-1`, …
    package var alertmanagers: [AlertmanagerSetConfig] = []

    package init() {}
}

/// One `alertmanagers:` entry: how a set of Alertmanagers is found and spoken to.
package struct AlertmanagerSetConfig: Sendable, Hashable {
    /// Deadline of one POST (Prometheus' default 10s).
    package var timeout = PrometheusDuration(milliseconds: 10_000)
    /// Only `v2` exists since Prometheus 2.? dropped v1; kept to refuse anything else.
    package var apiVersion = "v2"
    /// Prepended to `/api/v2/alerts`.
    package var pathPrefix = ""
    package var scheme = "http"
    package var serviceDiscovery = ServiceDiscoveryConfigs()
    package var httpClient = HTTPClientConfig()
    /// Applied to the discovered Alertmanager targets (`__address__`, `__scheme__`, `__alerts_path__`).
    package var relabelConfigs: [RelabelConfig] = []
    /// Applied to the alerts sent to this set only (after the global ones).
    package var alertRelabelConfigs: [RelabelConfig] = []

    package init() {}
}

extension ConfigCursor {
    func alertingConfig(_ validation: LabelNameValidationScheme) throws(ConfigError) -> AlertingConfig {
        var config = AlertingConfig()
        if isNull { return config }
        let fields = try mapping("alerting_config")
        config.alertRelabelConfigs = try fields.take("alert_relabel_configs")?.relabelConfigs(validation) ?? []
        for item in try fields.take("alertmanagers")?.sequence() ?? [] {
            config.alertmanagers.append(try item.alertmanagerSetConfig(validation))
        }
        try fields.finish()
        return config
    }

    private func alertmanagerSetConfig(_ validation: LabelNameValidationScheme) throws(ConfigError) -> AlertmanagerSetConfig {
        var config = AlertmanagerSetConfig()
        if isNull { return config }
        let fields = try mapping("alertmanager_config")
        config.relabelConfigs = try fields.take("relabel_configs")?.relabelConfigs(validation) ?? []
        config.alertRelabelConfigs = try fields.take("alert_relabel_configs")?.relabelConfigs(validation) ?? []
        if let version = fields.take("api_version") {
            let text = try version.string()
            guard text == "v2" else { throw version.fail("expected Alertmanager api version to be one of [v2] but got \(text)") }
            config.apiVersion = text
        }
        config.timeout = try fields.duration("timeout") ?? config.timeout
        if let scheme = fields.take("scheme") {
            let text = try scheme.string()
            guard text == "http" || text == "https" else { throw scheme.fail("unsupported scheme \(goQuote(text)) (use http or https)") }
            config.scheme = text
        }
        config.pathPrefix = try fields.string("path_prefix") ?? ""
        if let node = fields.take("sigv4") { node.note("not supported yet: alerts will be sent without sigv4 credentials") }
        config.serviceDiscovery = try ServiceDiscoveryConfigs.decode(from: fields, validation: validation)
        config.httpClient = try HTTPClientConfig.decode(from: fields)
        try fields.finish()
        return config
    }
}
