import Foundation
import PharosConfig
import PharosCore
import PharosTestSupport
import Testing
@testable import Alerting

/// The Slack and PagerDuty notifiers against a local HTTP receiver: exact payloads with
/// Alertmanager's defaults, retry classification, truncation, the factory.
struct SlackPagerDutyNotifierTests {
    static let now = Date(timeIntervalSince1970: 1_700_001_000)
    static let context = NotificationContext(
        receiver: "team-X.pager", groupKey: #"{}:{alertname="HighLatency"}"#,
        groupLabels: Labels(["alertname": "HighLatency"]), externalURL: "http://am.example:9093", now: now)

    static func alert(_ instance: String, resolved: Bool = false) -> AlertmanagerAlert {
        AlertmanagerAlert(labels: Labels(["alertname": "HighLatency", "instance": instance, "severity": "critical"]),
                          annotations: Labels(["summary": "latency high on \(instance)"]),
                          startsAt: Date(timeIntervalSince1970: 1_700_000_000),
                          endsAt: Date(timeIntervalSince1970: resolved ? 1_700_000_500 : 1_700_002_000),
                          generatorURL: "http://prom/g", updatedAt: Date(timeIntervalSince1970: 1_700_000_000))
    }

    static func receivers(_ yaml: String) throws -> [ReceiverConfig] {
        try AlertmanagerConfig.parse(yaml, file: "alertmanager.yml").receivers
    }

    static func config(_ url: String, _ receiverYAML: String) -> String {
        """
        global:
          slack_api_url: \(url)/slack
          pagerduty_url: \(url)/pd
        route:
          receiver: r
        receivers:
        - name: r
        \(receiverYAML)
        """
    }

    @Test func slackDefaults() async throws {
        let receiver = PayloadReceiver()
        try await receiver.run { url in
            let config = try Self.receivers(Self.config(url, "  slack_configs: [{channel: '#ops'}]"))[0].slackConfigs[0]
            let notifier = try SlackNotifier(config: config, templates: NotificationTemplates())
            #expect(notifier.integration == "slack")
            #expect(notifier.sendResolved == false)
            try await notifier.notify([Self.alert("a"), Self.alert("b")], context: Self.context)
            let got = try #require(receiver.received(path: "/slack").first)
            #expect(got.contentType == "application/json")
            let expected: NSDictionary = [
                "channel": "#ops", "username": "Alertmanager",
                "attachments": [[
                    "title": "[FIRING:2] HighLatency (critical)",
                    "title_link": "http://am.example:9093/#/alerts?receiver=team-X%5C.pager",
                    "text": "", "callback_id": "", "footer": "", "color": "danger",
                    "fallback": "[FIRING:2] HighLatency (critical) | http://am.example:9093/#/alerts?receiver=team-X%5C.pager",
                    "mrkdwn_in": ["fallback", "pretext", "text"],
                ]],
            ]
            #expect(got.json == expected)
        }
    }

