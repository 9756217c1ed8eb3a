import Alerting
import Foundation
import PharosCore
import PharosTestSupport
import Testing

/// Alertmanager 0.25's amtool and Pharos on the same files: same verdict, messages of the
/// same kind (amtool's message is contained in ours or both name the same thing).
@Suite(.serialized) struct AmtoolDifferentialTests {
    /// amtool 0.25 has only the classic matcher parser.
    static let options = AlertmanagerLoadOptions(matcherSyntax: .classic)

    /// `amtool check-config FILE`: accepted, and its message on failure.
    static func amtoolCheck(_ file: String) throws -> (ok: Bool, message: String) {
        let (status, output) = try Peers.run(Peers.amtool, ["check-config", file])
        // The message runs from `FAILED: ` to the blank line (Go's YAML errors span lines).
        let block = output.components(separatedBy: "\n\n").first ?? ""
        let message = block.components(separatedBy: "FAILED: ").dropFirst().joined(separator: "FAILED: ")
            .split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
        return (status == 0, message)
    }

    static func ours(_ file: String) -> (ok: Bool, message: String) {
        do {
            _ = try AlertmanagerConfig.load(file: file, options: options)
            return (true, "")
        } catch {
            return (false, "\(error)")
        }
    }

    static var fixtures: [String] {
        let root = Conformance.path("alertmanager")
        return ["config", "routing"].flatMap { folder in
            ((try? FileManager.default.contentsOfDirectory(atPath: root + "/" + folder)) ?? [])
                .filter { $0.hasSuffix(".yml") }.sorted().map { root + "/" + folder + "/" + $0 }
        }
    }

    @Test func fixturesHaveAmtoolsVerdict() throws {
        let files = Self.fixtures
        #expect(files.count >= 10, "no fixtures under \(Conformance.path("alertmanager"))")
        for file in files {
            let theirs = try Self.amtoolCheck(file), ours = Self.ours(file)
            #expect(theirs.ok == ours.ok, "\(file): amtool \(theirs), pharos \(ours)")
        }
    }

