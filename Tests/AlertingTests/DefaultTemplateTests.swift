import Foundation
import PharosCore
import PharosTestSupport
import Templating
import Testing
@testable import Alerting

/// Pharos' default notification templates render the same text as Alertmanager's own
/// default.tmpl/email.tmpl (read from ../shared at test time, never copied) on the same data.
struct DefaultTemplateTests {
    static let now = Date(timeIntervalSince1970: 1_700_001_000)

    static func alert(_ labels: [String: String], _ annotations: [String: String] = [:], resolved: Bool = false,
                      source: String = "http://prom/graph?g0.expr=up") -> AlertmanagerAlert {
        AlertmanagerAlert(labels: Labels(labels), annotations: Labels(annotations),
                          startsAt: Date(timeIntervalSince1970: 1_700_000_000),
                          endsAt: resolved ? Date(timeIntervalSince1970: 1_700_000_600) : Date(timeIntervalSince1970: 1_700_009_000),
                          generatorURL: source, updatedAt: Date(timeIntervalSince1970: 1_700_000_000))
    }

    /// Cases: mixed firing/resolved with extra common labels; all resolved; no group labels;
    /// one alert without annotations or source; a receiver name with regex metacharacters.
    static let cases: [(String, [AlertmanagerAlert], [String: String])] = [
        ("team-X.pager", [
            alert(["alertname": "HighLatency", "severity": "critical", "instance": "a:9100", "job": "api"],
                  ["summary": "High latency", "runbook_url": "http://rb/1"]),
            alert(["alertname": "HighLatency", "severity": "critical", "instance": "b:9100", "job": "api"], ["summary": "High latency"]),
            alert(["alertname": "HighLatency", "severity": "critical", "instance": "c:9100", "job": "api"], ["summary": "High latency"],
                  resolved: true, source: ""),
        ], ["alertname": "HighLatency", "job": "api"]),
        ("ops", [
            alert(["alertname": "Disk", "severity": "warning", "instance": "x"], resolved: true),
            alert(["alertname": "Disk", "severity": "warning", "instance": "y"], resolved: true),
        ], ["alertname": "Disk"]),
        ("all (by nothing)", [
            alert(["alertname": "A", "team": "db"], ["description": "ünïcode & <html>"]),
            alert(["alertname": "B", "team": "db"]),
        ], [:]),
        ("x", [alert(["alertname": "Only"], source: "")], ["alertname": "Only"]),
    ]

    static let names = [
        "__alertmanager", "__alertmanagerURL", "__subject", "__description",
        "slack.default.title", "slack.default.username", "slack.default.fallback", "slack.default.callbackid",
        "slack.default.pretext", "slack.default.titlelink", "slack.default.iconemoji", "slack.default.iconurl",
        "slack.default.text", "slack.default.footer", "slack.default.color",
        "pagerduty.default.description", "pagerduty.default.client", "pagerduty.default.clientURL",
        "email.default.subject",
        "opsgenie.default.message", "opsgenie.default.description", "opsgenie.default.source",
        "wechat.default.message", "wechat.default.to_user", "wechat.default.to_party", "wechat.default.to_tag",
        "wechat.default.agent_id",
        "victorops.default.state_message", "victorops.default.entity_display_name", "victorops.default.monitoring_tool",
        "pushover.default.title", "pushover.default.message", "pushover.default.url",
        "sns.default.subject", "sns.default.message",
        "telegram.default.message", "discord.default.title", "discord.default.message", "webex.default.message",
    ]

    static func alertmanagerTemplate() throws -> AlertmanagerTemplate {
        var t = AlertmanagerTemplate()
        for file in ["default.tmpl", "email.tmpl"] {
            try t.parse(try String(contentsOfFile: Conformance.path("alertmanager/templates/\(file)"), encoding: .utf8), name: file)
        }
        return t
    }

