import PharosConfig

extension ReceiverConfig {
    /// Decodes the kinds beyond webhook, Slack, email and PagerDuty, each with its defaults,
    /// the globals it inherits and Alertmanager 0.25's checks.
    mutating func decodeMoreKinds(_ fields: MappingReader, global: AlertmanagerGlobalConfig) throws(ConfigError) {
        for item in try fields.take("opsgenie_configs")?.sequence() ?? [] {
            opsgenieConfigs.append(try OpsGenieConfig.decode(item, global: global))
        }
        for item in try fields.take("wechat_configs")?.sequence() ?? [] {
            wechatConfigs.append(try WechatConfig.decode(item, global: global))
        }
        for item in try fields.take("victorops_configs")?.sequence() ?? [] {
            victoropsConfigs.append(try VictorOpsConfig.decode(item, global: global))
        }
        for item in try fields.take("pushover_configs")?.sequence() ?? [] {
            pushoverConfigs.append(try PushoverConfig.decode(item, global: global))
        }
        for item in try fields.take("sns_configs")?.sequence() ?? [] {
            snsConfigs.append(try SNSConfig.decode(item, global: global))
        }
        for item in try fields.take("telegram_configs")?.sequence() ?? [] {
            telegramConfigs.append(try TelegramConfig.decode(item, global: global))
        }
        for item in try fields.take("discord_configs")?.sequence() ?? [] {
            discordConfigs.append(try DiscordConfig.decode(item, global: global))
        }
        for item in try fields.take("webex_configs")?.sequence() ?? [] {
            webexConfigs.append(try WebexConfig.decode(item, global: global))
        }
    }
}
