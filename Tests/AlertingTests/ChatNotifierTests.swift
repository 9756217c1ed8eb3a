import Foundation
import PharosConfig
import PharosCore
import PharosTestSupport
import Testing
@testable import Alerting

/// The Telegram, Discord, Webex and WeChat notifiers against a local receiver: the requests
/// Alertmanager 0.25 builds (read from its source), how answers are judged, the token cache.
struct ChatNotifierTests {
    typealias F = KindFixtures
    static let telegramOK = #"{"ok":true,"result":{"message_id":1,"chat":{"id":-1001}}}"#
    static let padded = "\n\nAlerts Firing:\n" + F.list("a") + F.list("b") + "\n\n\n"

    @Test func telegramSendMessage() async throws {
        let receiver = PayloadReceiver()
        try await receiver.run { url in
            receiver.answer(path: "/tg/bottok/sendMessage", 200, Self.telegramOK)
            receiver.answer(path: "/tg/botplain/sendMessage", 200, Self.telegramOK)
            let configs = try F.receiver("""
              telegram_configs:
              - {bot_token: tok, chat_id: -1001, api_url: '\(url)/tg'}
              - {bot_token: plain, chat_id: 42, api_url: '\(url)/tg', parse_mode: '', disable_notifications: true,
                 message: '<b>{{ .CommonLabels.alertname }}</b> & {{ len .Alerts }}'}
              - {bot_token: tok, chat_id: 7, api_url: '\(url)/tg', parse_mode: Markdown, message: '{{ range .Alerts }}{{ .Annotations.summary }}{{ end }}'}
            """).telegramConfigs
            let notifiers = try configs.map { config throws(NotifyError) in try TelegramNotifier(config: config, templates: NotificationTemplates()) }
            #expect(notifiers[0].integration == "telegram" && notifiers[0].sendResolved)
            try await notifiers[0].notify([F.alert("a", summary: "p95 > 1s & <rising>"), F.alert("b")], context: F.context)
            try await notifiers[1].notify(F.resolved, context: F.context)
            try await notifiers[2].notify([F.alert("a", summary: String(repeating: "z", count: 5000))], context: F.context)
            let got = receiver.received
            try #require(got.count == 3)
            #expect(got[0].method == "POST" && got[0].path == "/tg/bottok/sendMessage" && got[0].contentType == "application/json")
            let escapedList = F.list("a").replacingOccurrences(of: "latency high on a", with: "p95 &gt; 1s &amp; &lt;rising&gt;")
            #expect(got[0].json == [
                "chat_id": "-1001", "parse_mode": "HTML", "disable_web_page_preview": "true",
                "text": "\n\nAlerts Firing:\n" + escapedList + F.list("b") + "\n\n\n",
            ] as NSDictionary)
            #expect(got[1].text == #"{"chat_id":"42","disable_notification":"true","disable_web_page_preview":"true","text":"\u003cb\u003eHighLatency\u003c/b\u003e \u0026 2"}"# + "\n")
            #expect(got[2].json["parse_mode"] as? String == "Markdown")
            #expect(got[2].json["text"] as? String == String(repeating: "z", count: 4095) + "…")
            // Telegram's answer decides: ok false, no message, or not JSON are retryable failures.
            for (body, message) in [
                (#"{"ok":false,"error_code":400,"description":"Bad Request: chat not found"}"#, "telegram: Bad Request: chat not found (400)"),
                (#"{"ok":true,"result":true}"#, "telegram: the answer has no message"),
                ("<html>bad gateway</html>", "telegram: cannot parse the answer: <html>bad gateway</html>"),
            ] {
                receiver.answer(502, body)
                let error = await #expect(throws: NotifyError.self) { try await notifiers[0].notify(F.firing, context: F.context) }
                #expect(error?.retryable == true && error?.message == message, "\(String(describing: error))")
            }
        }
    }

    @Test func telegramTokenFromFileStaysOutOfMessages() async throws {
        let directory = try TemporaryDirectory(prefix: "pharos-tg")
        defer { directory.remove() }
        try "SECRET-BOT\n".write(toFile: directory.path + "/token", atomically: true, encoding: .utf8)
        var config = try F.receiver("  telegram_configs: [{bot_token_file: '\(directory.path)/token', chat_id: 1}]").telegramConfigs[0]
        config.apiURL = "http://127.0.0.1:\(try Peers.freePort())"
        var options = NotifierOptions()
        options.timeout = .seconds(5)
        let notifier = try TelegramNotifier(config: config, templates: NotificationTemplates(), options: options)
        let error = await #expect(throws: NotifyError.self) { try await notifier.notify(F.firing, context: F.context) }
        #expect(error?.retryable == true && error?.message.contains("SECRET-BOT") == false, "\(String(describing: error))")
    }

