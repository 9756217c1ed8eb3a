import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import PharosCore
import PharosTestSupport
import Testing
@testable import Alerting

/// A real Alertmanager 0.25 (Debian's prometheus-alertmanager) and Pharos' notifiers, given the
/// same config and alerts, send the same Opsgenie, VictorOps, SNS, Telegram, Discord, Webex and
/// WeChat requests — method, path, query, the headers that matter and the body byte for byte —
/// for a firing group and then for its resolution. (Pushover's URL is fixed in Alertmanager
/// 0.25, so only Pharos' side of it is tested, in `IncidentNotifierTests`.)
@Suite(.timeLimit(.minutes(3)))
struct ReceiverKindsDifferentialTests {
    static let externalURL = "http://am.example:9093"
    static let telegramOK = #"{"ok":true,"result":{"message_id":7,"chat":{"id":-1001}}}"#
    static let snsOK = #"<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>m-1</MessageId></PublishResult><ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></PublishResponse>"#

    static func config(_ url: String) -> String {
        """
        global:
          resolve_timeout: 5m
          opsgenie_api_url: \(url)/og/
          opsgenie_api_key: og-key
          victorops_api_url: \(url)/vo/
          victorops_api_key: vo-key
          telegram_api_url: \(url)/tg
          webex_api_url: \(url)/webex
          wechat_api_url: \(url)/wc/
          wechat_api_secret: wc-secret
          wechat_api_corp_id: wc-corp
        route:
          receiver: team-X.pager
          group_by: [alertname]
          group_wait: 1s
          group_interval: 2s
          repeat_interval: 1h
        receivers:
        - name: team-X.pager
          opsgenie_configs:
          - responders:
            - {name: 'ops,db', type: teams}
            - {id: 'u-{{ .CommonLabels.severity }}', type: user}
            - {name: '{{ .CommonLabels.nothing }}', type: '{{ .CommonLabels.nothing }}'}
            tags: 'a,{{ .CommonLabels.job }}, b '
            details: {team: db, sev: '{{ .CommonLabels.severity }}'}
            priority: P1
            note: 'note <{{ .GroupLabels.alertname }}> & more'
            entity: '{{ .GroupLabels.alertname }}'
            actions: 'ack,restart'
            update_alerts: true
          - api_url: \(url)/og2
            api_key: 'k-{{ .CommonLabels.severity }}'
            message: '{{ range .Alerts }}{{ .Labels.instance }} {{ .Annotations.summary }} {{ .Annotations.summary }} {{ end }}'
          victorops_configs:
          - routing_key: 'rk-{{ .CommonLabels.job }}'
            custom_fields: {team: '{{ .CommonLabels.severity }}'}
          - routing_key: r2
            message_type: BOGUS
            api_url: \(url)/vo2
          sns_configs:
          - api_url: \(url)/sns
            sigv4: {region: us-east-1, access_key: AKIDEXAMPLE, secret_key: SECRETEXAMPLE}
            topic_arn: 'arn:aws:sns:us-east-1:123456789012:alerts'
            attributes: {severity: '{{ .CommonLabels.severity }}', team: db}
          - api_url: \(url)/sns2
            sigv4: {region: eu-west-1, access_key: AKIDEXAMPLE, secret_key: SECRETEXAMPLE}
            phone_number: '+15555550100'
          - api_url: \(url)/sns3
            sigv4: {region: us-east-1, access_key: AKIDEXAMPLE, secret_key: SECRETEXAMPLE}
            topic_arn: 'arn:aws:sns:us-east-1:123456789012:alerts.fifo'
            subject: 'S {{ .Status }}'
            message: 'short & sweet'
          telegram_configs:
          - bot_token: tok
            chat_id: -1001
          - bot_token: tok2
            chat_id: 42
            parse_mode: ''
            disable_notifications: true
            api_url: \(url)/tg2
            message: '{{ .CommonLabels.alertname }} <b>x</b> & {{ .CommonAnnotations.runbook_url }}'
          discord_configs:
          - webhook_url: \(url)/discord
          - webhook_url: \(url)/discord2
            title: 'T {{ .Status }}'
            message: 'M {{ len .Alerts }}'
          webex_configs:
          - room_id: room-1
            http_config: {authorization: {credentials: webex-token}}
          wechat_configs:
          - to_user: '@all'
            agent_id: '1000002'
          - message_type: markdown
            api_url: \(url)/wc2
            corp_id: c2
            api_secret: s2
            to_party: '{{ .CommonLabels.job }}'
        """
    }

