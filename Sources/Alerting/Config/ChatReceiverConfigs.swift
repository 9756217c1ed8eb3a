import PharosConfig

/// `telegram_configs[]` (Alertmanager 0.25): `send_resolved` defaults to true, `parse_mode` to
/// HTML (the message is then rendered with HTML escaping); `api_url` inherits
/// `global.telegram_api_url`; `bot_token` and a non-zero `chat_id` are required.
package struct TelegramConfig: Sendable, Hashable {
    package var sendResolved = true
    package var httpConfig = HTTPClientConfig()
    package var apiURL = ""
    package var botToken = ""
    /// Pharos also reads `bot_token_file` (Alertmanager 0.26's key).
    package var botTokenFile = ""
    package var chatID: Int64 = 0
    package var message = #"{{ template "telegram.default.message" . }}"#
    package var disableNotifications = false
    /// "", Markdown, MarkdownV2 or HTML.
    package var parseMode = "HTML"
    package init() {}
}

/// `discord_configs[]`: `send_resolved` defaults to true; a webhook URL is required.
package struct DiscordConfig: Sendable, Hashable {
    package var sendResolved = true
    package var httpConfig = HTTPClientConfig()
    package var webhookURL = ""
    /// Pharos also reads `webhook_url_file` (Alertmanager 0.26's key).
    package var webhookURLFile = ""
    package var title = #"{{ template "discord.default.title" . }}"#
    package var message = #"{{ template "discord.default.message" . }}"#
    package init() {}
}

/// `webex_configs[]`: `send_resolved` defaults to true; `room_id` and the receiver's own
/// `http_config.authorization` (the bot token) are required; `api_url` inherits the global.
package struct WebexConfig: Sendable, Hashable {
    package var sendResolved = true
    package var httpConfig = HTTPClientConfig()
    package var apiURL = ""
    package var message = #"{{ template "webex.default.message" . }}"#
    package var roomID = ""
    package init() {}
}

/// `wechat_configs[]`: `send_resolved` defaults to false; `api_url` (ending with "/"),
/// `api_secret` and `corp_id` inherit the globals; `message_type` is text or markdown.
package struct WechatConfig: Sendable, Hashable {
    package var sendResolved = false
    package var httpConfig = HTTPClientConfig()
    package var apiSecret = ""
    package var corpID = ""
    package var message = #"{{ template "wechat.default.message" . }}"#
    package var apiURL = ""
    package var toUser = #"{{ template "wechat.default.to_user" . }}"#
    package var toParty = #"{{ template "wechat.default.to_party" . }}"#
    package var toTag = #"{{ template "wechat.default.to_tag" . }}"#
    package var agentID = #"{{ template "wechat.default.agent_id" . }}"#
    package var messageType = "text"
    package init() {}
}
