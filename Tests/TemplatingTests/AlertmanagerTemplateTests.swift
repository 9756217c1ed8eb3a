import Foundation
import PharosTestSupport
import Testing
@testable import Templating

/// Alertmanager's own default.tmpl and email.tmpl (read from ../shared/conformance, never
/// copied), rendered on sample data; expected strings derived by reading the templates.
struct AlertmanagerTemplateTests {
    static let startsAt = TemplateTime(seconds: 1_700_000_000)

    static let data = AlertmanagerData(
        receiver: "team-X.pager",
        groupLabels: ["alertname": "HighLatency", "job": "api"],
        alerts: [
            .init(status: "firing", labels: ["alertname": "HighLatency", "severity": "critical", "instance": "a:9100", "job": "api"],
                  annotations: ["summary": "High latency", "runbook_url": "http://rb/1"], startsAt: startsAt,
                  generatorURL: "http://prom/graph?g0.expr=x", fingerprint: "a1"),
            .init(status: "firing", labels: ["alertname": "HighLatency", "severity": "critical", "instance": "b:9100", "job": "api"],
                  annotations: ["summary": "High latency"], startsAt: startsAt, generatorURL: "http://prom/2", fingerprint: "b2"),
            .init(status: "resolved", labels: ["alertname": "HighLatency", "severity": "critical", "instance": "c:9100", "job": "api"],
                  annotations: ["summary": "High latency"], startsAt: startsAt,
                  endsAt: TemplateTime(seconds: 1_700_000_600), fingerprint: "c3"),
        ],
        externalURL: "http://am:9093")

    static func defaultSet() throws -> TemplateSet {
        var set = AlertmanagerFunctions.makeSet(AlertmanagerTemplateContext(now: {
            TemplateTime(seconds: 1_700_003_723, nanoseconds: 500_000_000)
        }))
        for file in ["default.tmpl", "email.tmpl"] {
            let text = try String(contentsOfFile: Conformance.path("alertmanager/templates/\(file)"), encoding: .utf8)
            try set.parse(text, name: "")
        }
        return set
    }

    static func list(_ instance: String, _ annotations: String, _ source: String) -> String {
        "Labels:\n - alertname = HighLatency\n - instance = \(instance)\n - job = api\n - severity = critical\n"
            + "Annotations:\n\(annotations)Source: \(source)\n"
    }

    static let listA = list("a:9100", " - runbook_url = http://rb/1\n - summary = High latency\n", "http://prom/graph?g0.expr=x")
    static let listB = list("b:9100", " - summary = High latency\n", "http://prom/2")
    static let listC = list("c:9100", " - summary = High latency\n", "")

    @Test(arguments: [
        ("{{ template \"slack.default.title\" . }}", "[FIRING:2] HighLatency api (critical)"),
        ("{{ template \"slack.default.text\" . }}", ""),
        ("{{ template \"slack.default.username\" . }}", "Alertmanager"),
        ("{{ template \"slack.default.titlelink\" . }}", "http://am:9093/#/alerts?receiver=team-X%5C.pager"),
        ("{{ template \"slack.default.fallback\" . }}",
         "[FIRING:2] HighLatency api (critical) | http://am:9093/#/alerts?receiver=team-X%5C.pager"),
        ("{{ template \"slack.default.color\" . }}", "danger"),
        ("{{ template \"email.default.subject\" . }}", "[FIRING:2] HighLatency api (critical)"),
        ("{{ template \"__subject\" . }}", "[FIRING:2] HighLatency api (critical)"),
        ("{{ template \"pagerduty.default.description\" . }}", "[FIRING:2] HighLatency api (critical)"),
        ("{{ template \"pagerduty.default.client\" . }}", "Alertmanager"),
        ("{{ template \"pagerduty.default.clientURL\" . }}", "http://am:9093/#/alerts?receiver=team-X%5C.pager"),
        ("{{ template \"pagerduty.default.instances\" .Alerts.Firing }}", listA + listB),
        ("{{ template \"pagerduty.default.instances\" .Alerts.Resolved }}", listC),
        ("{{ template \"opsgenie.default.description\" . }}",
         "High latency\nAlerts Firing:\n" + listA + listB + "\nAlerts Resolved:\n" + listC),
        ("{{ template \"jira.default.priority\" . }}", "High"),
        ("{{ .CommonLabels }} | {{ .GroupLabels.SortedPairs }} | {{ .CommonLabels.Names }}",
         "alertname=HighLatency, job=api, severity=critical | alertname=HighLatency, job=api | [alertname job severity]"),
        ("{{ range .Alerts }}{{ .Labels.instance }}{{ .Labels.missing }},{{ end }}", "a:9100,b:9100,c:9100,"),
        ("{{ (index .Alerts 0).StartsAt }} / {{ (index .Alerts 0).EndsAt }}",
         "2023-11-14 22:13:20 +0000 UTC / 0001-01-01 00:00:00 +0000 UTC"),
        ("{{ with index .Alerts 0 }}{{ .StartsAt.Format \"2006-01-02T15:04:05Z07:00\" }} {{ date \"Jan 2, 2006 at 3:04pm (MST)\" .StartsAt }}{{ end }}",
         "2023-11-14T22:13:20Z Nov 14, 2023 at 10:13pm (UTC)"),
        ("{{ with index .Alerts 0 }}{{ (tz \"Europe/Berlin\" .StartsAt).Format \"Mon 15:04 -07:00 MST\" }}{{ end }}", "Tue 23:13 +01:00 CET"),
        ("{{ with index .Alerts 0 }}{{ since .StartsAt }} {{ since .StartsAt | humanizeDuration }} {{ .StartsAt.Unix }}{{ end }}",
         "1h2m3.5s 1h 2m 3s 1700000000"),
        ("{{ with index .Alerts 2 }}{{ .EndsAt.Sub .StartsAt }}{{ end }}", "10m0s"),
        ("{{ \"  padded \\n\" | trimSpace }}|{{ \"hello wORLD\" | title }}|{{ stringSlice \"a\" \"b\" | join \"-\" }}", "padded|Hello World|a-b"),
        ("{{ reReplaceAll \"^(.+):\\\\d+$\" \"$1\" \"host:9100\" }} {{ match \"^a\" \"abc\" }} {{ urlUnescape \"a%20b+c\" }}", "host true a b c"),
    ] as [(String, String)])
    func renders(_ text: String, _ expected: String) async throws {
        let set = try Self.defaultSet()
        #expect(try await set.render(text, data: Self.data.templateValue) == expected)
    }