    /// Hand-written good and broken configs: every documented refusal of config.go, notifiers.go
    /// and timeinterval.go, and the strict-YAML ones.
    static let cases: [String] = [
        "route: {receiver: x}\nreceivers: [{name: x}]\nfoo: 1\n",
        "route:\n  receiver: x\n  recevier: y\nreceivers: [{name: x}]\n",
        "receivers: [{name: x}]\n",
        "",
        "route: {group_by: [a]}\nreceivers: [{name: x}]\n",
        "route:\n  receiver: x\n  matchers: [a=b]\nreceivers: [{name: x}]\n",
        "route:\n  receiver: x\n  routes:\n    - receiver: nope\nreceivers: [{name: x}]\n",
        "route:\n  receiver: x\n  routes:\n    - mute_time_intervals: [never]\nreceivers: [{name: x}]\n",
        "route: {receiver: x}\nreceivers:\n  - name: x\n  - name: x\n",
        "route:\n  receiver: x\n  group_by: ['...', a]\nreceivers: [{name: x}]\n",
        "route:\n  receiver: x\n  continue: true\nreceivers: [{name: x}]\n",
        "route:\n  receiver: x\n  group_wait: 5x\nreceivers: [{name: x}]\n",
        "route:\n  receiver: x\n  group_interval: 0s\nreceivers: [{name: x}]\n",
        "route:\n  receiver: x\n  routes:\n    - matchers: ['foo=\"bar']\nreceivers: [{name: x}]\n",
        "route:\n  receiver: x\n  routes:\n    - match_re: {a: '('}\nreceivers: [{name: x}]\n",
        "route: {receiver: x}\nreceivers:\n  - name: x\n    email_configs: [{to: a@b}]\n",
        "route: {receiver: x}\nreceivers:\n  - name: x\n    slack_configs: [{channel: c}]\n",
        "route: {receiver: x}\nreceivers:\n  - name: x\n    webhook_configs: [{url: 'ftp://x/'}]\n",
        "route: {receiver: x}\nreceivers:\n  - name: x\n    webhook_configs: [{}]\n",
        "route: {receiver: x}\nreceivers:\n  - name: x\n    pagerduty_configs: [{client: c}]\n",
        "route: {receiver: x}\nreceivers:\n  - email_configs: []\n",
        "route: {receiver: x}\nreceivers: [{name: x}]\ntime_intervals:\n  - name: t\n    time_intervals:\n      - weekdays: [funday]\n",
        "route: {receiver: x}\nreceivers: [{name: x}]\ntime_intervals:\n  - name: t\n    time_intervals:\n      - times: [{start_time: '10:00', end_time: '09:00'}]\n",
        "route: {receiver: x}\nreceivers: [{name: x}]\ntime_intervals:\n  - name: t\n    time_intervals:\n      - location: Mars/Olympus\n",
        "route: {receiver: x\nreceivers: [{name: x}]\n",
        "route:\n  receiver: [x]\nreceivers: [{name: x}]\n",
        "route:\n  receiver: x\n  continue: maybe\nreceivers: [{name: x}]\n",
        "route:\n  receiver: x\ninhibit_rules:\n  - source_match_re: {a: }\nreceivers: [{name: x}]\n",
        "route:\n  receiver: x\n  routes:\n    - match: {'a-b': c}\nreceivers: [{name: x}]\n",
        "global: {smtp_smarthost: localhost}\nroute: {receiver: x}\nreceivers: [{name: x}]\n",
        "global:\n  resolve_timeout: 1m\nroute:\n  receiver: x\n  group_by: [alertname]\n  routes:\n    - matchers: ['severity=\"critical\"', 'team=~\"a|b\"']\n      receiver: x\n      active_time_intervals: [biz]\nreceivers: [{name: x, webhook_configs: [{url: 'http://h/', max_alerts: 3}]}]\ntime_intervals:\n  - name: biz\n    time_intervals:\n      - times: [{start_time: '09:00', end_time: '17:00'}]\n        weekdays: ['monday:friday']\n        days_of_month: ['-7:-1', '1:5']\n        months: ['january:march']\n        years: ['2024']\n        location: Europe/Berlin\n",
        "route:\n  receiver: x\n  group_by: []\nreceivers: [{name: x}]\n",
        "route:\n  receiver: x\n  routes:\n    - matchers: ['a=b,c=~d']\n      receiver: x\n      group_by: [a, a]\nreceivers: [{name: x}]\n",
        "route:\n  receiver: x\n  routes:\n    - matchers: ['{\"a b\"=c}']\n      receiver: x\nreceivers: [{name: x}]\n",
        "route: {receiver: x}\nreceivers: [{name: x}]\nmute_time_intervals:\n  - name: t\n    time_intervals: []\ntime_intervals:\n  - name: t\n    time_intervals: []\n",
        "route: {receiver: x}\nreceivers: [{name: x}]\ninhibit_rules:\n  - source_matchers: ['a=b']\n    target_matchers: ['c=d']\n    equal: ['x', 'y']\n",
        "global:\n  slack_api_url: 'http://x/'\n  slack_api_url_file: /tmp/x\nroute: {receiver: x}\nreceivers: [{name: x}]\n",
        "route: {receiver: x}\nreceivers:\n  - name: x\n    slack_configs: [{api_url: 'http://s/', fields: [{title: t}]}]\n",
        "route: {receiver: x}\nreceivers:\n  - name: x\n    slack_configs: [{api_url: 'http://s/', actions: [{type: button, text: t, url: 'http://u/'}]}]\n",
        "route: {receiver: x}\nreceivers:\n  - name: x\n    email_configs: [{to: a@b, smarthost: 'h:25', from: f@b, headers: {subject: a, Subject: b}}]\n",
        "route: {receiver: x}\nreceivers:\n  - name: x\n    pagerduty_configs: [{routing_key: a, routing_key_file: /x}]\n",
        "route: {receiver: x}\nreceivers:\n  - name: x\n    opsgenie_configs: [{api_key: k}]\n",
        "route: {receiver: x}\nreceivers: [{name: x}]\ntime_intervals:\n  - name: t\n    time_intervals:\n      - days_of_month: ['-3:5']\n",
        "route: {receiver: x}\nreceivers: [{name: x}]\ntime_intervals:\n  - time_intervals: []\n",
        "route:\n  receiver: x\n  repeat_interval: 0\nreceivers: [{name: x}]\n",
        "route:\n  receiver: x\n  group_wait: 0s\nreceivers: [{name: x}]\n",
        "route:\n  receiver: x\n  group_by: ['a-b']\nreceivers: [{name: x}]\n",
        "route:\n  receiver: x\n  mute_time_intervals: [t]\nreceivers: [{name: x}]\ntime_intervals: [{name: t}]\n",
        "route:\n  receiver: x\n  routes:\n    - matchers: ['foo']\n      receiver: x\nreceivers: [{name: x}]\n",
        "route: {receiver: x}\nreceivers:\n  - name: x\n    webhook_configs: [{url: 'http://h/', http_config: {bearer_token: a, basic_auth: {username: u}}}]\n",
        "route: {receiver: x}\nreceivers:\n  - name: x\n    webhook_configs: [{url: 'http://h/', http_config: {foo: 1}}]\n",
        "route: {receiver: x}\nreceivers:\n  - name: x\n    email_configs: [{to: a@b, smarthost: 'h:25', from: f@b, tls_config: {insecure_skip_verify: true}}]\n",
        "route: {receiver: x}\nreceivers:\n  - name: x\n    sns_configs: [{topic_arn: x}]\n",
        "route: {receiver: x}\nreceivers:\n  - name: x\n    unknown_configs: [{}]\n",
        "route: {receiver: x}\nreceivers: [{name: x}]\ntemplates: ['a.tmpl', 'b/*.tmpl']\n",
        // Duplicate keys, anchors and merge keys, yaml.v2 scalar typing.
        "route:\n  receiver: x\n  receiver: y\nreceivers: [{name: x}, {name: y}]\n",
        "defaults: &d\n  receiver: x\nroute: *d\nreceivers: [{name: x}]\n",
        "route:\n  <<: {receiver: x, group_wait: 1s}\n  group_by: [a]\nreceivers: [{name: x}]\n",
        "route: &r {receiver: x}\nreceivers: [{name: x, webhook_configs: [&w {url: \"http://a/\"}, *w]}]\n",
        "route: {receiver: x}\nreceivers: [{name: x, webhook_configs: [{url: \"http://a/\", send_resolved: \"true\"}]}]\n",
        "route: {receiver: \"1\"}\nreceivers: [{name: 1}]\n",
        "route: {receiver: x, continue: false, group_by: [a], routes: [{continue: yes}]}\nreceivers: [{name: x}]\n",
        "route: {receiver: x}\nreceivers: [{name: x, webhook_configs: [{url: \"http://a/\", max_alerts: -1}]}]\n",
        "route: {receiver: x}\nreceivers: [{name: x}]\ninhibit_rules: [{equal: [\"a-b\"]}]\n",
        "route: {receiver: x, group_wait: 1h30m, repeat_interval: 1d}\nreceivers: [{name: x}]\n",
        "route: {receiver: x}\nreceivers: [{name: x, email_configs: [{to: a, smarthost: \"[::1]:25\", from: b}]}]\n",
        "route: {receiver: x}\nreceivers: [{name: x, pagerduty_configs: [{service_key: a, url: \"http://pd/\", details: {a: b}, links: [{href: \"http://l/\"}]}]}]\n",
        "route:\n  receiver: x\n  routes:\n   - matchers: [a=b]\n     routes:\n      - {match: {c: d}, receiver: x}\nreceivers: [{name: x}]\n",
        "route: {receiver: x}\nreceivers: [{name: x}]\ntemplates: null\nglobal: {resolve_timeout: 0s}\n",
        // Zone names: Go reads the zone database files.
        "route: {receiver: x}\nreceivers: [{name: x}]\ntime_intervals:\n  - name: t\n    time_intervals:\n      - location: 'GMT+5'\n",
        "route: {receiver: x}\nreceivers: [{name: x}]\ntime_intervals:\n  - name: t\n    time_intervals:\n      - location: 'US/Eastern'\n",
        "route: {receiver: x}\nreceivers: [{name: x}]\ntime_intervals:\n  - name: t\n    time_intervals:\n      - location: 'EST'\n",
        "route: {receiver: x}\nreceivers: [{name: x}]\ntime_intervals:\n  - name: t\n    time_intervals:\n      - location: 'europe/berlin'\n",
        "route: {receiver: x}\nreceivers: [{name: x}]\ntime_intervals:\n  - name: t\n    time_intervals:\n      - location: '+01:00'\n",
        "route: {receiver: x}\nreceivers: [{name: x}]\ntime_intervals:\n  - name: t\n    time_intervals:\n      - location: 'Etc/GMT-3'\n",
        "route: {receiver: x}\nreceivers: [{name: x}]\ntime_intervals:\n  - name: t\n    time_intervals:\n      - location: 'America'\n",
        // Real-world shapes: kube-prometheus' default, and a Slack/PagerDuty/Telegram/email/webhook mix.
        AmtoolDifferentialTests.kubePrometheus,
        AmtoolDifferentialTests.mixed,
        // Integrations kept raw still get Alertmanager's required-field checks.
        "route: {receiver: x}\nreceivers:\n  - name: x\n    opsgenie_configs: [{}]\n",
        "route: {receiver: x}\nreceivers:\n  - name: x\n    opsgenie_configs: [{api_key: a}]\n",
        "route: {receiver: x}\nreceivers:\n  - name: x\n    wechat_configs: [{}]\n",
        "route: {receiver: x}\nreceivers:\n  - name: x\n    wechat_configs: [{api_secret: s, corp_id: c}]\n",
        "route: {receiver: x}\nreceivers:\n  - name: x\n    pushover_configs: [{token: t}]\n",
        "route: {receiver: x}\nreceivers:\n  - name: x\n    pushover_configs: [{token: t, user_key: u}]\n",
        "route: {receiver: x}\nreceivers:\n  - name: x\n    victorops_configs: [{api_key: k}]\n",
        "route: {receiver: x}\nreceivers:\n  - name: x\n    victorops_configs: [{api_key: k, routing_key: r}]\n",
        "route: {receiver: x}\nreceivers:\n  - name: x\n    sns_configs: [{}]\n",
        "route: {receiver: x}\nreceivers:\n  - name: x\n    sns_configs: [{topic_arn: a, phone_number: p}]\n",
        "route: {receiver: x}\nreceivers:\n  - name: x\n    sns_configs: [{topic_arn: a, phone_number: p, target_arn: t}]\n",
        "route: {receiver: x}\nreceivers:\n  - name: x\n    telegram_configs: [{bot_token: b}]\n",
        "route: {receiver: x}\nreceivers:\n  - name: x\n    telegram_configs: [{bot_token: b, chat_id: 5}]\n",
        "route: {receiver: x}\nreceivers:\n  - name: x\n    telegram_configs: [{bot_token: b, chat_id: 5, parse_mode: x}]\n",
        "route: {receiver: x}\nreceivers:\n  - name: x\n    discord_configs: [{}]\n",
        "route: {receiver: x}\nreceivers:\n  - name: x\n    discord_configs: [{webhook_url: 'http://d/'}]\n",
        "route: {receiver: x}\nreceivers:\n  - name: x\n    webex_configs: [{room_id: r}]\n",
        "route: {receiver: x}\nreceivers:\n  - name: x\n    webex_configs: [{room_id: r, http_config: {authorization: {credentials: c}}}]\n",
        // The typed decoders of those kinds: unknown keys, types and Alertmanager's own checks.
        "route: {receiver: x}\nreceivers:\n  - name: x\n    opsgenie_configs: [{api_key: a, apikey: b}]\n",
        "route: {receiver: x}\nreceivers:\n  - name: x\n    opsgenie_configs: [{api_key: a, responders: [{type: team}]}]\n",
        "route: {receiver: x}\nreceivers:\n  - name: x\n    opsgenie_configs: [{api_key: a, responders: [{name: n, type: Squad}]}]\n",
        "route: {receiver: x}\nreceivers:\n  - name: x\n    opsgenie_configs: [{api_key: a, responders: [{name: n, type: team, email: e}]}]\n",
        "route: {receiver: x}\nreceivers:\n  - name: x\n    opsgenie_configs: [{api_key: a, responders: [{name: n, type: Team}], update_alerts: true, details: {a: b}}]\n",
        "route: {receiver: x}\nreceivers:\n  - name: x\n    opsgenie_configs: [{api_key: a, update_alerts: \"yes\"}]\n",
        "route: {receiver: x}\nreceivers:\n  - name: x\n    victorops_configs: [{api_key: k, routing_key: r, custom_fields: {entity_id: x}}]\n",
        "route: {receiver: x}\nreceivers:\n  - name: x\n    victorops_configs: [{api_key: k, routing_key: r, custom: x}]\n",
        "route: {receiver: x}\nreceivers:\n  - name: x\n    pushover_configs: [{token: t, user_key: u, retry: 30}]\n",
        "route: {receiver: x}\nreceivers:\n  - name: x\n    pushover_configs: [{token: t, user_key: u, expire: 1x}]\n",
        "route: {receiver: x}\nreceivers:\n  - name: x\n    pushover_configs: [{token: t, user_key: u, retry: 1m30s, expire: 1.5h, html: true}]\n",
        "route: {receiver: x}\nreceivers:\n  - name: x\n    sns_configs: [{topic_arn: a, sigv4: {access_key: k}}]\n",
        "route: {receiver: x}\nreceivers:\n  - name: x\n    sns_configs: [{topic_arn: a, sigv4: {region: r, token: t}}]\n",
        "route: {receiver: x}\nreceivers:\n  - name: x\n    sns_configs: [{topic_arn: a, sigv4: {region: r, access_key: k, secret_key: s}, attributes: {a: b}}]\n",
        "route: {receiver: x}\nreceivers:\n  - name: x\n    telegram_configs: [{bot_token: b, chat_id: \"5\"}]\n",
        "route: {receiver: x}\nreceivers:\n  - name: x\n    telegram_configs: [{bot_token: b, chat_id: 0.5}]\n",
        "route: {receiver: x}\nreceivers:\n  - name: x\n    telegram_configs: [{bot_token: b, chat_id: 5, chat: 6}]\n",
        "route: {receiver: x}\nreceivers:\n  - name: x\n    discord_configs: [{webhook_url: 'http://d/', content: c}]\n",
        "route: {receiver: x}\nreceivers:\n  - name: x\n    webex_configs: [{room_id: r, http_config: {bearer_token: t}}]\n",
        "route: {receiver: x}\nreceivers:\n  - name: x\n    wechat_configs: [{api_secret: s, corp_id: c, message_type: html}]\n",
        "route: {receiver: x}\nreceivers:\n  - name: x\n    wechat_configs: [{api_secret: s, corp_id: c, message_type: markdown, to_user: '@all'}]\n",
    ]

