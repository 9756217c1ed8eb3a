import PharosConfig
import PharosCore

/// An alertmanager.yml, decoded with positions and defaulted and validated as Alertmanager
/// 0.25 does (`config.LoadFile`): globals inherited by receivers, references checked.
///
/// A plain value; build it with `AlertmanagerConfig.load(file:)`, `parse(_:file:)` or
/// `decode(_:)` (an inline `alertmanager:` section of the Pharos config).
package struct AlertmanagerConfig: Sendable, Hashable {
    package var global = AlertmanagerGlobalConfig()
    package var route = RouteConfig()
    package var inhibitRules: [InhibitRuleConfig] = []
    package var receivers: [ReceiverConfig] = []
    /// Template globs, joined to the config's folder when relative.
    package var templates: [String] = []
    /// Legacy `mute_time_intervals` (same shape as `time_intervals`).
    package var muteTimeIntervals: [NamedTimeInterval] = []
    package var timeIntervals: [NamedTimeInterval] = []
    /// The file this config was read from.
    package var file = ""
    /// The YAML it was decoded from (the file, or the inline `alertmanager:` section).
    package var source = YAMLNode(.null)
    /// Inputs accepted with a caveat (classic-only matchers, unmodelled receivers).
    package var notices: [ConfigNotice] = []

    package init() {}

    /// Both interval lists by name, for routes' mute and active intervals.
    package var namedTimeIntervals: TimeIntervals {
        var out: [String: [TimeIntervalSpec]] = [:]
        for interval in muteTimeIntervals + timeIntervals { out[interval.name] = interval.intervals }
        return TimeIntervals(out)
    }

    package func receiver(named name: String) -> ReceiverConfig? { receivers.first { $0.name == name } }
}

/// A named list of time intervals.
package struct NamedTimeInterval: Sendable, Hashable {
    package var name: String
    package var intervals: [TimeIntervalSpec]
    package init(name: String, intervals: [TimeIntervalSpec]) {
        self.name = name
        self.intervals = intervals
    }
}

/// `global:` with Alertmanager's defaults (applied also when the section is absent).
package struct AlertmanagerGlobalConfig: Sendable, Hashable {
    package var resolveTimeout = PrometheusDuration(milliseconds: 5 * 60_000)
    package var httpConfig = HTTPClientConfig()
    package var smtpFrom = ""
    package var smtpHello = "localhost"
    /// `host:port`, "" when unset.
    package var smtpSmarthost = ""
    package var smtpAuthUsername = ""
    package var smtpAuthPassword = ""
    package var smtpAuthPasswordFile = ""
    package var smtpAuthSecret = ""
    package var smtpAuthIdentity = ""
    package var smtpRequireTLS = true
    package var slackAPIURL: String?
    package var slackAPIURLFile = ""
    package var pagerdutyURL: String? = "https://events.pagerduty.com/v2/enqueue"
    package var opsgenieAPIURL: String? = "https://api.opsgenie.com/"
    package var opsgenieAPIKey = ""
    package var opsgenieAPIKeyFile = ""
    package var wechatAPIURL: String? = "https://qyapi.weixin.qq.com/cgi-bin/"
    package var wechatAPISecret = ""
    package var wechatAPICorpID = ""
    package var victoropsAPIURL: String? = "https://alert.victorops.com/integrations/generic/20131114/alert/"
    package var victoropsAPIKey = ""
    package var victoropsAPIKeyFile = ""
    package var telegramAPIURL: String? = "https://api.telegram.org"
    package var webexAPIURL: String? = "https://webexapis.com/v1/messages"

    package init() {}
}

/// `inhibit_rules[]`: legacy maps and matcher lists merged into one matcher list per side.
package struct InhibitRuleConfig: Sendable, Hashable {
    package var sourceMatchers: [LabelMatcher] = []
    package var targetMatchers: [LabelMatcher] = []
    package var equal: [String] = []
    package init() {}
}

extension AlertmanagerConfig {
    /// The config as `/api/v2/status` shows it (`config.original`): the YAML it was read
    /// from, with every secret as `<secret>` (Alertmanager shows its re-marshalled config,
    /// defaults filled in; Pharos shows what was written).
    package var maskedYAML: String { source.maskingSecrets().yamlText }
}
