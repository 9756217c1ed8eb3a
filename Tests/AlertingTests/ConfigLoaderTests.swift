import Alerting
import PharosConfig
import PharosCore
import Testing

@Suite struct ConfigLoaderTests {
    static func load(_ text: String, options: AlertmanagerLoadOptions = .init()) throws -> AlertmanagerConfig {
        try AlertmanagerConfig.parse(text, file: "alertmanager.yml", options: options)
    }

    /// The error's one-line description, or "" when `text` loads.
    static func error(_ text: String) -> String {
        do {
            _ = try load(text)
            return ""
        } catch {
            return "\(error)"
        }
    }

    @Test func commonConfigWithDefaults() throws {
        let config = try Self.load("""
        global:
          smtp_smarthost: 'mail.example.org:587'
          smtp_from: 'am@example.org'
          smtp_auth_username: am
          smtp_auth_password: secret
          slack_api_url: https://hooks.slack.com/services/T/B/X
        route:
          receiver: default
          group_by: [alertname]
          routes:
            - matchers: ['severity="critical"']
              receiver: pager
        receivers:
          - name: default
            email_configs:
              - to: ops@example.org
            slack_configs:
              - channel: '#alerts'
            webhook_configs:
              - url: http://127.0.0.1:5001/
          - name: pager
            pagerduty_configs:
              - routing_key: abc
                client: pharos
        inhibit_rules:
          - source_matchers: [severity="critical"]
            target_matchers: [severity="warning"]
            equal: [alertname]
        time_intervals:
          - name: weekends
            time_intervals:
              - weekdays: ['saturday', 'sunday']
        templates: ['templates/*.tmpl']
        """)
        #expect(config.global.resolveTimeout == PrometheusDuration(milliseconds: 300_000))
        #expect(config.global.smtpHello == "localhost" && config.global.smtpRequireTLS)
        let email = try #require(config.receivers.first?.emailConfigs.first)
        #expect(email.smarthost == "mail.example.org:587" && email.from == "am@example.org")
        #expect(email.authUsername == "am" && email.authPassword == "secret" && email.hello == "localhost")
        #expect(!email.sendResolved && email.requireTLS)
        #expect(email.html == #"{{ template "email.default.html" . }}"#)
        let slack = try #require(config.receivers.first?.slackConfigs.first)
        #expect(slack.apiURL == "https://hooks.slack.com/services/T/B/X" && !slack.sendResolved)
        #expect(slack.title == #"{{ template "slack.default.title" . }}"#)
        let webhook = try #require(config.receivers.first?.webhookConfigs.first)
        #expect(webhook.sendResolved && webhook.maxAlerts == 0 && webhook.url == "http://127.0.0.1:5001/")
        let pagerduty = try #require(config.receivers.last?.pagerdutyConfigs.first)
        #expect(pagerduty.sendResolved && pagerduty.url == "https://events.pagerduty.com/v2/enqueue")
        #expect(pagerduty.source == "pharos" && pagerduty.details["num_firing"] == #"{{ .Alerts.Firing | len }}"#)
        #expect(config.inhibitRules.count == 1 && config.inhibitRules[0].equal == ["alertname"])
        #expect(config.timeIntervals.first?.intervals.first?.weekdays == [.init(6, 6), .init(0, 0)])
        #expect(config.templates == ["templates/*.tmpl"])
    }

    @Test func emptyGlobalKeepsDefaults() throws {
        let config = try Self.load("global:\nroute: {receiver: x}\nreceivers: [{name: x}]\n")
        #expect(config.global.smtpRequireTLS && config.global.pagerdutyURL != nil)
    }

    @Test func receiverSettingsOverrideGlobals() throws {
        let config = try Self.load("""
        global: {smtp_smarthost: 'a:25', smtp_from: a@x, smtp_require_tls: false}
        route: {receiver: x}
        receivers:
          - name: x
            email_configs:
              - {to: t@x, from: b@x, smarthost: 'b:465', require_tls: true, send_resolved: true, headers: {subject: hi}}
        """)
        let email = try #require(config.receivers.first?.emailConfigs.first)
        #expect(email.from == "b@x" && email.smarthost == "b:465" && email.requireTLS && email.sendResolved)
        #expect(email.headers == ["Subject": "hi"])
    }

