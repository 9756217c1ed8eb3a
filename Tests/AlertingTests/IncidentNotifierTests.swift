import Foundation
import PharosConfig
import PharosCore
import PharosTestSupport
import Testing
@testable import Alerting

/// Shared alerts and group for the notifier tests of the receiver kinds.
enum KindFixtures {
    static let now = Date(timeIntervalSince1970: 1_700_001_000)
    static let groupKey = #"{}:{alertname="HighLatency"}"#
    static let alias = SHA256.hex(groupKey)
    static let context = NotificationContext(
        receiver: "team-X.pager", groupKey: groupKey,
        groupLabels: Labels(["alertname": "HighLatency"]), externalURL: "http://am.example:9093", now: now)
    static let alertsURL = "http://am.example:9093/#/alerts?receiver=team-X%5C.pager"

    static func alert(_ instance: String, resolved: Bool = false, summary: String? = nil) -> AlertmanagerAlert {
        AlertmanagerAlert(labels: Labels(["alertname": "HighLatency", "instance": instance, "severity": "critical"]),
                          annotations: Labels(["summary": summary ?? "latency high on \(instance)"]),
                          startsAt: Date(timeIntervalSince1970: 1_700_000_000),
                          endsAt: Date(timeIntervalSince1970: resolved ? 1_700_000_500 : 1_700_002_000),
                          generatorURL: "http://prom/g", updatedAt: Date(timeIntervalSince1970: 1_700_000_000))
    }

    static let firing = [alert("a"), alert("b")]
    static let resolved = [alert("a", resolved: true), alert("b", resolved: true)]

    /// `__text_alert_list` of one fixture alert.
    static func list(_ instance: String) -> String {
        "Labels:\n - alertname = HighLatency\n - instance = \(instance)\n - severity = critical\nAnnotations:\n - summary = latency high on \(instance)\nSource: http://prom/g\n"
    }

    static func receiver(_ kinds: String, global: String = "{}") throws -> ReceiverConfig {
        try AlertmanagerConfig.parse("global: \(global)\nroute: {receiver: r}\nreceivers:\n- name: r\n\(kinds)\n",
                                     file: "alertmanager.yml").receivers[0]
    }

    static func json(_ text: String) -> NSDictionary {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? NSDictionary ?? [:]
    }

    /// The query of a request as a dictionary (one value per name).
    static func query(_ raw: String) -> [String: String] {
        var out: [String: String] = [:]
        for (key, value) in GoURL.parseQuery(raw) { out[key] = value }
        return out
    }
}

/// The Opsgenie, VictorOps, Pushover and SNS notifiers against a local receiver: the requests
/// Alertmanager 0.25 builds (read from its source), defaults, truncation, retry classes.
struct IncidentNotifierTests {
    typealias F = KindFixtures