    @Test func slackFieldsActionsAndTruncatedTitle() async throws {
        let receiver = PayloadReceiver()
        try await receiver.run { url in
            let yaml = Self.config(url, """
              slack_configs:
              - api_url: \(url)/hook
                title: '{{ range .Alerts }}{{ .Annotations.summary }}{{ end }}{{ range $i := "0123456789" }}{{ end }}'
                icon_emoji: ':fire:'
                link_names: true
                short_fields: true
                mrkdwn_in: [text]
                fields:
                - {title: Instance, value: '{{ .CommonLabels.instance }}'}
                - {title: Sev, value: '{{ .CommonLabels.severity }}', short: false}
                actions:
                - {type: button, text: Runbook, url: 'http://rb/{{ .GroupLabels.alertname }}'}
                - {type: button, text: Ack, name: ack, value: v, confirm: {text: sure?, ok_text: yes}}
            """)
            var config = try Self.receivers(yaml)[0].slackConfigs[0]
            config.title = String(repeating: "é", count: 1030)
            let notifier = try SlackNotifier(config: config, templates: NotificationTemplates())
            try await notifier.notify([Self.alert("a")], context: Self.context)
            let json = try #require(receiver.received(path: "/hook").first).json
            #expect(json["icon_emoji"] as? String == ":fire:")
            #expect(json["link_names"] as? Bool == true)
            let attachment = try #require((json["attachments"] as? [NSDictionary])?.first)
            #expect(attachment["title"] as? String == String(repeating: "é", count: 1023) + "…")
            #expect(attachment["mrkdwn_in"] as? [String] == ["text"])
            #expect(attachment["fields"] as? NSArray == [
                ["title": "Instance", "value": "a", "short": true], ["title": "Sev", "value": "critical", "short": false],
            ] as NSArray)
            #expect(attachment["actions"] as? NSArray == [
                ["type": "button", "text": "Runbook", "url": "http://rb/HighLatency"],
                ["type": "button", "text": "Ack", "name": "ack", "value": "v", "confirm": ["text": "sure?", "ok_text": "yes"]],
            ] as NSArray)
        }
    }

    @Test(arguments: [(500, true), (503, true), (429, true), (404, false), (400, false), (403, false)])
    func slackRetryClassification(status: Int, retryable: Bool) async throws {
        let receiver = PayloadReceiver()
        try await receiver.run { url in
            receiver.answer(status, "invalid_payload")
            let config = try Self.receivers(Self.config(url, "  slack_configs: [{channel: '#ops'}]"))[0].slackConfigs[0]
            let notifier = try SlackNotifier(config: config, templates: NotificationTemplates())
            let error = await #expect(throws: NotifyError.self) { try await notifier.notify([Self.alert("a")], context: Self.context) }
            #expect(error?.retryable == retryable)
            #expect(error?.message == ##"channel "#ops": unexpected status code \##(status): invalid_payload"##)
        }
    }

    @Test func networkFailureIsRetryableAndHidesTheSlackURL() async throws {
        var config = SlackConfig()
        config.apiURL = "http://127.0.0.1:\(try Peers.freePort())/services/SECRET"
        var options = NotifierOptions()
        options.timeout = .seconds(5)
        let notifier = try SlackNotifier(config: config, templates: NotificationTemplates(), options: options)
        let error = await #expect(throws: NotifyError.self) { try await notifier.notify([Self.alert("a")], context: Self.context) }
        #expect(error?.retryable == true)
        #expect(error?.message.contains("SECRET") == false, "\(String(describing: error))")
    }

    @Test func pagerDutyV2TriggerAndResolve() async throws {
        let receiver = PayloadReceiver()
        try await receiver.run { url in
            let yaml = Self.config(url, """
              pagerduty_configs:
              - routing_key: rk-{{ .CommonLabels.severity }}
                class: latency
                group: '{{ .GroupLabels.alertname }}'
                details: {team: db}
                images: [{src: 'http://img/1', alt: graph, href: 'http://g'}, {src: '', alt: dropped}]
                links: [{href: 'http://rb', text: runbook}]
            """)
            let config = try Self.receivers(yaml)[0].pagerdutyConfigs[0]
            let notifier = try PagerDutyNotifier(config: config, templates: NotificationTemplates())
            #expect(notifier.sendResolved)
            try await notifier.notify([Self.alert("a"), Self.alert("b", resolved: true)], context: Self.context)
            try await notifier.notify([Self.alert("a", resolved: true)], context: Self.context)
            let got = receiver.received(path: "/pd")
            try #require(got.count == 2)
            let list = { (i: String) in
                "Labels:\n - alertname = HighLatency\n - instance = \(i)\n - severity = critical\nAnnotations:\n - summary = latency high on \(i)\nSource: http://prom/g\n"
            }
            let key = SHA256.hex(#"{}:{alertname="HighLatency"}"#)
            let expected: NSDictionary = [
                "routing_key": "rk-critical", "event_action": "trigger", "dedup_key": key,
                "client": "Alertmanager", "client_url": "http://am.example:9093/#/alerts?receiver=team-X%5C.pager",
                "payload": [
                    "summary": "[FIRING:1] HighLatency (critical)", "source": "Alertmanager", "severity": "error",
                    "class": "latency", "group": "HighLatency",
                    "custom_details": ["firing": list("a"), "resolved": list("b"), "num_firing": "1", "num_resolved": "1", "team": "db"],
                ],
                "images": [["src": "http://img/1", "alt": "graph", "href": "http://g"]],
                "links": [["href": "http://rb", "text": "runbook"]],
            ]
            #expect(got[0].json == expected)
            #expect(got[1].json["event_action"] as? String == "resolve")
            #expect((got[1].json["payload"] as? NSDictionary)?["summary"] as? String == "[RESOLVED] HighLatency (a critical)")
        }
    }

    @Test func pagerDutyV1AndSummaryTruncation() async throws {
        let receiver = PayloadReceiver()
        try await receiver.run { url in
            let yaml = Self.config(url, "  pagerduty_configs: [{service_key: sk, description: '{{ range $i, $x := .Alerts }}{{ end }}x'}]")
            var config = try Self.receivers(yaml)[0].pagerdutyConfigs[0]
            config.description = String(repeating: "d", count: 2000)
            var options = NotifierOptions()
            options.pagerdutyV1URL = url + "/v1"
            let notifier = try PagerDutyNotifier(config: config, templates: NotificationTemplates(), options: options)
            try await notifier.notify([Self.alert("a")], context: Self.context)
            let json = try #require(receiver.received(path: "/v1").first).json
            #expect(json["service_key"] as? String == "sk")
            #expect(json["event_type"] as? String == "trigger")
            #expect(json["incident_key"] as? String == SHA256.hex(Self.context.groupKey))
            #expect(json["description"] as? String == String(repeating: "d", count: 1023) + "…")
            #expect(json["client"] as? String == "Alertmanager")
            #expect(json["payload"] is NSNull)
            // v1 retries 403 (rate limit) but not 404; v2 retries 429.
            receiver.answer(403)
            let error = await #expect(throws: NotifyError.self) { try await notifier.notify([Self.alert("a")], context: Self.context) }
            #expect(error?.retryable == true)
            receiver.answer(400, #"{"status":"invalid event","message":"Event object is invalid","errors":["Length of 'routing_key' is incorrect"]}"#)
            let bad = await #expect(throws: NotifyError.self) { try await notifier.notify([Self.alert("a")], context: Self.context) }
            #expect(bad?.retryable == false)
            #expect(bad?.message == "unexpected status code 400: Event object is invalid: Length of 'routing_key' is incorrect")
        }
    }

    @Test func secretsFromFiles() async throws {
        let receiver = PayloadReceiver()
        let directory = try TemporaryDirectory(prefix: "pharos-secrets")
        defer { directory.remove() }
        try await receiver.run { url in
            try "\(url)/from-file\n".write(toFile: directory.path + "/slack_url", atomically: true, encoding: .utf8)
            try "  rk-file \n".write(toFile: directory.path + "/routing_key", atomically: true, encoding: .utf8)
            let yaml = Self.config(url, """
              slack_configs: [{api_url_file: \(directory.path)/slack_url}]
              pagerduty_configs: [{routing_key_file: \(directory.path)/routing_key}]
            """)
            let made = try NotifierFactory.make(for: try Self.receivers(yaml)[0], templates: NotificationTemplates())
            for notifier in made.notifiers { try await notifier.notify([Self.alert("a")], context: Self.context) }
            #expect(receiver.received(path: "/from-file").count == 1)
            #expect(receiver.received(path: "/pd").first?.json["routing_key"] as? String == "rk-file")
            // A missing file is a permanent failure naming the file.
            try FileManager.default.removeItem(atPath: directory.path + "/slack_url")
            let error = await #expect(throws: NotifyError.self) {
                try await made.notifiers[1].notify([Self.alert("a")], context: Self.context)
            }
            #expect(error?.retryable == false)
            #expect(error?.message.contains("slack_url") == true)
        }
    }

    @Test func factoryBuildsSupportedKindsAndReportsTheRest() throws {
        let yaml = """
        global: {slack_api_url: 'http://s', smtp_smarthost: 'localhost:25', smtp_from: 'am@x'}
        route: {receiver: all}
        receivers:
        - name: all
          webhook_configs: [{url: 'http://w'}]
          email_configs: [{to: 'a@x'}]
          pagerduty_configs: [{routing_key: k}]
          slack_configs: [{channel: '#a'}, {channel: '#b'}]
          msteams_configs: [{webhook_url: 'http://t'}]
        """
        let receiver = try AlertmanagerConfig.parse(yaml, file: "alertmanager.yml").receivers[0]
        let plain = try NotifierFactory.make(for: receiver, templates: NotificationTemplates())
        #expect(plain.notifiers.map(\.integration) == ["email", "pagerduty", "slack", "slack"])
        #expect(plain.unsupported == [
            #"receiver "all": webhook_configs[0]: no webhook notifier plugged into the factory"#,
            #"receiver "all": msteams_configs[0]: not supported by Pharos yet"#,
        ])
        struct FakeWebhook: Notifier {
            var integration: String { "webhook" }
            var sendResolved: Bool
            func notify(_ alerts: [AlertmanagerAlert], context: NotificationContext) async throws(NotifyError) {}
        }
        let hooked = try NotifierFactory.make(for: receiver, templates: NotificationTemplates()) { config, _ in
            FakeWebhook(sendResolved: config.sendResolved)
        }
        #expect(hooked.notifiers.map(\.integration) == ["webhook", "email", "pagerduty", "slack", "slack"])
        #expect(hooked.unsupported.count == 1)
    }
}
