import Foundation
import PharosConfig
import PharosCore
import PharosTestSupport
import Testing
@testable import Alerting

/// Decoding of the receiver kinds beyond webhook, Slack, email and PagerDuty: Alertmanager
/// 0.25's defaults, the globals they inherit, and refusals naming the field.
struct ReceiverKindsDecodingTests {
    static func receiver(_ kinds: String, global: String = "{}") throws -> ReceiverConfig {
        try AlertmanagerConfig.parse("global: \(global)\nroute: {receiver: r}\nreceivers:\n- name: r\n\(kinds)\n",
                                     file: "alertmanager.yml", directory: "/etc/am").receivers[0]
    }

    @Test func defaultsAsAlertmanager() throws {
        let r = try Self.receiver("""
          opsgenie_configs: [{api_key: k}]
          victorops_configs: [{api_key: k, routing_key: rk}]
          pushover_configs: [{user_key: u, token: t}]
          sns_configs: [{topic_arn: arn}]
          telegram_configs: [{bot_token: b, chat_id: -5}]
          discord_configs: [{webhook_url: 'http://d/'}]
          webex_configs: [{room_id: room, http_config: {bearer_token: tok}}]
          wechat_configs: [{api_secret: s, corp_id: c}]
        """)
        var opsgenie = OpsGenieConfig()
        opsgenie.apiKey = "k"
        opsgenie.apiURL = "https://api.opsgenie.com/"
        #expect(r.opsgenieConfigs == [opsgenie])
        #expect(opsgenie.sendResolved && opsgenie.message == #"{{ template "opsgenie.default.message" . }}"#)
        var victorops = VictorOpsConfig()
        victorops.apiKey = "k"
        victorops.routingKey = "rk"
        victorops.apiURL = "https://alert.victorops.com/integrations/generic/20131114/alert/"
        #expect(r.victoropsConfigs == [victorops])
        #expect(victorops.messageType == "CRITICAL" && victorops.sendResolved)
        var pushover = PushoverConfig()
        pushover.userKey = "u"
        pushover.token = "t"
        #expect(r.pushoverConfigs == [pushover])
        #expect(pushover.retry == 60_000_000_000 && pushover.expire == 3_600_000_000_000 && pushover.sendResolved && !pushover.html)
        #expect(pushover.priority == #"{{ if eq .Status "firing" }}2{{ else }}0{{ end }}"#)
        var sns = SNSConfig()
        sns.topicARN = "arn"
        #expect(r.snsConfigs == [sns])
        #expect(sns.subject == #"{{ template "sns.default.subject" . }}"# && sns.apiURL.isEmpty)
        var telegram = TelegramConfig()
        telegram.botToken = "b"
        telegram.chatID = -5
        telegram.apiURL = "https://api.telegram.org"
        #expect(r.telegramConfigs == [telegram])
        #expect(telegram.parseMode == "HTML" && telegram.sendResolved && !telegram.disableNotifications)
        var discord = DiscordConfig()
        discord.webhookURL = "http://d/"
        #expect(r.discordConfigs == [discord])
        let webex = try #require(r.webexConfigs.first)
        #expect(webex.apiURL == "https://webexapis.com/v1/messages" && webex.roomID == "room" && webex.sendResolved)
        #expect(webex.httpConfig.authorization?.credentials == "tok" && webex.message == #"{{ template "webex.default.message" . }}"#)
        var wechat = WechatConfig()
        wechat.apiSecret = "s"
        wechat.corpID = "c"
        wechat.apiURL = "https://qyapi.weixin.qq.com/cgi-bin/"
        #expect(r.wechatConfigs == [wechat])
        #expect(!wechat.sendResolved && wechat.messageType == "text")
        #expect(r.otherIntegrations.isEmpty)
    }