    @Test(arguments: 0..<cases.count)
    func textTemplatesRenderAsAlertmanagers(index: Int) async throws {
        let (receiver, alerts, group) = Self.cases[index]
        let context = NotificationContext(receiver: receiver, groupKey: "{}:{}", groupLabels: Labels(group),
                                          externalURL: "http://am.example:9093", now: Self.now)
        let data = AlertmanagerData(alerts, context: context)
        let theirs = try Self.alertmanagerTemplate()
        let ours = NotificationTemplates().template
        var calls = Self.names.map { #"{{ template "\#($0)" . }}"# }
        for list in ["__text_alert_list", "__text_alert_list_markdown", "pagerduty.default.instances"] {
            for selection in [".Alerts", ".Alerts.Firing", ".Alerts.Resolved"] {
                calls.append(#"{{ template "\#(list)" \#(selection) }}"#)
            }
        }
        for (name, text) in PagerdutyConfig.defaultDetails.sorted(by: { $0.key < $1.key }) { calls.append(text + "<!-- \(name) -->") }
        for call in calls {
            let expected = try await theirs.executeText(call, data: data)
            let got = try await ours.executeText(call, data: data)
            #expect(got == expected, "\(call)")
        }
        // The subject also matches in HTML mode (the e-mail <title>), and so do the bodies
        // Telegram (parse_mode HTML) and Pushover (html: true) render as HTML.
        for name in ["email.default.subject", "telegram.default.message", "pushover.default.message"] {
            let call = #"{{ template "\#(name)" . }}"#
            #expect(try await ours.executeHTML(call, data: data) == (try await theirs.executeHTML(call, data: data)), "\(name)")
        }
    }

    @Test func htmlBodyCarriesTheAlerts() async throws {
        let (receiver, alerts, group) = Self.cases[0]
        let context = NotificationContext(receiver: receiver, groupKey: "{}:{}", groupLabels: Labels(group),
                                          externalURL: "http://am.example:9093", now: Self.now)
        let html = try await NotificationTemplates().template.executeHTML(#"{{ template "email.default.html" . }}"#,
                                                                          data: AlertmanagerData(alerts, context: context))
        for needle in ["<title>[FIRING:2] HighLatency api (critical)</title>", "2 firing, 1 resolved",
                       "instance = a:9100", "runbook_url = http://rb/1", "[1] Resolved",
                       #"href="http://prom/graph?g0.expr=up""#,
                       #"href="http://am.example:9093/#/alerts?receiver=team-X%5C.pager""#] {
            #expect(html.contains(needle), "\(needle) not in:\n\(html)")
        }
    }

    @Test func userTemplatesReplaceDefaults() async throws {
        let directory = try TemporaryDirectory(prefix: "pharos-tmpl")
        defer { directory.remove() }
        try #"{{ define "slack.default.title" }}custom {{ .CommonLabels.alertname }}{{ end }}"#
            .write(toFile: directory.path + "/a.tmpl", atomically: true, encoding: .utf8)
        let templates = try NotificationTemplates(globs: ["*.tmpl"], baseDirectory: directory.path)
        let context = NotificationContext(receiver: "r", groupKey: "{}:{}", groupLabels: .empty, externalURL: "http://am", now: Self.now)
        let data = AlertmanagerData([Self.alert(["alertname": "X"])], context: context)
        #expect(try await templates.template.executeText(#"{{ template "slack.default.title" . }}"#, data: data) == "custom X")
        #expect(try await templates.template.executeText(#"{{ template "slack.default.username" . }}"#, data: data) == "Alertmanager")
        // No match is no error (Go's filepath.Glob); a file that does not parse is, naming the file.
        _ = try NotificationTemplates(globs: ["/nonexistent-dir/*.tmpl"])
        try #"{{ define "x" }}{{ .Foo "#.write(toFile: directory.path + "/bad.tmpl", atomically: true, encoding: .utf8)
        let error = #expect(throws: NotifyError.self) { _ = try NotificationTemplates(globs: [directory.path + "/bad.tmpl"]) }
        #expect(error?.message.contains("bad.tmpl") == true, "\(String(describing: error))")
    }

    @Test func fingerprintAndGroupKeyHashAsAlertmanager() {
        // FNV-1a 64 of "alertname\xffX\xff" (Prometheus' LabelSet.Fingerprint); SHA-256 test vectors.
        #expect(alertFingerprint(Labels(["alertname": "X"])) == "d2aeefc389ca7746")
        #expect(SHA256.hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex(String(repeating: "a", count: 1000)) == "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
    }

    @Test func truncationAsAlertmanager() {
        #expect(truncateInRunes("abc", 3) == ("abc", false))
        #expect(truncateInRunes("abcdef", 5) == ("abcd…", true))
        #expect(truncateInRunes("ääääää", 4) == ("äää…", true))
        #expect(truncateInRunes("abcdef", 2) == ("ab", true))
    }
}
