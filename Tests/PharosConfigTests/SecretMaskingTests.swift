import PharosConfig
import Testing

/// A config shown over the API (`/api/v1/status/config`, `/api/v2/status`) keeps its shape and
/// values, except secrets, which read `<secret>` as in Prometheus and Alertmanager.
struct SecretMaskingTests {
    static let yaml = """
        global:
          smtp_auth_password: hunter2
          slack_api_url: https://hooks.slack.com/services/T/B/X
        scrape_configs:
          - job_name: "node"
            basic_auth: {username: prom, password: s3cret}
            authorization: {credentials: tok}
            static_configs: [{targets: ["a:9100"], labels: {port: "80"}}]
        receivers:
          - name: chat
            slack_configs:
              - api_url: https://hooks.slack.com/services/T/B/Y
                channel: '#ops'
            opsgenie_configs:
              - api_url: https://api.opsgenie.com/
                api_key: k
            pagerduty_configs:
              - routing_key: ''
        """

    @Test func secretsAreMaskedAndEverythingElseKept() throws {
        let shown = try YAMLNode.parse(Self.yaml, file: "p.yml").maskingSecrets().yamlText
        for secret in ["hunter2", "services/T/B/X", "services/T/B/Y", "s3cret", "tok\n", "api_key: k\n"] {
            #expect(!shown.contains(secret), "\(secret) shown in\n\(shown)")
        }
        let reparsed = try YAMLNode.parse(shown, file: "shown.yml")
        #expect(reparsed["global"]?["smtp_auth_password"]?.kind == .scalar("<secret>", quoted: false))
        guard case .sequence(let receivers)? = reparsed["receivers"]?.kind,
              case .sequence(let slack)? = receivers.first?["slack_configs"]?.kind,
              case .sequence(let opsgenie)? = receivers.first?["opsgenie_configs"]?.kind,
              case .sequence(let pagerduty)? = receivers.first?["pagerduty_configs"]?.kind
        else {
            Issue.record("receivers lost:\n\(shown)")
            return
        }
        #expect(slack.first?["api_url"]?.kind == .scalar("<secret>", quoted: false))
        #expect(slack.first?["channel"]?.kind == .scalar("#ops", quoted: true))
        // Opsgenie's api_url is an address, not a secret; an empty secret stays empty.
        #expect(opsgenie.first?["api_url"]?.kind == .scalar("https://api.opsgenie.com/", quoted: false))
        #expect(pagerduty.first?["routing_key"]?.kind == .scalar("", quoted: true))
        // A quoted number stays a string.
        guard case .sequence(let jobs)? = reparsed["scrape_configs"]?.kind,
              case .sequence(let statics)? = jobs.first?["static_configs"]?.kind else {
            Issue.record("scrape_configs lost:\n\(shown)")
            return
        }
        #expect(statics.first?["labels"]?["port"]?.kind == .scalar("80", quoted: true))
        #expect(jobs.first?["basic_auth"]?["username"]?.kind == .scalar("prom", quoted: false))
    }

    @Test func nullAndEmptyDocuments() throws {
        #expect(try YAMLNode.parse("", file: "e.yml").maskingSecrets().yamlText == "null\n")
        #expect(try YAMLNode.parse("a: ~\nb: []\n", file: "e.yml").yamlText == "a: null\nb: []\n")
    }
}
