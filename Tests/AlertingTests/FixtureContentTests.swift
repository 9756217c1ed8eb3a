import Alerting
import PharosConfig
import PharosCore
import PharosTestSupport
import Testing

/// What Alertmanager's own example configs decode to after defaults and global inheritance.
@Suite struct FixtureContentTests {
    static func load(_ name: String) throws -> AlertmanagerConfig {
        try AlertmanagerConfig.load(file: Conformance.path("alertmanager/" + name))
    }

    @Test func confGood() throws {
        let config = try Self.load("config/conf.good.yml")
        #expect(config.templates == ["/etc/alertmanager/template/*.tmpl"])
        #expect(config.global.httpConfig.proxyURL == "http://127.0.0.1:1025")
        #expect(config.receivers.map(\.name) == [
            "team-X-mails", "team-X-pager", "team-Y-mails", "team-Y-pager", "team-DB-pager",
            "victorOps-receiver", "opsGenie-receiver", "pushover-receiver", "slack-receiver",
        ])
        let email = try #require(config.receiver(named: "team-X-mails")?.emailConfigs.first)
        #expect(email.to == "team-X+alerts@example.org" && email.smarthost == "localhost:25")
        #expect(email.from == "alertmanager@example.org" && email.hello == "host.example.org")
        #expect(email.authUsername == "alertmanager" && email.authPassword == "multiline\nmysecret")
        #expect(email.requireTLS && !email.sendResolved)
        let pager = try #require(config.receiver(named: "team-X-pager")?.pagerdutyConfigs.first)
        #expect(pager.routingKey == "mysecret" && pager.url == "https://events.pagerduty.com/v2/enqueue")
        #expect(pager.httpConfig.proxyURL == "http://127.0.0.1:1025" && pager.sendResolved)
        #expect(pager.source == #"{{ template "pagerduty.default.client" . }}"#)
        #expect(Set(pager.details.keys) == ["firing", "resolved", "num_firing", "num_resolved"])
        let slack = try #require(config.receiver(named: "slack-receiver")?.slackConfigs.first)
        #expect(slack.apiURL == "http://mysecret.example.com/" && slack.channel == "#my-channel")
        #expect(slack.imageURL == "http://some.img.com/img.png" && slack.httpConfig.proxyURL == "http://127.0.0.1:1025")
        #expect(config.receiver(named: "victorOps-receiver")?.victoropsConfigs.count == 1)
        let rule = try #require(config.inhibitRules.first)
        #expect(rule.sourceMatchers.map(\.description) == [#"severity="critical""#])
        #expect(rule.equal == ["alertname", "cluster", "service"])

        let root = Route(config.route)
        #expect(root.options.groupBy == ["alertname", "cluster", "service"])
        #expect(root.options.repeatInterval.milliseconds == 3 * 3_600_000)
        let database = root.routes[2]
        #expect(database.options.groupBy == ["alertname", "cluster", "database"])
        #expect(database.routes[0].continue && database.routes[0].options.receiver == "team-X-pager")
        #expect(database.routes[0].key == #"{}/{service="database"}/{owner2="team-X"}"#)
    }

    @Test func groupByAllAndHTTPConfig() throws {
        let all = Route(try Self.load("config/conf.group-by-all.yml").route)
        #expect(all.options.groupByAll && all.options.groupBy.isEmpty)
        let http = try Self.load("config/conf.http-config.good.yml")
        #expect(!http.global.httpConfig.followRedirects)
        let slack = try #require(http.receivers.first?.slackConfigs.first)
        // A receiver's own http_config replaces the global one entirely.
        #expect(slack.httpConfig.proxyURL == "foo" && slack.httpConfig.followRedirects)
        #expect(slack.apiURL == "https://slack.com/webhook")
    }

    @Test func emptyFieldsKeepGlobalDefaults() throws {
        let config = try Self.load("config/conf.empty-fields.yml")
        let email = try #require(config.receivers.first?.emailConfigs.first)
        // An empty smtp_hello overrides the default, and the receiver then inherits "".
        #expect(config.global.smtpHello == "" && email.hello == "")
        #expect(email.authUsername == "" && email.authPassword == "")
    }
}