    @Test func opsgenieCreateAndClose() async throws {
        let receiver = PayloadReceiver()
        try await receiver.run { url in
            let config = try F.receiver("  opsgenie_configs: [{api_key: key-1, api_url: '\(url)/og'}]").opsgenieConfigs[0]
            let notifier = try OpsGenieNotifier(config: config, templates: NotificationTemplates())
            #expect(notifier.integration == "opsgenie" && notifier.sendResolved)
            try await notifier.notify(F.firing, context: F.context)
            try await notifier.notify(F.resolved, context: F.context)
            let got = receiver.received
            try #require(got.count == 2)
            #expect(got[0].method == "POST" && got[0].path == "/og/v2/alerts" && got[0].query.isEmpty)
            #expect(got[0].header("authorization") == "GenieKey key-1" && got[0].contentType == "application/json")
            #expect(got[0].json == [
                "alias": F.alias, "message": "[FIRING:2] HighLatency (critical)",
                "description": "\nAlerts Firing:\n" + F.list("a") + F.list("b") + "\n",
                "details": ["alertname": "HighLatency", "severity": "critical"], "source": F.alertsURL,
            ] as NSDictionary)
            #expect(got[1].method == "POST" && got[1].path == "/og/v2/alerts/\(F.alias)/close" && got[1].query == "identifierType=alias")
            #expect(got[1].text == #"{"source":"http://am.example:9093/#/alerts?receiver=team-X%5C.pager"}"# + "\n")
            #expect(got[1].header("authorization") == "GenieKey key-1")
        }
    }

    @Test func opsgenieOptionalFieldsResponderSplitAndUpdates() async throws {
        let receiver = PayloadReceiver()
        try await receiver.run { url in
            let yaml = """
              opsgenie_configs:
              - api_key: 'k-{{ .CommonLabels.severity }}'
                api_url: '\(url)/og/'
                message: '{{ range .Alerts }}{{ .Annotations.summary }}{{ end }}'
                details: {severity: overridden, team: '{{ .GroupLabels.alertname }}'}
                responders: [{name: ' a,,b ', type: teams}, {name: '{{ .CommonLabels.nothing }}', type: '{{ .CommonLabels.nothing }}'}, {username: u, type: user}]
                tags: ' x, y ,,'
                update_alerts: true
            """
            let config = try F.receiver(yaml).opsgenieConfigs[0]
            let notifier = try OpsGenieNotifier(config: config, templates: NotificationTemplates())
            let long = [F.alert("a", summary: String(repeating: "m", count: 100)), F.alert("b", summary: String(repeating: "n", count: 100))]
            try await notifier.notify(long, context: F.context)
            let got = receiver.received
            #expect(got.map { "\($0.method) \($0.path)?\($0.query)" } == [
                "POST /og/v2/alerts?", "PUT /og/v2/alerts/\(F.alias)/message?identifierType=alias",
                "PUT /og/v2/alerts/\(F.alias)/description?identifierType=alias",
            ])
            #expect(got.allSatisfy { $0.header("authorization") == "GenieKey k-critical" })
            let create = try #require(got.first).json
            let message = String(repeating: "m", count: 100) + String(repeating: "n", count: 29) + "…"
            #expect(create["message"] as? String == message)
            #expect(create["details"] as? NSDictionary == ["alertname": "HighLatency", "severity": "overridden", "team": "HighLatency"])
            // " a,,b " is split after trimming the whole text, not each part; the all-empty responder is dropped.
            #expect(create["responders"] as? NSArray == [["name": "a", "type": "team"], ["name": "b", "type": "team"],
                                                         ["username": "u", "type": "user"]] as NSArray)
            #expect(create["tags"] as? [String] == ["x", " y "])
            #expect(create["note"] == nil && create["priority"] == nil && create["entity"] == nil && create["actions"] == nil)
            #expect(got[1].json == ["message": message])
            #expect(got[2].json["description"] as? String == create["description"] as? String)
        }
    }

    @Test(arguments: [(500, true), (503, true), (429, true), (422, false), (401, false)])
    func opsgenieRetryClassification(status: Int, retryable: Bool) async throws {
        let receiver = PayloadReceiver()
        try await receiver.run { url in
            receiver.answer(status, #"{"message":"bad"}"#)
            let config = try F.receiver("  opsgenie_configs: [{api_key: k, api_url: '\(url)/'}]").opsgenieConfigs[0]
            let notifier = try OpsGenieNotifier(config: config, templates: NotificationTemplates())
            let error = await #expect(throws: NotifyError.self) { try await notifier.notify(F.firing, context: F.context) }
            #expect(error?.retryable == retryable)
            #expect(error?.message == #"unexpected status code \#(status): {"message":"bad"}"#)
        }
    }

    @Test func opsgenieKeyFromFile() async throws {
        let receiver = PayloadReceiver()
        let directory = try TemporaryDirectory(prefix: "pharos-og")
        defer { directory.remove() }
        try await receiver.run { url in
            try "  from-file \n".write(toFile: directory.path + "/key", atomically: true, encoding: .utf8)
            let config = try F.receiver("  opsgenie_configs: [{api_url: '\(url)/'}]",
                                        global: "{opsgenie_api_key_file: '\(directory.path)/key'}").opsgenieConfigs[0]
            let notifier = try OpsGenieNotifier(config: config, templates: NotificationTemplates())
            try await notifier.notify(F.firing, context: F.context)
            #expect(receiver.received.first?.header("authorization") == "GenieKey from-file")
        }
    }

    @Test func victoropsTriggerAndRecovery() async throws {
        let receiver = PayloadReceiver()
        try await receiver.run { url in
            let yaml = """
              victorops_configs:
              - {api_key: 'ak', api_url: '\(url)/vo', routing_key: 'team {{ .CommonLabels.severity }}', message_type: WARNING,
                 custom_fields: {runbook: 'http://rb/{{ .GroupLabels.alertname }}'}}
              - {api_key: ak, api_url: '\(url)/vo/', routing_key: r, message_type: '{{ .Status }}'}
            """
            let configs = try F.receiver(yaml).victoropsConfigs
            let first = try VictorOpsNotifier(config: configs[0], templates: NotificationTemplates())
            let second = try VictorOpsNotifier(config: configs[1], templates: NotificationTemplates())
            #expect(first.integration == "victorops" && first.sendResolved)
            try await first.notify(F.firing, context: F.context)
            try await first.notify(F.resolved, context: F.context)
            try await second.notify(F.firing, context: F.context)
            let got = receiver.received
            try #require(got.count == 3)
            #expect(got[0].path == "/vo/ak/team%20critical" && got[0].method == "POST")
            #expect(got[0].json == [
                "message_type": "WARNING", "entity_id": F.alias, "entity_display_name": "[FIRING:2] HighLatency (critical)",
                "state_message": "\nAlerts Firing:\n" + F.list("a") + F.list("b") + "\n", "monitoring_tool": "Alertmanager",
                "runbook": "http://rb/HighLatency",
            ] as NSDictionary)
            #expect(got[1].json["message_type"] as? String == "RECOVERY")
            #expect(got[1].json["state_message"] as? String == "\n\nAlerts Resolved:\n" + F.list("a") + F.list("b"))
            #expect(got[1].json["entity_display_name"] as? String == "[RESOLVED] HighLatency (critical)")
            // A message type other than INFO, WARNING and CRITICAL becomes CRITICAL while firing.
            #expect(got[2].path == "/vo/ak/r" && got[2].json["message_type"] as? String == "CRITICAL")
            // Only 5xx is retried.
            for (status, retryable) in [(502, true), (429, false), (400, false)] {
                receiver.answer(status, "no")
                let error = await #expect(throws: NotifyError.self) { try await second.notify(F.firing, context: F.context) }
                #expect(error?.retryable == retryable, "\(status)")
            }
        }
    }

    @Test func pushoverParametersInTheQuery() async throws {
        let receiver = PayloadReceiver()
        try await receiver.run { url in
            var options = NotifierOptions()
            options.pushoverURL = url + "/1/messages.json"
            let configs = try F.receiver("""
              pushover_configs:
              - {user_key: user-1, token: 'tok {{ .CommonLabels.severity }}'}
              - {user_key: u, token: t, html: true, retry: 90s, expire: 2h, sound: siren, url_title: Open,
                 title: '{{ range .Alerts }}{{ .Annotations.summary }}{{ end }}', message: '<b>{{ .CommonLabels.instance }}</b> {{ "<i>" }}'}
              - {user_key: u, token: t, message: '  '}
            """).pushoverConfigs
            let notifiers = try configs.map { config throws(NotifyError) in
                try PushoverNotifier(config: config, templates: NotificationTemplates(), options: options)
            }
            #expect(notifiers[0].integration == "pushover" && notifiers[0].sendResolved)
            try await notifiers[0].notify(F.firing, context: F.context)
            try await notifiers[0].notify(F.resolved, context: F.context)
            try await notifiers[1].notify([F.alert("a", summary: String(repeating: "t", count: 300))], context: F.context)
            try await notifiers[2].notify(F.firing, context: F.context)
            let got = receiver.received
            try #require(got.count == 4)
            #expect(got[0].method == "POST" && got[0].path == "/1/messages.json" && got[0].body.isEmpty)
            #expect(got[0].contentType == "text/plain")
            #expect(F.query(got[0].query) == [
                "token": "tok critical", "user": "user-1", "title": "[FIRING:2] HighLatency (critical)",
                "message": "Alerts Firing:\n" + F.list("a") + F.list("b").dropLast(), "url": F.alertsURL, "url_title": "",
                "priority": "2", "retry": "60", "expire": "3600", "sound": "",
            ])
            // Go's url.Values.Encode: names sorted, spaces as "+".
            #expect(got[0].query.hasPrefix("expire=3600&message=Alerts+Firing%3A%0ALabels%3A"))
            #expect(F.query(got[1].query)["priority"] == "0")
            #expect(F.query(got[1].query)["message"] == "Alerts Resolved:\n" + F.list("a") + F.list("b").dropLast())
            let html = F.query(got[2].query)
            #expect(html["html"] == "1" && html["message"] == "<b>a</b> &lt;i&gt;")
            #expect(html["title"] == String(repeating: "t", count: 249) + "…")
            #expect(html["retry"] == "90" && html["expire"] == "7200" && html["sound"] == "siren" && html["url_title"] == "Open")
            #expect(F.query(got[3].query)["message"] == "(no details)")
            // 5xx is retried, other failures are not; the token never shows in messages.
            receiver.answer(500, #"{"status":0}"#)
            let error = await #expect(throws: NotifyError.self) { try await notifiers[0].notify(F.firing, context: F.context) }
            #expect(error?.retryable == true)
            receiver.answer(400, #"{"user":"invalid"}"#)
            let bad = await #expect(throws: NotifyError.self) { try await notifiers[0].notify(F.firing, context: F.context) }
            #expect(bad?.retryable == false && bad?.message == #"unexpected status code 400: {"user":"invalid"}"#)
        }
        var options = NotifierOptions()
        options.pushoverURL = "http://127.0.0.1:\(try Peers.freePort())/1/messages.json"
        options.timeout = .seconds(5)
        var config = PushoverConfig()
        config.userKey = "u"
        config.token = "SECRET-TOKEN"
        let error = await #expect(throws: NotifyError.self) {
            try await PushoverNotifier(config: config, templates: NotificationTemplates(), options: options).notify(F.firing, context: F.context)
        }
        #expect(error?.retryable == true && error?.message.contains("SECRET-TOKEN") == false, "\(String(describing: error))")
    }

    static func snsNotifier(_ yaml: String, url: String, environment: [String: String] = [:]) throws -> SNSNotifier {
        var options = NotifierOptions()
        options.environment = environment
        return try SNSNotifier(config: try F.receiver(yaml.replacingOccurrences(of: "URL", with: url)).snsConfigs[0],
                               templates: NotificationTemplates(), options: options)
    }

    @Test func snsPublishSignedWithSigV4() async throws {
        let receiver = PayloadReceiver()
        try await receiver.run { url in
            let notifier = try Self.snsNotifier("""
              sns_configs:
              - api_url: 'URL/sns'
                sigv4: {region: eu-west-1, access_key: AKID, secret_key: SECRET}
                topic_arn: 'arn:aws:sns:eu-west-1:1:alerts'
                attributes: {severity: '{{ .CommonLabels.severity }}', 'k {{ .Status }}': v}
            """, url: url)
            #expect(notifier.integration == "sns" && notifier.sendResolved)
            try await notifier.notify(F.firing, context: F.context)
            let got = try #require(receiver.received.first)
            #expect(got.method == "POST" && got.path == "/sns/" && got.contentType == "application/x-www-form-urlencoded; charset=utf-8")
            #expect(F.query(got.text) == [
                "Action": "Publish", "Version": "2010-03-31", "TopicArn": "arn:aws:sns:eu-west-1:1:alerts",
                "Message": "\n\nAlerts Firing:\n" + F.list("a") + F.list("b") + "\n\n\n",
                "Subject": "[FIRING:2] HighLatency (critical)",
                "MessageAttributes.entry.1.Name": "k firing", "MessageAttributes.entry.1.Value.DataType": "String",
                "MessageAttributes.entry.1.Value.StringValue": "v",
                "MessageAttributes.entry.2.Name": "severity", "MessageAttributes.entry.2.Value.DataType": "String",
                "MessageAttributes.entry.2.Value.StringValue": "critical",
            ])
            // Signed at the notification's time, over the headers the SDK signs; the signature verifies.
            #expect(got.header("x-amz-date") == "20231114T223000Z")
            let authorization = try #require(got.header("authorization"))
            #expect(authorization.hasPrefix("AWS4-HMAC-SHA256 Credential=AKID/20231114/eu-west-1/sns/aws4_request, SignedHeaders=content-length;content-type;host;x-amz-date, Signature="))
            let signer = SigV4Signer(accessKey: "AKID", secretKey: "SECRET", region: "eu-west-1", service: "sns")
            let host = try #require(got.header("host"))
            let again = signer.sign(method: "POST", url: try #require(GoURL("http://\(host)/sns/")),
                                    headers: [("Content-Length", "\(got.body.count)"), ("Content-Type", got.contentType ?? "")],
                                    body: Array(got.body), at: F.now)
            #expect(again.last?.value == authorization)
        }
    }

    @Test func snsSMSTruncationFIFOAndEnvironmentCredentials() async throws {
        let receiver = PayloadReceiver()
        try await receiver.run { url in
            let sms = try Self.snsNotifier("""
              sns_configs: [{api_url: 'URL/sms', phone_number: '+1555', message: '{{ range .Alerts }}{{ .Annotations.summary }}{{ end }}', subject: ''}]
            """, url: url, environment: ["AWS_REGION": "us-east-2", "AWS_ACCESS_KEY_ID": "ENVKEY", "AWS_SECRET_ACCESS_KEY": "ENVSECRET",
                                         "AWS_SESSION_TOKEN": "TOKEN"])
            try await sms.notify([F.alert("a", summary: String(repeating: "é", count: 1000))], context: F.context)
            let got = try #require(receiver.received.first)
            let form = F.query(got.text)
            #expect(form["Message"] == String(repeating: "é", count: 800))
            #expect(form["MessageAttributes.entry.1.Name"] == "truncated" && form["MessageAttributes.entry.1.Value.StringValue"] == "true")
            #expect(form["PhoneNumber"] == "+1555" && form["Subject"] == nil)
            #expect(got.header("x-amz-security-token") == "TOKEN")
            #expect(got.header("authorization")?.contains("Credential=ENVKEY/20231114/us-east-2/sns/aws4_request, SignedHeaders=content-length;content-type;host;x-amz-date;x-amz-security-token,") == true)

            let fifo = try Self.snsNotifier("""
              sns_configs: [{api_url: 'URL/fifo', topic_arn: 'arn:aws:sns:us-east-1:1:t.fifo', sigv4: {region: us-east-1, access_key: a, secret_key: s}}]
            """, url: url)
            try await fifo.notify(F.resolved, context: F.context)
            let fifoForm = F.query(try #require(receiver.received.last).text)
            #expect(fifoForm["MessageDeduplicationId"] == F.alias && fifoForm["MessageGroupId"] == F.alias)
            #expect(fifoForm["MessageAttributes"] == "" && fifoForm["Subject"] == "[RESOLVED] HighLatency (critical)")
            #expect(receiver.received.last?.text.contains("&MessageAttributes=&") == true)

            // AWS error answers: the <Message> is reported; 5xx is retried, 4xx is not.
            receiver.answer(400, #"<ErrorResponse><Error><Type>Sender</Type><Code>InvalidParameter</Code><Message>Invalid parameter: TopicArn &amp; more</Message></Error></ErrorResponse>"#)
            let bad = await #expect(throws: NotifyError.self) { try await fifo.notify(F.firing, context: F.context) }
            #expect(bad?.retryable == false && bad?.message == "unexpected status code 400: Invalid parameter: TopicArn & more")
            receiver.answer(503, "<ErrorResponse><Error><Message>slow down</Message></Error></ErrorResponse>")
            let busy = await #expect(throws: NotifyError.self) { try await fifo.notify(F.firing, context: F.context) }
            #expect(busy?.retryable == true)
        }
    }

    @Test func snsSettingsPharosCannotSignWith() async throws {
        let cases: [(String, Bool, String)] = [
            ("{region: r, access_key: a, secret_key: s, role_arn: 'arn:aws:iam::1:role/x'}", false, "sigv4.role_arn is not supported by Pharos"),
            ("{region: r, profile: prod}", false, "sigv4.profile is not supported by Pharos"),
            ("{access_key: a, secret_key: s}", true, "region not configured in sns.sigv4.region or in default credentials chain"),
            ("{region: r}", true, "no AWS credentials"),
        ]
        for (sigv4, retryable, message) in cases {
            let notifier = try Self.snsNotifier("  sns_configs: [{topic_arn: t, api_url: 'http://127.0.0.1:1/', sigv4: \(sigv4)}]", url: "")
            let error = await #expect(throws: NotifyError.self) { try await notifier.notify(F.firing, context: F.context) }
            #expect(error?.retryable == retryable, "\(sigv4)")
            #expect(error?.message.contains(message) == true, "\(sigv4): \(String(describing: error))")
        }
        // Without api_url the regional endpoint is used.
        let notifier = try Self.snsNotifier("  sns_configs: [{topic_arn: t, sigv4: {region: cn-north-1, access_key: a, secret_key: s}}]", url: "")
        #expect(notifier.config.apiURL.isEmpty)
    }

    @Test func truncateInBytesAsAlertmanager() {
        #expect(truncateInBytes("abc", 3) == ("abc", false))
        #expect(truncateInBytes("abcdef", 5) == ("ab…", true))
        #expect(truncateInBytes("éééé", 7) == ("éé…", true))
        #expect(truncateInBytes("éééé", 6) == ("é…", true))
        #expect(truncateInBytes("abcd", 3) == ("…", true))
        #expect(truncateInBytes("abcd", 2) == ("..", true))
        #expect(SNSNotifier.truncate("aé", bytes: 2) == ("a", true))
    }
}