    /// Broken inputs: each message names the file, the position and the key.
    static let broken: [(String, String)] = [
        ("route: {receiver: x}\nreceivers: [{name: x}]\nfoo: 1\n",
         "alertmanager.yml:3:1: foo: field foo not found in type config.plain"),
        ("route:\n  receiver: x\n  recevier: y\nreceivers: [{name: x}]\n",
         "alertmanager.yml:3:3: route.recevier: field recevier not found in type config.plain"),
        ("receivers: [{name: x}]\n", "alertmanager.yml:1:1: no routes provided"),
        ("", "alertmanager.yml:1:1: no route provided in config"),
        ("route: {group_by: [a]}\nreceivers: [{name: x}]\n",
         "alertmanager.yml:1:8: route: root route must specify a default receiver"),
        ("route:\n  receiver: x\n  matchers: [a=b]\nreceivers: [{name: x}]\n",
         "alertmanager.yml:2:3: route: root route must not have any matchers"),
        ("route:\n  receiver: x\n  routes:\n    - receiver: nope\nreceivers: [{name: x}]\n",
         "alertmanager.yml:4:17: route.routes[0].receiver: undefined receiver \"nope\" used in route"),
        ("route:\n  receiver: x\n  routes:\n    - mute_time_intervals: [never]\nreceivers: [{name: x}]\n",
         "alertmanager.yml:4:7: route.routes[0]: undefined time interval \"never\" used in route"),
        ("route: {receiver: x}\nreceivers:\n  - name: x\n  - name: x\n",
         "alertmanager.yml:4:5: receivers[1]: notification config name \"x\" is not unique"),
        ("route:\n  receiver: x\n  group_by: ['...', a]\nreceivers: [{name: x}]\n",
         "alertmanager.yml:3:13: route.group_by: cannot have wildcard group_by (`...`) and other other labels at the same time"),
        ("route:\n  receiver: x\n  continue: true\nreceivers: [{name: x}]\n",
         "alertmanager.yml:2:3: route: cannot have continue in root route"),
        ("route:\n  receiver: x\n  group_wait: 5x\nreceivers: [{name: x}]\n",
         "alertmanager.yml:3:15: route.group_wait: "),
        ("route:\n  receiver: x\n  group_interval: 0s\nreceivers: [{name: x}]\n",
         "alertmanager.yml:3:19: route.group_interval: group_interval cannot be zero"),
        ("route:\n  receiver: x\n  routes:\n    - matchers: ['foo=\"bar']\nreceivers: [{name: x}]\n",
         "alertmanager.yml:4:18: route.routes[0].matchers[0]: matcher value contains unescaped double quote: \"bar"),
        ("route:\n  receiver: x\n  routes:\n    - match_re: {a: '('}\nreceivers: [{name: x}]\n",
         "alertmanager.yml:4:21: route.routes[0].match_re.a: invalid regular expression"),
        ("route: {receiver: x}\nreceivers:\n  - name: x\n    email_configs: [{to: a@b}]\n",
         "alertmanager.yml:4:21: receivers[0].email_configs[0]: no global SMTP smarthost set"),
        ("route: {receiver: x}\nreceivers:\n  - name: x\n    slack_configs: [{channel: c}]\n",
         "alertmanager.yml:4:21: receivers[0].slack_configs[0]: no global Slack API URL set either inline or in a file"),
        ("route: {receiver: x}\nreceivers:\n  - name: x\n    webhook_configs: [{url: 'ftp://x/'}]\n",
         "receivers[0].webhook_configs[0].url: unsupported scheme \"ftp\" for URL"),
        ("route: {receiver: x}\nreceivers:\n  - name: x\n    webhook_configs: [{}]\n",
         "receivers[0].webhook_configs[0]: missing URL in webhook config"),
        ("route: {receiver: x}\nreceivers:\n  - name: x\n    pagerduty_configs: [{client: c}]\n",
         "receivers[0].pagerduty_configs[0]: missing service or routing key in PagerDuty config"),
        ("route: {receiver: x}\nreceivers:\n  - email_configs: []\n",
         "alertmanager.yml:3:5: receivers[0]: missing name in receiver"),
        ("route: {receiver: x}\nreceivers: [{name: x}]\ntime_intervals:\n  - name: t\n    time_intervals:\n      - weekdays: [funday]\n",
         "alertmanager.yml:6:20: time_intervals[0].time_intervals[0].weekdays[0]: funday is not a valid weekday"),
        ("route: {receiver: x}\nreceivers: [{name: x}]\ntime_intervals:\n  - name: t\n    time_intervals:\n      - times: [{start_time: '10:00', end_time: '09:00'}]\n",
         "start time cannot be equal or greater than end time"),
        ("route: {receiver: x}\nreceivers: [{name: x}]\ntime_intervals:\n  - name: t\n    time_intervals:\n      - location: Mars/Olympus\n",
         "time_intervals[0].time_intervals[0].location: unknown time zone Mars/Olympus"),
        ("route: {receiver: x\nreceivers: [{name: x}]\n", "alertmanager.yml:2:"),
        ("route:\n  receiver: [x]\nreceivers: [{name: x}]\n", "alertmanager.yml:2:13: route.receiver: expected a string, got a sequence"),
        ("route:\n  receiver: x\n  continue: maybe\nreceivers: [{name: x}]\n", "route.continue: cannot parse \"maybe\" as a boolean"),
        ("route:\n  receiver: x\ninhibit_rules:\n  - source_match_re: {a: }\nreceivers: [{name: x}]\n",
         "inhibit_rules[0].source_match_re.a: invalid regexp value for \"a\""),
        ("route:\n  receiver: x\n  routes:\n    - match: {'a-b': c}\nreceivers: [{name: x}]\n",
         "route.routes[0].match: invalid label name \"a-b\""),
        ("global: {smtp_smarthost: localhost}\nroute: {receiver: x}\nreceivers: [{name: x}]\n",
         "global.smtp_smarthost: address localhost: missing port in address"),
    ]