    static let kubePrometheus = "global:\n  resolve_timeout: 5m\ninhibit_rules:\n- equal: ['namespace', 'alertname']\n  source_matchers: ['severity = critical']\n  target_matchers: ['severity =~ warning|info']\n- equal: ['namespace']\n  source_matchers: ['alertname = InfoInhibitor']\n  target_matchers: ['severity = info']\nreceivers:\n- name: 'Default'\n- name: 'Watchdog'\n- name: 'Critical'\n- name: 'null'\nroute:\n  group_by: ['namespace']\n  group_interval: 5m\n  group_wait: 30s\n  receiver: 'Default'\n  repeat_interval: 12h\n  routes:\n  - matchers: ['alertname = Watchdog']\n    receiver: 'Watchdog'\n  - matchers: ['alertname = InfoInhibitor']\n    receiver: 'null'\n  - matchers: ['severity = critical']\n    receiver: 'Critical'\n"

    static let mixed = "global:\n  slack_api_url_file: /etc/secret/slack\n  smtp_smarthost: smtp.gmail.com:587\n  smtp_from: a@b.c\n  smtp_auth_password_file: /etc/secret/pw\nroute:\n  receiver: slack\n  routes:\n    - receiver: pd\n      matchers: [ severity=\"page\" ]\n      continue: true\n    - receiver: tg\n      match:\n        team: ops\nreceivers:\n  - name: slack\n    slack_configs:\n      - channel: '#a'\n        send_resolved: true\n        title: '{{ .CommonLabels.alertname }}'\n        actions:\n          - type: button\n            text: 'Runbook :green_book:'\n            url: '{{ (index .Alerts 0).Annotations.runbook_url }}'\n  - name: pd\n    pagerduty_configs:\n      - service_key_file: /etc/secret/pd\n        severity: critical\n  - name: tg\n    telegram_configs:\n      - bot_token: x\n        chat_id: -1001\n    email_configs:\n      - to: x@y.z\n        require_tls: false\n        headers: {Subject: '[ALERT] {{ .CommonLabels.alertname }}'}\n    webhook_configs:\n      - url: http://127.0.0.1:8080/hook\n        send_resolved: false\n        max_alerts: 10\n        http_config:\n          basic_auth: {username: u, password: p}\n          tls_config: {insecure_skip_verify: true}\ntime_intervals:\n  - name: offhours\n    time_intervals:\n      - times:\n        - start_time: '18:00'\n          end_time: '24:00'\n        - start_time: '00:00'\n          end_time: '08:00'\n        weekdays: ['monday:friday']\n      - weekdays: ['saturday', 'sunday']\n        location: 'Europe/London'\n"

