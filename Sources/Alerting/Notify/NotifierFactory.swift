import PharosCore

/// Builds a receiver's notifiers from its config: one per entry of every kind Alertmanager
/// 0.25 sends (email, PagerDuty, Opsgenie, WeChat, Slack, VictorOps, Pushover, SNS, Telegram,
/// Discord, Webex), and of `webhook_configs` through the `webhook` hook.
///
/// The webhook notifier lives with the dispatcher (branch `amruntime`); whoever composes the
/// two passes its constructor as `webhook`. Without it, and for kinds newer than Alertmanager
/// 0.25 (`msteams_configs`, …), the integrations are listed in `unsupported` and left out.
package enum NotifierFactory {
    /// Makes the notifier of one `webhook_configs` entry.
    package typealias WebhookMaker = @Sendable (WebhookConfig, NotifierOptions) throws(NotifyError) -> any Notifier

    /// What `make` built, and what it could not.
    package struct Result: Sendable {
        package var notifiers: [any Notifier] = []
        /// One line per integration left out: `receiver "ops": msteams_configs[0]: not supported by Pharos yet`.
        package var unsupported: [String] = []
    }

    /// The receiver's integrations in the order Alertmanager 0.25's `buildReceiverIntegrations`
    /// builds them: webhook, email, pagerduty, opsgenie, wechat, slack, victorops, pushover,
    /// sns, telegram, discord, webex.
    /// - Throws: `NotifyError` when an integration's client cannot be built (unreadable TLS files).
    package static func make(for receiver: ReceiverConfig, templates: NotificationTemplates,
                             options: NotifierOptions = NotifierOptions(),
                             webhook: WebhookMaker? = nil) throws(NotifyError) -> Result {
        var result = Result()
        let prefix = "receiver \(goQuote(receiver.name))"
        for (i, config) in receiver.webhookConfigs.enumerated() {
            if let webhook {
                result.notifiers.append(try webhook(config, options))
            } else {
                result.unsupported.append("\(prefix): webhook_configs[\(i)]: no webhook notifier plugged into the factory")
            }
        }
        for config in receiver.emailConfigs {
            result.notifiers.append(EmailNotifier(config: config, templates: templates, options: options))
        }
        for config in receiver.pagerdutyConfigs {
            result.notifiers.append(try PagerDutyNotifier(config: config, templates: templates, options: options))
        }
        for config in receiver.opsgenieConfigs {
            result.notifiers.append(try OpsGenieNotifier(config: config, templates: templates, options: options))
        }
        for config in receiver.wechatConfigs {
            result.notifiers.append(try WeChatNotifier(config: config, templates: templates, options: options))
        }
        for config in receiver.slackConfigs {
            result.notifiers.append(try SlackNotifier(config: config, templates: templates, options: options))
        }
        for config in receiver.victoropsConfigs {
            result.notifiers.append(try VictorOpsNotifier(config: config, templates: templates, options: options))
        }
        for config in receiver.pushoverConfigs {
            result.notifiers.append(try PushoverNotifier(config: config, templates: templates, options: options))
        }
        for config in receiver.snsConfigs {
            result.notifiers.append(try SNSNotifier(config: config, templates: templates, options: options))
        }
        for config in receiver.telegramConfigs {
            result.notifiers.append(try TelegramNotifier(config: config, templates: templates, options: options))
        }
        for config in receiver.discordConfigs {
            result.notifiers.append(try DiscordNotifier(config: config, templates: templates, options: options))
        }
        for config in receiver.webexConfigs {
            result.notifiers.append(try WebexNotifier(config: config, templates: templates, options: options))
        }
        for kind in receiver.otherIntegrations.keys.sorted() {
            for i in receiver.otherIntegrations[kind]!.indices {
                result.unsupported.append("\(prefix): \(kind)[\(i)]: not supported by Pharos yet")
            }
        }
        return result
    }
}
