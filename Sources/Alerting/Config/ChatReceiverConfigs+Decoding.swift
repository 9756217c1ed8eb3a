import PharosConfig
import PharosCore

extension TelegramConfig {
    static func decode(_ cursor: ConfigCursor, global: AlertmanagerGlobalConfig) throws(ConfigError) -> TelegramConfig {
        let fields = try cursor.mapping("config.plain")
        var config = TelegramConfig()
        config.sendResolved = try fields.strictBool("send_resolved") ?? true
        config.httpConfig = try fields.take("http_config")?.httpClientConfig() ?? global.httpConfig
        let apiURL = try fields.take("api_url")?.alertmanagerURL()
        config.botToken = try fields.string("bot_token") ?? ""
        config.botTokenFile = try fields.filePath("bot_token_file") ?? ""
        config.chatID = try fields.strictInt64("chat_id") ?? 0
        config.message = try fields.text("message", config.message)
        config.disableNotifications = try fields.strictBool("disable_notifications") ?? false
        config.parseMode = try fields.text("parse_mode", config.parseMode)
        try fields.finish()
        if config.botToken.isEmpty, config.botTokenFile.isEmpty {
            throw cursor.fail(.invalidConfig, "missing bot_token on telegram_config")
        }
        if !config.botToken.isEmpty, !config.botTokenFile.isEmpty {
            throw cursor.fail(.invalidConfig, "at most one of bot_token & bot_token_file must be configured")
        }
        if config.chatID == 0 { throw cursor.fail(.invalidConfig, "missing chat_id on telegram_config") }
        if !["", "Markdown", "MarkdownV2", "HTML"].contains(config.parseMode) {
            throw cursor.fail(.invalidConfig,
                              "unknown parse_mode on telegram_config, must be Markdown, MarkdownV2, HTML or empty string")
        }
        config.apiURL = apiURL ?? global.telegramAPIURL ?? ""
        return config
    }
}

extension DiscordConfig {
    static func decode(_ cursor: ConfigCursor, global: AlertmanagerGlobalConfig) throws(ConfigError) -> DiscordConfig {
        let fields = try cursor.mapping("config.plain")
        var config = DiscordConfig()
        config.sendResolved = try fields.strictBool("send_resolved") ?? true
        config.httpConfig = try fields.take("http_config")?.httpClientConfig() ?? global.httpConfig
        config.webhookURL = try fields.take("webhook_url")?.secretURL() ?? ""
        config.webhookURLFile = try fields.filePath("webhook_url_file") ?? ""
        config.title = try fields.text("title", config.title)
        config.message = try fields.text("message", config.message)
        try fields.finish()
        if config.webhookURL.isEmpty, config.webhookURLFile.isEmpty {
            throw cursor.fail(.invalidConfig, "no discord webhook URL provided")
        }
        if !config.webhookURL.isEmpty, !config.webhookURLFile.isEmpty {
            throw cursor.fail(.invalidConfig, "at most one of webhook_url & webhook_url_file must be configured")
        }
        return config
    }
}

extension WebexConfig {
    static func decode(_ cursor: ConfigCursor, global: AlertmanagerGlobalConfig) throws(ConfigError) -> WebexConfig {
        let fields = try cursor.mapping("config.plain")
        var config = WebexConfig()
        config.sendResolved = try fields.strictBool("send_resolved") ?? true
        let own = try fields.take("http_config")?.httpClientConfig()
        let apiURL = try fields.take("api_url")?.alertmanagerURL()
        config.message = try fields.text("message", config.message)
        config.roomID = try fields.text("room_id", "")
        try fields.finish()
        if config.roomID.isEmpty { throw cursor.fail(.invalidConfig, "missing room_id on webex_config") }
        // The receiver's own client settings must carry the bot token; the global ones do not count.
        guard let own, own.authorization != nil else {
            throw cursor.fail(.invalidConfig, "missing webex_configs.http_config.authorization")
        }
        config.httpConfig = own
        guard let url = apiURL ?? global.webexAPIURL else { throw cursor.fail(.invalidConfig, "no global Webex URL set") }
        config.apiURL = url
        return config
    }
}

extension WechatConfig {
    static func decode(_ cursor: ConfigCursor, global: AlertmanagerGlobalConfig) throws(ConfigError) -> WechatConfig {
        let fields = try cursor.mapping("config.plain")
        var config = WechatConfig()
        config.sendResolved = try fields.strictBool("send_resolved") ?? false
        config.httpConfig = try fields.take("http_config")?.httpClientConfig() ?? global.httpConfig
        config.apiSecret = try fields.text("api_secret", "")
        config.corpID = try fields.text("corp_id", "")
        config.message = try fields.text("message", config.message)
        let apiURL = try fields.take("api_url")?.alertmanagerURL()
        config.toUser = try fields.text("to_user", config.toUser)
        config.toParty = try fields.text("to_party", config.toParty)
        config.toTag = try fields.text("to_tag", config.toTag)
        config.agentID = try fields.text("agent_id", config.agentID)
        config.messageType = try fields.text("message_type", "")
        try fields.finish()
        if config.messageType.isEmpty { config.messageType = "text" }
        if config.messageType != "text", config.messageType != "markdown" {
            throw cursor.fail(.invalidConfig,
                              "weChat message type \(goQuote(config.messageType)) does not match valid options ^(text|markdown)$")
        }
        guard let url = apiURL ?? global.wechatAPIURL else { throw cursor.fail(.invalidConfig, "no global Wechat URL set") }
        if config.apiSecret.isEmpty {
            if global.wechatAPISecret.isEmpty { throw cursor.fail(.invalidConfig, "no global Wechat ApiSecret set") }
            config.apiSecret = global.wechatAPISecret
        }
        if config.corpID.isEmpty {
            if global.wechatAPICorpID.isEmpty { throw cursor.fail(.invalidConfig, "no global Wechat CorpID set") }
            config.corpID = global.wechatAPICorpID
        }
        config.apiURL = GoURL(url)?.withTrailingSlash.string ?? url
        return config
    }
}
