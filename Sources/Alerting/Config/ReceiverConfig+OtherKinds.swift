import PharosConfig

extension ReceiverConfig {
    /// The required-field and global-inheritance checks Alertmanager 0.25 makes on the
    /// integrations Pharos keeps raw, so files it refuses are refused here too. Keys inside
    /// these configs are not checked for typos yet.
    static func checkOtherKind(_ kind: String, _ cursor: ConfigCursor, global: AlertmanagerGlobalConfig) throws(ConfigError) {
        let fields = try cursor.mapping("config.plain")
        func has(_ key: String) throws(ConfigError) -> Bool { !(try fields.string(key) ?? "").isEmpty }
        func refuse(_ message: String) -> ConfigError { cursor.fail(.invalidConfig, message) }
        switch kind {
        case "opsgenie_configs":
            if try has("api_key"), try has("api_key_file") { throw refuse("at most one of api_key & api_key_file must be configured") }
            if try !has("api_key"), try !has("api_key_file"), global.opsgenieAPIKey.isEmpty, global.opsgenieAPIKeyFile.isEmpty {
                throw refuse("no global OpsGenie API Key set either inline or in a file")
            }
        case "wechat_configs":
            if try !has("api_secret"), global.wechatAPISecret.isEmpty { throw refuse("no global Wechat ApiSecret set") }
            if try !has("corp_id"), global.wechatAPICorpID.isEmpty { throw refuse("no global Wechat CorpID set") }
        case "pushover_configs":
            if try !has("user_key"), try !has("user_key_file") { throw refuse("missing user key in Pushover config") }
            if try !has("token"), try !has("token_file") { throw refuse("missing token in Pushover config") }
        case "victorops_configs":
            if try !has("routing_key") { throw refuse("missing Routing key in VictorOps config") }
            if try has("api_key"), try has("api_key_file") { throw refuse("at most one of api_key & api_key_file must be configured") }
            if try !has("api_key"), try !has("api_key_file"), global.victoropsAPIKey.isEmpty, global.victoropsAPIKeyFile.isEmpty {
                throw refuse("no global VictorOps API Key set")
            }
        case "sns_configs":
            // Alertmanager's own test, `(target == "") != (topic == "") != (phone == "")`.
            let target = try !has("target_arn"), topic = try !has("topic_arn"), phone = try !has("phone_number")
            if (target != topic) != phone {
                throw refuse("must provide either a Target ARN, Topic ARN, or Phone Number for SNS config")
            }
        case "telegram_configs":
            if try !has("bot_token"), try !has("bot_token_file") { throw refuse("missing bot_token on telegram_config") }
            if (try fields.string("chat_id") ?? "0") == "0" { throw refuse("missing chat_id on telegram_config") }
            if let mode = try fields.string("parse_mode"), !["", "Markdown", "MarkdownV2", "HTML"].contains(mode) {
                throw refuse("unknown parse_mode on telegram_config, must be Markdown, MarkdownV2, HTML or empty string")
            }
        case "discord_configs":
            if try !has("webhook_url"), try !has("webhook_url_file") { throw refuse("no discord webhook URL provided") }
        case "webex_configs":
            if try !has("room_id") { throw refuse("missing room_id on webex_config") }
            let http = fields.take("http_config")
            if http?.node["authorization"] == nil { throw refuse("missing webex_configs.http_config.authorization") }
        default:
            break
        }
    }
}