    @Test func globalsAreInherited() throws {
        let global = """
        {http_config: {proxy_url: 'http://proxy:3128'}, opsgenie_api_url: 'http://og.example/api', opsgenie_api_key_file: keys/og,
         victorops_api_url: 'http://vo.example/a', victorops_api_key: vk, telegram_api_url: 'http://tg.example',
         webex_api_url: 'http://webex.example/m', wechat_api_url: 'http://wc.example/cgi?x=1', wechat_api_secret: ws,
         wechat_api_corp_id: wc}
        """
        let r = try Self.receiver("""
          opsgenie_configs: [{}, {api_key: own, api_url: 'http://own/'}]
          victorops_configs: [{routing_key: rk}]
          pushover_configs: [{user_key: u, token: t}]
          sns_configs: [{phone_number: '+1555'}]
          telegram_configs: [{bot_token: b, chat_id: 1}]
          discord_configs: [{webhook_url: 'http://d/'}]
          webex_configs: [{room_id: room, http_config: {authorization: {credentials: c}}}]
          wechat_configs: [{}]
        """, global: global)
        #expect(r.opsgenieConfigs.map(\.apiURL) == ["http://og.example/api/", "http://own/"])
        #expect(r.opsgenieConfigs.map(\.apiKeyFile) == ["/etc/am/keys/og", ""])
        #expect(r.opsgenieConfigs.map(\.apiKey) == ["", "own"])
        #expect(r.victoropsConfigs.first.map { ($0.apiURL, $0.apiKey) } ?? ("", "") == ("http://vo.example/a/", "vk"))
        #expect(r.telegramConfigs.first?.apiURL == "http://tg.example")
        #expect(r.wechatConfigs.first.map { [$0.apiURL, $0.apiSecret, $0.corpID] } == ["http://wc.example/cgi/?x=1", "ws", "wc"])
        // The global client settings apply where the integration has none; Webex keeps its own.
        for proxy in [r.opsgenieConfigs[0].httpConfig.proxyURL, r.victoropsConfigs[0].httpConfig.proxyURL,
                      r.pushoverConfigs[0].httpConfig.proxyURL, r.snsConfigs[0].httpConfig.proxyURL,
                      r.telegramConfigs[0].httpConfig.proxyURL, r.discordConfigs[0].httpConfig.proxyURL,
                      r.wechatConfigs[0].httpConfig.proxyURL] {
            #expect(proxy == "http://proxy:3128")
        }
        #expect(r.webexConfigs[0].httpConfig.proxyURL == nil)
        #expect(r.webexConfigs[0].apiURL == "http://webex.example/m")
    }