    @Test func discordEmbedColours() async throws {
        let receiver = PayloadReceiver()
        try await receiver.run { url in
            let config = try F.receiver("  discord_configs: [{webhook_url: '\(url)/hook/SECRET'}]").discordConfigs[0]
            let notifier = try DiscordNotifier(config: config, templates: NotificationTemplates())
            #expect(notifier.integration == "discord" && notifier.sendResolved)
            try await notifier.notify(F.firing, context: F.context)
            try await notifier.notify(F.resolved, context: F.context)
            let got = receiver.received
            try #require(got.count == 2)
            #expect(got[0].path == "/hook/SECRET" && got[0].contentType == "application/json")
            #expect(got[0].json == [
                "content": "", "embeds": [["title": "[FIRING:2] HighLatency (critical)", "description": Self.padded, "color": 0x992D22]],
            ] as NSDictionary)
            #expect(got[1].json == [
                "content": "", "embeds": [["title": "[RESOLVED] HighLatency (critical)",
                                           "description": "\n\n\nAlerts Resolved:\n" + F.list("a") + F.list("b") + "\n\n", "color": 0x2ECC71]],
            ] as NSDictionary)
            // Only 5xx is retried (Discord's 429 is not, in Alertmanager 0.25).
            for (status, retryable) in [(500, true), (429, false), (404, false)] {
                receiver.answer(status, "x")
                let error = await #expect(throws: NotifyError.self) { try await notifier.notify(F.firing, context: F.context) }
                #expect(error?.retryable == retryable, "\(status)")
            }
        }
    }

    @Test func webexMarkdownAndBotToken() async throws {
        let receiver = PayloadReceiver()
        try await receiver.run { url in
            let configs = try F.receiver("""
              webex_configs:
              - {room_id: room-1, api_url: '\(url)/v1/messages', http_config: {bearer_token: bot-token}}
              - {room_id: room-2, api_url: '\(url)/v1/messages', http_config: {authorization: {type: Bot, credentials: b}},
                 message: '{{ range .Alerts }}{{ .Annotations.summary }}{{ end }}'}
            """).webexConfigs
            let first = try WebexNotifier(config: configs[0], templates: NotificationTemplates())
            let second = try WebexNotifier(config: configs[1], templates: NotificationTemplates())
            #expect(first.integration == "webex" && first.sendResolved)
            try await first.notify(F.firing, context: F.context)
            try await second.notify([F.alert("a", summary: String(repeating: "é", count: 4000))], context: F.context)
            let got = receiver.received
            try #require(got.count == 2)
            #expect(got[0].path == "/v1/messages" && got[0].header("authorization") == "Bearer bot-token")
            #expect(got[0].json == ["markdown": Self.padded, "roomId": "room-1"] as NSDictionary)
            #expect(got[1].header("authorization") == "Bot b")
            // At most 7439 bytes: 3718 two-byte characters and the three-byte ellipsis.
            #expect(got[1].json["markdown"] as? String == String(repeating: "é", count: 3718) + "…")
            receiver.answer(429, "slow")
            let error = await #expect(throws: NotifyError.self) { try await first.notify(F.firing, context: F.context) }
            #expect(error?.retryable == false && error?.message == "unexpected status code 429: slow")
        }
    }

    @Test func wechatTokenThenMessage() async throws {
        let receiver = PayloadReceiver()
        try await receiver.run { url in
            receiver.answer(path: "/cgi/gettoken", 200, #"{"access_token":"t-1","expires_in":7200}"#)
            receiver.answer(path: "/cgi/message/send", 200, #"{"errcode":0,"errmsg":"ok"}"#)
            let yaml = """
              wechat_configs:
              - {api_url: '\(url)/cgi', to_user: '@all', to_tag: '{{ .CommonLabels.severity }}', agent_id: '1000002'}
            """
            let config = try F.receiver(yaml, global: "{wechat_api_secret: 'sec ret', wechat_api_corp_id: corp}").wechatConfigs[0]
            let notifier = try WeChatNotifier(config: config, templates: NotificationTemplates())
            #expect(notifier.integration == "wechat" && !notifier.sendResolved)
            try await notifier.notify(F.firing, context: F.context)
            try await notifier.notify(F.firing, context: F.context)
            let got = receiver.received
            #expect(got.map { "\($0.method) \($0.path)?\($0.query)" } == [
                "GET /cgi/gettoken?corpid=corp&corpsecret=sec+ret", "POST /cgi/message/send?access_token=t-1",
                "POST /cgi/message/send?access_token=t-1",
            ])
            let message = "[FIRING:2] HighLatency (critical)\n\nAlerts Firing:\n" + F.list("a") + F.list("b")
                + "\n\nAlertmanagerUrl:\n" + F.alertsURL
            #expect(got[1].json == [
                "text": ["content": message], "touser": "@all", "totag": "critical", "agentid": "1000002", "safe": "0",
                "msgtype": "text", "markdown": ["content": ""],
            ] as NSDictionary)
            // Two hours later the token is fetched again.
            var later = F.context
            later.now = F.now.addingTimeInterval(2 * 3600 + 1)
            try await notifier.notify(F.firing, context: later)
            #expect(receiver.received.filter { $0.path == "/cgi/gettoken" }.count == 2)
        }
    }

    @Test func wechatAnswers() async throws {
        let receiver = PayloadReceiver()
        try await receiver.run { url in
            receiver.answer(path: "/gettoken", 200, #"{"access_token":"t-1"}"#)
            let config = try F.receiver("  wechat_configs: [{api_url: '\(url)', api_secret: s, corp_id: c, message_type: markdown}]").wechatConfigs[0]
            let notifier = try WeChatNotifier(config: config, templates: NotificationTemplates())
            receiver.answer(path: "/message/send", 200, #"{"code":0}"#)
            try await notifier.notify(F.firing, context: F.context)
            let sent = try #require(receiver.received.last)
            #expect(sent.json["msgtype"] as? String == "markdown" && (sent.json["text"] as? NSDictionary) == ["content": ""])
            #expect(((sent.json["markdown"] as? NSDictionary)?["content"] as? String)?.hasPrefix("[FIRING:2]") == true)
            // Code 42001 (token expired) is retried and drops the token; other codes are permanent.
            receiver.answer(path: "/message/send", 200, #"{"code":42001,"error":"access_token expired"}"#)
            let expired = await #expect(throws: NotifyError.self) { try await notifier.notify(F.firing, context: F.context) }
            #expect(expired?.retryable == true && expired?.message == "access_token expired")
            receiver.answer(path: "/message/send", 200, #"{"code":60020,"error":"not allow to access from your ip"}"#)
            let denied = await #expect(throws: NotifyError.self) { try await notifier.notify(F.firing, context: F.context) }
            #expect(denied?.retryable == false && denied?.message == "not allow to access from your ip")
            #expect(receiver.received.filter { $0.path == "/gettoken" }.count == 2)
            receiver.answer(path: "/message/send", 503, "busy")
            let busy = await #expect(throws: NotifyError.self) { try await notifier.notify(F.firing, context: F.context) }
            #expect(busy?.retryable == true && busy?.message == "unexpected status code 503")
            receiver.answer(path: "/message/send", 200, "not json")
            let garbled = await #expect(throws: NotifyError.self) { try await notifier.notify(F.firing, context: F.context) }
            #expect(garbled?.retryable == true)
        }
        let refused = PayloadReceiver()
        try await refused.run { url in
            refused.answer(path: "/gettoken", 200, #"{"errcode":40001,"errmsg":"invalid credential"}"#)
            let config = try F.receiver("  wechat_configs: [{api_url: '\(url)', api_secret: s, corp_id: corp-9}]").wechatConfigs[0]
            let notifier = try WeChatNotifier(config: config, templates: NotificationTemplates())
            let error = await #expect(throws: NotifyError.self) { try await notifier.notify(F.firing, context: F.context) }
            #expect(error?.retryable == false && error?.message == "invalid APISecret for CorpID: corp-9")
            #expect(refused.received.allSatisfy { $0.path == "/gettoken" })
        }
    }

    @Test func factoryBuildsEveryKindInAlertmanagersOrder() throws {
        let receiver = try F.receiver("""
          webex_configs: [{room_id: r, http_config: {bearer_token: t}}]
          discord_configs: [{webhook_url: 'http://d/'}]
          telegram_configs: [{bot_token: b, chat_id: 1}]
          sns_configs: [{topic_arn: t}]
          pushover_configs: [{user_key: u, token: t}]
          victorops_configs: [{api_key: k, routing_key: r}]
          slack_configs: [{api_url: 'http://s/'}]
          wechat_configs: [{api_secret: s, corp_id: c}]
          opsgenie_configs: [{api_key: k}, {api_key: k2}]
          pagerduty_configs: [{routing_key: k}]
          email_configs: [{to: a@b, smarthost: 'h:25', from: f@b}]
          jira_configs: [{project: P}]
        """)
        let made = try NotifierFactory.make(for: receiver, templates: NotificationTemplates())
        #expect(made.notifiers.map(\.integration) == [
            "email", "pagerduty", "opsgenie", "opsgenie", "wechat", "slack", "victorops", "pushover", "sns", "telegram", "discord", "webex",
        ])
        #expect(made.unsupported == [#"receiver "r": jira_configs[0]: not supported by Pharos yet"#])
    }
}