    @Test func generatedConfigsHaveAmtoolsVerdict() throws {
        let directory = try TemporaryDirectory(prefix: "pharos-amtool")
        defer { directory.remove() }
        for (index, text) in Self.cases.enumerated() {
            let file = directory.path + "/case\(index).yml"
            try text.write(toFile: file, atomically: true, encoding: .utf8)
            let theirs = try Self.amtoolCheck(file), ours = Self.ours(file)
            #expect(theirs.ok == ours.ok, "case \(index):\n\(text)\namtool: \(theirs)\npharos: \(ours)")
            if !theirs.ok, !ours.ok {
                #expect(Self.sameKind(theirs.message, ours.message), "case \(index): amtool \(theirs.message); pharos \(ours.message)")
                #expect(ours.message.hasPrefix(file), "case \(index): \(ours.message) does not name the file")
            }
        }
    }

    /// Our message contains amtool's (Go's YAML and regexp errors are worded differently but
    /// must name the same key or value).
    static func sameKind(_ amtool: String, _ ours: String) -> Bool {
        if ours.contains(amtool) { return true }
        let amtool = amtool.replacingOccurrences(of: "yaml: unmarshal errors: ", with: "")
        if let line = amtool.range(of: #"^line \d+: "#, options: .regularExpression) {
            // Go's YAML decoder names the line; ours is `file:line:column:`.
            let number = amtool[line].dropFirst(5).dropLast(2)
            guard ours.contains(":\(number):") else { return false }
            if ours.contains(amtool[line.upperBound...]) { return true }
        }
        let yamlType = amtool.contains("cannot unmarshal") && (ours.contains("expected") || ours.contains("cannot parse"))
        let duplicate = amtool.contains("already set") && ours.contains("duplicate key")
        let syntax = amtool.hasPrefix("yaml: line") && ours.contains("cannot parse YAML")
        let regex = amtool.hasPrefix("error parsing regexp") && ours.contains("invalid regular expression")
        let duration = amtool.hasPrefix("not a valid duration string") && ours.contains("duration")
        if let field = amtool.range(of: #"field \S+ not found in type \S+"#, options: .regularExpression) {
            return ours.contains(amtool[field])
        }
        return yamlType || duplicate || syntax || regex || duration
    }
}