    @Test func brokenInputsNameFileLineAndKey() {
        for (text, want) in Self.broken {
            let got = Self.error(text)
            #expect(got.contains(want), "\(text)\n  got: \(got)\n want: \(want)")
        }
    }

    @Test func classicOnlyMatcherSyntax() throws {
        let text = "route:\n  receiver: x\n  routes:\n    - matchers: ['{\"a b\"=c}']\n      receiver: x\nreceivers: [{name: x}]\n"
        #expect(throws: ConfigError.self) { try Self.load(text, options: .init(matcherSyntax: .classic)) }
        let config = try Self.load(text)
        #expect(config.route.routes.first?.matchers.first?.name == "a b")
    }

    @Test func otherReceiverKindsAreKept() throws {
        let config = try Self.load("""
        route: {receiver: x}
        receivers:
          - name: x
            opsgenie_configs: [{api_key: k}]
            msteams_configs: [{webhook_url: 'http://teams/'}]
        """)
        // Kinds newer than Alertmanager 0.25 stay raw; the 0.25 kinds are modelled.
        #expect(config.receivers[0].otherIntegrations.keys.sorted() == ["msteams_configs"])
        #expect(config.receivers[0].opsgenieConfigs.map(\.apiKey) == ["k"])
    }
}

@Suite struct InlineSectionTests {
    @Test func inlineSectionOfThePharosConfig() throws {
        let pharos = try parseConfig("""
        global: {scrape_interval: 15s}
        alertmanager:
          route:
            receiver: team
            routes: [{receiver: nope}]
          receivers: [{name: team}]
        """, filename: "pharos.yml")
        #expect(performing: { try AlertmanagerConfig.from(pharos) }, throws: { error in
            "\(error)" == #"pharos.yml:5:25: alertmanager.route.routes[0].receiver: undefined receiver "nope" used in route"#
        })
        let absent = try parseConfig("global: {scrape_interval: 15s}\n", filename: "pharos.yml")
        #expect(try AlertmanagerConfig.from(absent) == nil)
    }
}

@Suite struct NoticeTests {
    @Test func classicOnlyMatchersAreNoted() throws {
        let config = try AlertmanagerConfig.parse("""
        route:
          receiver: x
          routes:
            - {matchers: ['a=~foo|bar\\\\d'], receiver: x}
            - {matchers: ['b="ok"'], receiver: x}
        receivers: [{name: x}]
        """, file: "n.yml")
        #expect(config.notices.count == 1)
        #expect(config.notices.first?.description.hasPrefix("n.yml:4:19: route.routes[0].matchers[0]: parsed with the classic") == true)
    }
}
