import PharosConfig

/// `opsgenie_configs[]` (Alertmanager 0.25): `send_resolved` defaults to true; `api_url` and
/// `api_key(_file)` inherit the globals; `api_url` always ends with "/".
package struct OpsGenieConfig: Sendable, Hashable {
    /// One `responders[]` entry; at least one of id, name, username is set. `type` is kept as
    /// written (Alertmanager checks it lower-cased but sends it unchanged).
    package struct Responder: Sendable, Hashable {
        package var id = ""
        package var name = ""
        package var username = ""
        package var type = ""
        package init(id: String = "", name: String = "", username: String = "", type: String = "") {
            self.id = id
            self.name = name
            self.username = username
            self.type = type
        }
    }

    package var sendResolved = true
    package var httpConfig = HTTPClientConfig()
    /// A template, as in Alertmanager (rendered before use).
    package var apiKey = ""
    package var apiKeyFile = ""
    package var apiURL = ""
    package var message = #"{{ template "opsgenie.default.message" . }}"#
    package var description = #"{{ template "opsgenie.default.description" . }}"#
    package var source = #"{{ template "opsgenie.default.source" . }}"#
    /// Templates; sent over the common labels of the notification.
    package var details: [String: String] = [:]
    package var entity = ""
    package var responders: [Responder] = []
    /// Comma-separated after rendering.
    package var actions = ""
    /// Comma-separated after rendering.
    package var tags = ""
    package var note = ""
    package var priority = ""
    /// Also PUT the message and description of an alert that exists already.
    package var updateAlerts = false
    package init() {}
}

/// `victorops_configs[]`: `send_resolved` defaults to true; `api_url` (ending with "/") and
/// `api_key(_file)` inherit the globals; `routing_key` is required.
package struct VictorOpsConfig: Sendable, Hashable {
    package var sendResolved = true
    package var httpConfig = HTTPClientConfig()
    package var apiKey = ""
    package var apiKeyFile = ""
    package var apiURL = ""
    /// A template; the path segment after the API key.
    package var routingKey = ""
    /// INFO, WARNING or CRITICAL while firing (anything else becomes CRITICAL); RECOVERY when resolved.
    package var messageType = "CRITICAL"
    package var stateMessage = #"{{ template "victorops.default.state_message" . }}"#
    package var entityDisplayName = #"{{ template "victorops.default.entity_display_name" . }}"#
    package var monitoringTool = #"{{ template "victorops.default.monitoring_tool" . }}"#
    /// Extra payload fields (templates); the fixed field names are refused.
    package var customFields: [String: String] = [:]
    package init() {}

    static let reservedFields = ["routing_key", "message_type", "state_message", "entity_display_name",
                                 "monitoring_tool", "entity_id", "entity_state"]
}

/// `pushover_configs[]`: `send_resolved` defaults to true; priority 2 (emergency) while firing,
/// 0 when resolved; retry every minute, expire after an hour.
package struct PushoverConfig: Sendable, Hashable {
    package var sendResolved = true
    package var httpConfig = HTTPClientConfig()
    package var userKey = ""
    /// Pharos also reads `user_key_file` and `token_file` (Alertmanager 0.26's keys).
    package var userKeyFile = ""
    package var token = ""
    package var tokenFile = ""
    package var title = #"{{ template "pushover.default.title" . }}"#
    package var message = #"{{ template "pushover.default.message" . }}"#
    package var url = #"{{ template "pushover.default.url" . }}"#
    package var urlTitle = ""
    package var sound = ""
    package var priority = #"{{ if eq .Status "firing" }}2{{ else }}0{{ end }}"#
    /// Go durations (`retry: 30s`) in nanoseconds; sent as whole seconds.
    package var retry: Int64 = 60_000_000_000
    package var expire: Int64 = 3_600_000_000_000
    /// Render `message` as HTML and send `html=1`.
    package var html = false
    package init() {}
}

/// `sigv4:` of an SNS config (Prometheus' `sigv4.SigV4Config`).
package struct SigV4Config: Sendable, Hashable {
    /// Empty: `AWS_REGION` from the environment.
    package var region = ""
    /// Empty: `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY` from the environment.
    package var accessKey = ""
    package var secretKey = ""
    /// Accepted; Pharos cannot send with a profile or an assumed role (the notifier says so).
    package var profile = ""
    package var roleARN = ""
    package init() {}
}

/// `sns_configs[]`: exactly one of `target_arn`, `topic_arn`, `phone_number` (as Alertmanager's
/// check reads); `send_resolved` defaults to true.
package struct SNSConfig: Sendable, Hashable {
    package var sendResolved = true
    package var httpConfig = HTTPClientConfig()
    /// A template; empty is the regional endpoint `https://sns.<region>.amazonaws.com`.
    package var apiURL = ""
    package var sigv4 = SigV4Config()
    package var topicARN = ""
    package var phoneNumber = ""
    package var targetARN = ""
    package var subject = #"{{ template "sns.default.subject" . }}"#
    package var message = #"{{ template "sns.default.message" . }}"#
    /// Message attributes (names and values are templates), sent as String attributes.
    package var attributes: [String: String] = [:]
    package init() {}
}