    /// Sorted by instance, the order Alertmanager's aggregation group hands them over.
    static let alerts: [[String: String]] = [
        ["alertname": "HighLatency", "severity": "critical", "instance": "a:9100", "job": "api"],
        ["alertname": "HighLatency", "severity": "critical", "instance": "b:9100", "job": "api"],
    ]

    static func annotations(_ labels: [String: String]) -> [String: String] {
        ["summary": "latency > 1s & rising on \(labels["instance"]!)", "runbook_url": "http://rb/1?a=b&c=<d>"]
    }

    /// A request's identity in one phase: method and path (the query of a WeChat send holds its token).
    static func key(_ r: PayloadReceiver.Received) -> String { "\(r.method) \(r.path)" }

    static func firingKeys(alias: String) -> [String] {
        [
            "POST /og/v2/alerts", "PUT /og/v2/alerts/\(alias)/message", "PUT /og/v2/alerts/\(alias)/description",
            "POST /og2/v2/alerts", "POST /vo/vo-key/rk-api", "POST /vo2/vo-key/r2",
            "POST /sns/", "POST /sns2/", "POST /sns3/",
            "POST /tg/bottok/sendMessage", "POST /tg2/bottok2/sendMessage",
            "POST /discord", "POST /discord2", "POST /webex",
            "GET /wc/gettoken", "POST /wc/message/send", "GET /wc2/gettoken", "POST /wc2/message/send",
        ]
    }

    static func resolvedKeys(alias: String) -> [String] {
        [
            "POST /og/v2/alerts/\(alias)/close", "POST /og2/v2/alerts/\(alias)/close",
            "POST /vo/vo-key/rk-api", "POST /vo2/vo-key/r2", "POST /sns/", "POST /sns2/", "POST /sns3/",
            "POST /tg/bottok/sendMessage", "POST /tg2/bottok2/sendMessage",
            "POST /discord", "POST /discord2", "POST /webex",
        ]
    }