    @Test func settingsAreRead() throws {
        let r = try Self.receiver("""
          opsgenie_configs:
          - {api_key: k, message: m, description: d, source: s, details: {a: b}, entity: e, actions: 'x,y', tags: t,
             note: n, priority: P2, update_alerts: true, send_resolved: false,
             responders: [{id: i, type: Team}, {name: n, type: '{{ .CommonLabels.t }}'}, {username: u, type: schedule}]}
          pushover_configs: [{user_key_file: u.txt, token_file: /t, retry: 1m30s, expire: 1.5h, html: true, sound: siren, url_title: T}]
          sns_configs: [{target_arn: t, api_url: 'https://sns.local/{{ .Status }}', sigv4: {region: eu-west-1, access_key: a, secret_key: s},
                         attributes: {k: v}, subject: ''}]
          telegram_configs: [{bot_token_file: tok, chat_id: 1_000, parse_mode: MarkdownV2, disable_notifications: true, message: ''}]
          wechat_configs: [{api_secret: s, corp_id: c, message_type: markdown, to_user: u, agent_id: '7', message: null}]
          victorops_configs: [{api_key: k, routing_key: r, message_type: INFO, custom_fields: {team: db}}]
        """)
        let og = r.opsgenieConfigs[0]
        #expect(og.responders == [.init(id: "i", type: "Team"), .init(name: "n", type: "{{ .CommonLabels.t }}"), .init(username: "u", type: "schedule")])
        #expect([og.message, og.description, og.source, og.entity, og.actions, og.tags, og.note, og.priority]
            == ["m", "d", "s", "e", "x,y", "t", "n", "P2"])
        #expect(og.updateAlerts && !og.sendResolved && og.details == ["a": "b"])
        let po = r.pushoverConfigs[0]
        #expect(po.userKeyFile == "/etc/am/u.txt" && po.tokenFile == "/t" && po.html && po.sound == "siren" && po.urlTitle == "T")
        #expect(po.retry == 90_000_000_000 && po.expire == 5_400_000_000_000)
        let sns = r.snsConfigs[0]
        #expect(sns.sigv4.region == "eu-west-1" && sns.sigv4.accessKey == "a" && sns.sigv4.secretKey == "s")
        #expect(sns.subject == "" && sns.attributes == ["k": "v"] && sns.apiURL == "https://sns.local/{{ .Status }}")
        let tg = r.telegramConfigs[0]
        #expect(tg.botTokenFile == "/etc/am/tok" && tg.chatID == 1000 && tg.parseMode == "MarkdownV2" && tg.disableNotifications)
        #expect(tg.message == "")
        // `message:` given as null is Go's zero value, not the default.
        #expect(r.wechatConfigs[0].message == "" && r.wechatConfigs[0].messageType == "markdown" && r.wechatConfigs[0].agentID == "7")
        #expect(r.victoropsConfigs[0].messageType == "INFO" && r.victoropsConfigs[0].customFields == ["team": "db"])
    }

    @Test func unsupportedSigV4SettingsAreNoted() throws {
        let config = try AlertmanagerConfig.parse("""
        route: {receiver: r}
        receivers:
        - name: r
          sns_configs: [{topic_arn: a, sigv4: {region: us-east-1, role_arn: 'arn:aws:iam::1:role/x'}}]
          msteams_configs: [{webhook_url: 'http://t/'}]
        """, file: "alertmanager.yml")
        #expect(config.notices.map(\.message) == [
            "sigv4.role_arn is not supported by Pharos: SNS notifications fail; use access_key and secret_key",
            "msteams_configs are accepted but not sent yet",
        ])
    }

    /// Broken configs: (receiver YAML, global YAML, text the error must contain — the message
    /// Alertmanager 0.25 gives, or the field's key path for type errors).
    static let broken: [(String, String, String)] = [
        ("opsgenie_configs: [{}]", "{}", "no global OpsGenie API Key set either inline or in a file"),
        ("opsgenie_configs: [{api_key: a, api_key_file: /x}]", "{}", "at most one of api_key & api_key_file must be configured"),
        ("opsgenie_configs: [{api_key: a, responders: [{type: team}]}]", "{}",
         "opsGenieConfig responder {   team} has to have at least one of id, username or name specified"),
        ("opsgenie_configs: [{api_key: a, responders: [{name: x, type: Squad}]}]", "{}",
         "opsGenieConfig responder { x  squad} type does not match valid options ^(team|teams|user|escalation|schedule)$"),
        ("opsgenie_configs: [{api_key: a, responders: [{name: x, type: '{{ .Foo'}]}]", "{}", "type is not a valid template"),
        ("opsgenie_configs: [{api_key: a, responders: [{name: x, type: team, email: e}]}]", "{}",
         "field email not found in type config.OpsGenieConfigResponder"),
        ("opsgenie_configs: [{api_key: a, update_alerts: 'yes'}]", "{}", "opsgenie_configs[0].update_alerts: cannot unmarshal !!str `yes` into bool"),
        ("opsgenie_configs: [{api_key: a, api_url: 'ftp://x/'}]", "{}", "opsgenie_configs[0].api_url: unsupported scheme \"ftp\" for URL"),
        ("opsgenie_configs: [{api_key: a, details: [a]}]", "{}", "opsgenie_configs[0].details: expected a mapping"),
        ("opsgenie_configs: [{api_key: a, apikey: b}]", "{}", "field apikey not found in type config.plain"),
        ("victorops_configs: [{api_key: k}]", "{}", "missing Routing key in VictorOps config"),
        ("victorops_configs: [{routing_key: r}]", "{}", "no global VictorOps API Key set"),
        ("victorops_configs: [{routing_key: r, api_key: k, api_key_file: f}]", "{}", "at most one of api_key & api_key_file must be configured"),
        ("victorops_configs: [{routing_key: r, api_key: k, custom_fields: {entity_id: x}}]", "{}",
         "victorOps config contains custom field entity_id which cannot be used as it conflicts with the fixed/static fields"),
        ("victorops_configs: [{routing_key: [r], api_key: k}]", "{}", "victorops_configs[0].routing_key: expected a string"),
        ("pushover_configs: [{token: t}]", "{}", "missing user key in Pushover config"),
        ("pushover_configs: [{user_key: u}]", "{}", "missing token in Pushover config"),
        ("pushover_configs: [{user_key: u, token: t, retry: 30}]", "{}", "pushover_configs[0].retry: time: missing unit in duration \"30\""),
        ("pushover_configs: [{user_key: u, token: t, expire: 1x}]", "{}", "time: unknown unit \"x\" in duration \"1x\""),
        ("pushover_configs: [{user_key: u, token: t, retry: soon}]", "{}", "time: invalid duration \"soon\""),
        ("pushover_configs: [{user_key: u, token: t, html: 'true'}]", "{}", "pushover_configs[0].html: cannot unmarshal !!str `true` into bool"),
        ("sns_configs: [{}]", "{}", "must provide either a Target ARN, Topic ARN, or Phone Number for SNS config"),
        ("sns_configs: [{topic_arn: a, phone_number: p}]", "{}", "must provide either a Target ARN, Topic ARN, or Phone Number for SNS config"),
        ("sns_configs: [{topic_arn: a, sigv4: {access_key: x}}]", "{}",
         "must provide a AWS SigV4 Access key and Secret Key if credentials are specified in the SigV4 config"),
        ("sns_configs: [{topic_arn: a, sigv4: {region: r, token: t}}]", "{}", "field token not found in type sigv4.plain"),
        ("sns_configs: [{topic_arn: a, attributes: x}]", "{}", "sns_configs[0].attributes: expected a mapping"),
        ("telegram_configs: [{chat_id: 5}]", "{}", "missing bot_token on telegram_config"),
        ("telegram_configs: [{bot_token: b}]", "{}", "missing chat_id on telegram_config"),
        ("telegram_configs: [{bot_token: b, chat_id: '5'}]", "{}", "telegram_configs[0].chat_id: cannot unmarshal !!str `5` into int64"),
        ("telegram_configs: [{bot_token: b, chat_id: 0.5}]", "{}", "missing chat_id on telegram_config"),
        ("telegram_configs: [{bot_token: b, chat_id: yes}]", "{}", "cannot unmarshal !!bool `yes` into int64"),
        ("telegram_configs: [{bot_token: b, chat_id: 5, parse_mode: x}]", "{}",
         "unknown parse_mode on telegram_config, must be Markdown, MarkdownV2, HTML or empty string"),
        ("telegram_configs: [{bot_token: b, chat_id: 5, api_url: 'api.telegram.org'}]", "{}", "telegram_configs[0].api_url: unsupported scheme"),
        ("discord_configs: [{}]", "{}", "no discord webhook URL provided"),
        ("discord_configs: [{webhook_url: 'http://d/', title: [t]}]", "{}", "discord_configs[0].title: expected a string"),
        ("webex_configs: [{}]", "{}", "missing room_id on webex_config"),
        ("webex_configs: [{room_id: r}]", "{http_config: {authorization: {credentials: c}}}", "missing webex_configs.http_config.authorization"),
        ("webex_configs: [{room_id: r, http_config: {authorization: {credentials: c}}, roomid: x}]", "{}", "field roomid not found in type config.plain"),
        ("wechat_configs: [{}]", "{}", "no global Wechat ApiSecret set"),
        ("wechat_configs: [{api_secret: s}]", "{}", "no global Wechat CorpID set"),
        ("wechat_configs: [{api_secret: s, corp_id: c, message_type: html}]", "{}",
         "weChat message type \"html\" does not match valid options ^(text|markdown)$"),
        ("wechat_configs: {api_secret: s}", "{}", "wechat_configs: expected a sequence"),
    ]

    @Test(arguments: 0..<broken.count)
    func brokenConfigsAreRefused(index: Int) {
        let (kinds, global, text) = Self.broken[index]
        let error = #expect(throws: ConfigError.self) { _ = try Self.receiver("  " + kinds, global: global) }
        #expect(error?.description.contains(text) == true, "\(kinds): \(String(describing: error))")
        #expect(error?.description.hasPrefix("alertmanager.yml:") == true, "\(String(describing: error))")
    }

    @Test func goDurations() {
        #expect(ConfigCursor.parseGoDuration("1h30m") == 5_400_000_000_000)
        #expect(ConfigCursor.parseGoDuration("300ms") == 300_000_000)
        #expect(ConfigCursor.parseGoDuration("-1.5s") == -1_500_000_000)
        #expect(ConfigCursor.parseGoDuration("0") == 0)
        #expect(ConfigCursor.parseGoDuration("2µs") == 2000)
        for bad in ["", "1", "1d", "h", ".s", "1..5s"] { #expect(ConfigCursor.parseGoDuration(bad) == nil, "\(bad)") }
        #expect(ConfigCursor.goDurationError("1d") == #"time: unknown unit "d" in duration "1d""#)
        #expect(ConfigCursor.goDurationError("5") == #"time: missing unit in duration "5""#)
    }
}