    @Test func subjectVariants() async throws {
        let set = try Self.defaultSet()
        let resolved = AlertmanagerData(receiver: "r", groupLabels: ["alertname": "X"],
                                        alerts: [.init(status: "resolved", labels: ["alertname": "X"])], externalURL: "")
        // CommonLabels no larger than GroupLabels: no parenthesis, but the space before it stays.
        #expect(try await set.render("{{ template \"__subject\" . }}", data: resolved.templateValue) == "[RESOLVED] X ")
        #expect(try await set.render("{{ template \"slack.default.color\" . }}", data: resolved.templateValue) == "good")
    }

    @Test func emailHTMLRenders() async throws {
        let set = try Self.defaultSet()
        let html = try await set.render("{{ template \"email.default.html\" . }}", data: Self.data.templateValue)
        #expect(html.contains("<title>[FIRING:2] HighLatency api (critical)</title>"))
        #expect(html.contains("3 alerts for \n                alertname=HighLatency\n              \n                job=api\n"))
        #expect(html.contains("View in Alertmanager"))
    }

    @Test func everyDefaultTemplateRenders() async throws {
        let set = try Self.defaultSet()
        #expect(set.templateNames.count > 60)
        for name in set.templateNames where !name.isEmpty && !name.hasPrefix("__text_alert_list") && name != "pagerduty.default.instances" {
            _ = try await set.render("{{ template \"\(name)\" . }}", data: Self.data.templateValue)
        }
    }

    @Test func templateWrapperAsAlertmanager() async throws {
        var t = AlertmanagerTemplate()
        for file in ["default.tmpl", "email.tmpl"] {
            try t.parse(try String(contentsOfFile: Conformance.path("alertmanager/templates/\(file)"), encoding: .utf8))
        }
        try t.parse(#"{{ define "custom" }}{{ .CommonLabels.severity | toUpper }}: {{ .CommonAnnotations.summary }}{{ end }}"#, name: "custom.tmpl")
        #expect(try await t.executeText("", data: Self.data) == "")
        #expect(try await t.executeText(#"{{ template "custom" . }}"#, data: Self.data) == "CRITICAL: High latency")
        #expect(try await t.executeHTML(#"<b>{{ template "custom" . }}</b>"#, data: Self.data) == "<b>CRITICAL: High latency</b>")
        let literal: TemplateValue = ["a": [1, 2.5, "x", true]]
        #expect(try await render("{{ .a }}", literal) == "[1 2.5 x true]")
    }

    @Test func errorsNameTheTemplate() async throws {
        let set = try Self.defaultSet()
        await #expect(throws: TemplateError(.execution,
            #"template: default.tmpl:1:8: executing "default.tmpl" at <.Nope.x>: can't evaluate field x in type interface {}"#)) {
            _ = try await set.render("{{ .Nope.x }}", name: "default.tmpl", data: .map(TemplateMap(["Nope": .string("s")])))
        }
    }
}