    /// Waits until every key arrived (once each) after request `from`.
    static func collect(_ receiver: PayloadReceiver, from: Int, keys: [String], timeout: Duration = .seconds(30)) async throws -> [String: PayloadReceiver.Received] {
        let deadline = ContinuousClock.now + timeout
        while true {
            let got = Array(receiver.received.dropFirst(from))
            let byKey = Dictionary(got.map { (key($0), $0) }, uniquingKeysWith: { first, _ in first })
            if keys.allSatisfy({ byKey[$0] != nil }) { return byKey }
            if ContinuousClock.now >= deadline {
                throw PeerError("Alertmanager did not send \(keys.filter { byKey[$0] == nil }); got \(got.map(key))")
            }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    static func post(_ alerts: [[String: Any]], port: Int) async throws {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)/api/v2/alerts")!)
        request.httpMethod = "POST"
        request.httpBody = try JSONSerialization.data(withJSONObject: alerts)
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        let (_, response) = try await URLSession.shared.data(for: request)
        #expect((response as? HTTPURLResponse)?.statusCode == 200)
    }

    @Test func requestsMatchAlertmanager() async throws {
        let receiver = PayloadReceiver()
        for path in ["/tg/bottok/sendMessage", "/tg2/bottok2/sendMessage"] { receiver.answer(path: path, 200, Self.telegramOK) }
        for path in ["/sns/", "/sns2/", "/sns3/"] { receiver.answer(path: path, 200, Self.snsOK) }
        receiver.answer(path: "/wc/gettoken", 200, #"{"access_token":"wc-token-1","expires_in":7200}"#)
        receiver.answer(path: "/wc2/gettoken", 200, #"{"access_token":"wc-token-2","expires_in":7200}"#)
        for path in ["/wc/message/send", "/wc2/message/send"] { receiver.answer(path: path, 200, #"{"errcode":0,"errmsg":"ok"}"#) }
        try await receiver.run { url in
            let directory = try TemporaryDirectory(prefix: "pharos-kinds-diff")
            defer { directory.remove() }
            let file = directory.path + "/alertmanager.yml"
            let yaml = Self.config(url)
            try yaml.write(toFile: file, atomically: true, encoding: .utf8)
            let port = try Peers.freePort()
            let peer = try PeerProcess(Peers.alertmanager, [
                "--config.file=\(file)", "--storage.path=\(directory.path)/data",
                "--web.listen-address=127.0.0.1:\(port)", "--cluster.listen-address=",
                "--web.external-url=\(Self.externalURL)",
            ], logPath: directory.path + "/alertmanager.log")
            defer { peer.stop() }
            try await peer.waitForLog(containing: "Listening")

            let groupKey = #"{}:{alertname="HighLatency"}"#
            let alias = SHA256.hex(groupKey)
            let config = try AlertmanagerConfig.parse(yaml, file: file)
            let made = try NotifierFactory.make(for: config.receivers[0], templates: NotificationTemplates())
            #expect(made.unsupported.isEmpty)
            #expect(made.notifiers.map(\.integration) == ["opsgenie", "opsgenie", "wechat", "wechat", "victorops", "victorops",
                                                          "sns", "sns", "sns", "telegram", "telegram", "discord", "discord", "webex"])
            let startsAt = Date(timeIntervalSince1970: 1_700_000_000)

            // Firing.
            let posted = Self.alerts.map { labels -> [String: Any] in
                ["labels": labels, "annotations": Self.annotations(labels), "startsAt": "2023-11-14T22:13:20Z",
                 "generatorURL": "http://prom/graph?g0.expr=up"]
            }
            try await Self.post(posted, port: port)
            let theirs = try await Self.collect(receiver, from: 0, keys: Self.firingKeys(alias: alias))
            let now = Date()
            let firing = Self.alerts.map { labels in
                AlertmanagerAlert(labels: Labels(labels), annotations: Labels(Self.annotations(labels)), startsAt: startsAt,
                                  endsAt: now.addingTimeInterval(300), generatorURL: "http://prom/graph?g0.expr=up",
                                  updatedAt: now, timeout: true)
            }
            let context = NotificationContext(receiver: "team-X.pager", groupKey: groupKey,
                                              groupLabels: Labels(["alertname": "HighLatency"]), externalURL: Self.externalURL, now: now)
            var before = receiver.received.count
            for notifier in made.notifiers { try await notifier.notify(firing, context: context) }
            let mine = Array(receiver.received.dropFirst(before))
            #expect(Set(mine.map(Self.key)) == Set(Self.firingKeys(alias: alias)))
            for got in mine { try Self.compare(got, try #require(theirs[Self.key(got)], "\(Self.key(got)) not sent by Alertmanager")) }
            // The rich config reached Alertmanager's payloads (not an empty match).
            #expect(theirs["POST /og/v2/alerts"]?.json["tags"] as? [String] == ["a", "api", " b"])
            #expect(theirs["POST /sns/"]?.text.contains("MessageAttributes.entry.1.Name=severity") == true)

            // Resolved: WeChat does not send resolved notifications by default.
            before = receiver.received.count
            let endsAt = Date()
            try await Self.post(posted.map { alert in
                var copy = alert
                copy["endsAt"] = ISO8601DateFormatter().string(from: endsAt)
                return copy
            }, port: port)
            let theirsResolved = try await Self.collect(receiver, from: before, keys: Self.resolvedKeys(alias: alias))
            try await Task.sleep(for: .seconds(3))
            let late = receiver.received.dropFirst(before).filter { $0.path.hasPrefix("/wc") }
            #expect(late.isEmpty, "Alertmanager sent resolved WeChat messages: \(late.map(\.path))")
            let resolvedNow = Date()
            let resolved = firing.map { alert in
                var copy = alert
                copy.endsAt = endsAt
                return copy
            }
            let resolvedContext = NotificationContext(receiver: "team-X.pager", groupKey: groupKey,
                                                      groupLabels: Labels(["alertname": "HighLatency"]),
                                                      externalURL: Self.externalURL, now: resolvedNow)
            before = receiver.received.count
            for notifier in made.notifiers where notifier.sendResolved { try await notifier.notify(resolved, context: resolvedContext) }
            let mineResolved = Array(receiver.received.dropFirst(before))
            #expect(Set(mineResolved.map(Self.key)) == Set(Self.resolvedKeys(alias: alias)))
            for got in mineResolved {
                try Self.compare(got, try #require(theirsResolved[Self.key(got)], "\(Self.key(got)) not sent by Alertmanager"))
            }
        }
    }

    /// Method, path, query, content type, the credentials headers and the body byte for byte;
    /// SNS' signature is checked by recomputing Alertmanager's with Pharos' signer.
    static func compare(_ got: PayloadReceiver.Received, _ expected: PayloadReceiver.Received) throws {
        let key = Self.key(got)
        #expect(got.query == expected.query || key.hasSuffix("/message/send"), "\(key): query \(got.query) vs \(expected.query)")
        #expect(got.contentType == expected.contentType, "\(key): content type")
        if key.hasPrefix("POST /sns") {
            try checkSignature(expected, key: key)
            try checkSignature(got, key: key)
            let scope = { (r: PayloadReceiver.Received) in
                (r.header("authorization") ?? "").replacingOccurrences(of: #"Signature=[0-9a-f]+"#, with: "", options: .regularExpression)
                    .replacingOccurrences(of: #"/\d{8}/"#, with: "/DATE/", options: .regularExpression)
            }
            #expect(scope(got) == scope(expected), "\(key): authorization")
        } else {
            #expect(got.header("authorization") == expected.header("authorization"), "\(key): authorization")
        }
        if key.hasSuffix("/message/send") {
            #expect(got.query.hasPrefix("access_token=wc-token-"), "\(key): \(got.query)")
            #expect(got.query == expected.query, "\(key): the token from gettoken")
        }
        #expect(got.text == expected.text, "\(key):\nPharos       \(got.text)\nAlertmanager \(expected.text)")
    }

    /// The request's `Authorization` is the one Pharos' SigV4 signer computes for it.
    static func checkSignature(_ request: PayloadReceiver.Received, key: String) throws {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        let date = try #require(request.header("x-amz-date").flatMap(formatter.date(from:)), "\(key): no X-Amz-Date")
        let host = try #require(request.header("host"))
        let url = try #require(GoURL("http://\(host)\(request.path)"))
        let region = key.hasPrefix("POST /sns2") ? "eu-west-1" : "us-east-1"
        let signer = SigV4Signer(accessKey: "AKIDEXAMPLE", secretKey: "SECRETEXAMPLE", region: region, service: "sns")
        let signed = signer.sign(method: "POST", url: url, headers: [
            ("Content-Length", request.header("content-length") ?? ""), ("Content-Type", request.contentType ?? ""),
        ], body: Array(request.body), at: date)
        #expect(signed.last?.value == request.header("authorization"), "\(key): signature")
    }
}
