import PharosConfig
import PharosCore

/// `receivers[]`: a name and its integrations, each kind modelled with Alertmanager 0.25's
/// defaults; kinds newer than 0.25 are kept raw (`otherIntegrations`).
package struct ReceiverConfig: Sendable, Hashable {
    package var name = ""
    package var webhookConfigs: [WebhookConfig] = []
    package var slackConfigs: [SlackConfig] = []
    package var emailConfigs: [EmailConfig] = []
    package var pagerdutyConfigs: [PagerdutyConfig] = []
    package var opsgenieConfigs: [OpsGenieConfig] = []
    package var wechatConfigs: [WechatConfig] = []
    package var victoropsConfigs: [VictorOpsConfig] = []
    package var pushoverConfigs: [PushoverConfig] = []
    package var snsConfigs: [SNSConfig] = []
    package var telegramConfigs: [TelegramConfig] = []
    package var discordConfigs: [DiscordConfig] = []
    package var webexConfigs: [WebexConfig] = []
    /// Kinds of later Alertmanagers (`msteams_configs`, `jira_configs`, …): key → raw items.
    package var otherIntegrations: [String: [YAMLNode]] = [:]
    package init() {}

    /// Receiver kinds added after Alertmanager 0.25, accepted but not sent.
    static let otherKinds = ["msteams_configs", "msteamsv2_configs", "jira_configs", "rocketchat_configs", "incidentio_configs"]
}

/// `webhook_configs[]`; `send_resolved` defaults to true.
package struct WebhookConfig: Sendable, Hashable {
    package var sendResolved = true
    /// The global `http_config` when the receiver has none.
    package var httpConfig = HTTPClientConfig()
    package var url: String?
    package var urlFile: String?
    /// 0 = all alerts.
    package var maxAlerts: UInt64 = 0
    package var timeout: PrometheusDuration?
    package init() {}
}

/// `slack_configs[]`; `send_resolved` defaults to false, texts to Alertmanager's templates.
package struct SlackConfig: Sendable, Hashable {
    package struct Field: Sendable, Hashable {
        package var title = ""
        package var value = ""
        package var short: Bool?
    }
    package struct ConfirmationField: Sendable, Hashable {
        package var text = ""
        package var title = ""
        package var okText = ""
        package var dismissText = ""
    }
    package struct Action: Sendable, Hashable {
        package var type = ""
        package var text = ""
        package var url = ""
        package var style = ""
        package var name = ""
        package var value = ""
        package var confirm: ConfirmationField?
    }

    package var sendResolved = false
    package var httpConfig = HTTPClientConfig()
    /// Inherited from `global.slack_api_url(_file)` when both are unset here.
    package var apiURL: String?
    package var apiURLFile = ""
    package var channel = ""
    package var username = #"{{ template "slack.default.username" . }}"#
    package var color = #"{{ if eq .Status "firing" }}danger{{ else }}good{{ end }}"#
    package var title = #"{{ template "slack.default.title" . }}"#
    package var titleLink = #"{{ template "slack.default.titlelink" . }}"#
    package var pretext = #"{{ template "slack.default.pretext" . }}"#
    package var text = #"{{ template "slack.default.text" . }}"#
    package var fields: [Field] = []
    package var shortFields = false
    package var footer = #"{{ template "slack.default.footer" . }}"#
    package var fallback = #"{{ template "slack.default.fallback" . }}"#
    package var callbackID = #"{{ template "slack.default.callbackid" . }}"#
    package var iconEmoji = #"{{ template "slack.default.iconemoji" . }}"#
    package var iconURL = #"{{ template "slack.default.iconurl" . }}"#
    package var imageURL = ""
    package var thumbURL = ""
    package var linkNames = false
    package var mrkdwnIn: [String] = []
    package var actions: [Action] = []
    package init() {}
}

/// `email_configs[]`; `send_resolved` defaults to false; SMTP settings inherit the globals.
package struct EmailConfig: Sendable, Hashable {
    package var sendResolved = false
    package var to = ""
    package var from = ""
    package var hello = ""
    package var smarthost = ""
    package var authUsername = ""
    package var authPassword = ""
    package var authPasswordFile = ""
    package var authSecret = ""
    package var authIdentity = ""
    /// Canonical MIME header names (`Subject`, `X-Team`); `Subject` defaults to the template.
    package var headers: [String: String] = [:]
    package var html = #"{{ template "email.default.html" . }}"#
    package var text = ""
    /// Inherited from `global.smtp_require_tls` when unset.
    package var requireTLS = true
    package var tlsConfig = HTTPClientConfig.TLSConfig()
    package init() {}

    package static let defaultSubject = #"{{ template "email.default.subject" . }}"#
}

/// `pagerduty_configs[]` (Events API v1 with `service_key`, v2 with `routing_key`).
package struct PagerdutyConfig: Sendable, Hashable {
    package struct Link: Sendable, Hashable {
        package var href = ""
        package var text = ""
    }
    package struct Image: Sendable, Hashable {
        package var src = ""
        package var alt = ""
        package var href = ""
    }

    package var sendResolved = true
    package var httpConfig = HTTPClientConfig()
    package var serviceKey = ""
    package var serviceKeyFile = ""
    package var routingKey = ""
    package var routingKeyFile = ""
    /// Inherited from `global.pagerduty_url`.
    package var url = ""
    package var client = #"{{ template "pagerduty.default.client" . }}"#
    package var clientURL = #"{{ template "pagerduty.default.clientURL" . }}"#
    package var description = #"{{ template "pagerduty.default.description" .}}"#
    /// Alertmanager's four default details merged under the configured ones.
    package var details: [String: String] = [:]
    package var images: [Image] = []
    package var links: [Link] = []
    /// Defaults to `client`.
    package var source = ""
    package var severity = ""
    package var `class` = ""
    package var component = ""
    package var group = ""
    package init() {}

    package static let defaultDetails: [String: String] = [
        "firing": #"{{ template "pagerduty.default.instances" .Alerts.Firing }}"#,
        "resolved": #"{{ template "pagerduty.default.instances" .Alerts.Resolved }}"#,
        "num_firing": #"{{ .Alerts.Firing | len }}"#,
        "num_resolved": #"{{ .Alerts.Resolved | len }}"#,
    ]
}
