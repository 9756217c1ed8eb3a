import Foundation
import HTTPTestSupport
import PharosCore
import PharosTestSupport
import Templating
import Testing
@testable import Alerting

/// The e-mail notifier against Debian's aiosmtpd (scripts/testapps/smtp_sink.py): STARTTLS with
/// a throw-away CA, AUTH PLAIN/LOGIN, and the message Alertmanager would send.
@Suite(.timeLimit(.minutes(2)))
struct EmailNotifierTests {
    static let now = Date(timeIntervalSince1970: 1_700_001_000)
    static let context = NotificationContext(
        receiver: "mail", groupKey: #"{}:{alertname="HighLatency"}"#,
        groupLabels: Labels(["alertname": "HighLatency"]), externalURL: "http://am.example:9093", now: now)
    static let alerts = ["a:9100", "b:9100"].map { instance in
        AlertmanagerAlert(labels: Labels(["alertname": "HighLatency", "instance": instance, "severity": "critical"]),
                          annotations: Labels(["summary": "Latency is high – \(instance)"]),
                          startsAt: Date(timeIntervalSince1970: 1_700_000_000), endsAt: Date(timeIntervalSince1970: 1_700_002_000),
                          generatorURL: "http://prom/g?x=1&y=2", updatedAt: Date(timeIntervalSince1970: 1_700_000_000))
    }

    /// A running sink; its messages land in `folder`.
    struct Sink {
        let peer: PeerProcess
        let port: Int
        let folder: String

        init(_ directory: String, _ extra: [String]) async throws {
            folder = directory + "/mail"
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            port = try Peers.freePort()
            let script = Peers.repositoryRoot.appendingPathComponent("scripts/testapps/smtp_sink.py").path
            peer = try PeerProcess("/usr/bin/python3", [script, "\(port)", folder] + extra, logPath: directory + "/sink.log")
            try await peer.waitForLog(containing: "listening on")
        }

        func message(_ n: Int = 1) throws -> (raw: String, envelope: [String: Any]) {
            let raw = try String(contentsOfFile: "\(folder)/\(n).eml", encoding: .utf8)
            let data = try Data(contentsOf: URL(fileURLWithPath: "\(folder)/\(n).json"))
            return (raw, try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:])
        }
    }

    static func notifier(_ yaml: String) throws -> EmailNotifier {
        let config = try AlertmanagerConfig.parse(yaml, file: "alertmanager.yml").receivers[0].emailConfigs[0]
        var options = NotifierOptions()
        options.timeout = .seconds(20)
        options.hostname = "pharos.test"
        return EmailNotifier(config: config, templates: NotificationTemplates(), options: options)
    }

    /// `extra`: more keys of the email config, one per line (indentation is added here).
    static func yaml(port: Int, _ extra: String) -> String {
        let keys = extra.split(separator: "\n").map { "    " + $0.trimmingCharacters(in: .whitespaces) }.joined(separator: "\n")
        return """
        global:
          smtp_smarthost: 127.0.0.1:\(port)
          smtp_from: 'Pharos <pharos@example.org>'
        route: {receiver: mail}
        receivers:
        - name: mail
          email_configs:
          - to: 'oncall@example.org, Ops Team <ops@example.org>'
            headers: {x-team: db}
        \(keys)
        """
    }

    /// Headers (unfolded) and the decoded quoted-printable parts of a multipart/alternative message.
    static func parse(_ raw: String) -> (headers: [String: String], parts: [String: String]) {
        let text = raw.replacingOccurrences(of: "\r\n", with: "\n")
        let split = text.range(of: "\n\n")!
        var headers: [String: String] = [:]
        for line in text[..<split.lowerBound].split(separator: "\n") {
            let colon = line.firstIndex(of: ":")!
            headers[String(line[..<colon])] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let boundary = String(headers["Content-Type"]!.split(separator: "=").last!)
        var parts: [String: String] = [:]
        for chunk in text[split.upperBound...].components(separatedBy: "--\(boundary)").dropFirst() {
            guard let end = chunk.range(of: "\n\n") else { continue }
            let head = chunk[..<end.lowerBound]
            guard let type = head.split(separator: "\n").first(where: { $0.hasPrefix("Content-Type: ") }) else { continue }
            var body = String(chunk[end.upperBound...])
            if body.hasSuffix("\n") { body.removeLast() }
            parts[String(type.dropFirst("Content-Type: ".count))] = decodeQP(body)
        }
        return (headers, parts)
    }

    static func decodeQP(_ s: String) -> String {
        var bytes: [UInt8] = []
        let b = Array(s.replacingOccurrences(of: "=\n", with: "").utf8)
        var i = 0
        while i < b.count {
            if b[i] == UInt8(ascii: "="), i + 2 < b.count, let v = UInt8(String(decoding: b[(i + 1)...(i + 2)], as: UTF8.self), radix: 16) {
                bytes.append(v)
                i += 3
            } else {
                bytes.append(b[i])
                i += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    @Test func starttlsAuthAndTheMessageAlertmanagerWouldSend() async throws {
        let directory = try TemporaryDirectory(prefix: "pharos-smtp")
        defer { directory.remove() }
        let certificates = try TestCertificates(folder: directory.path)
        let sink = try await Sink(directory.path, ["--tls", certificates.certFile, certificates.keyFile,
                                                   "--auth", "alice:s3cret", "--require-tls"])
        defer { sink.peer.stop() }
        let notifier = try Self.notifier(Self.yaml(port: sink.port, """
                auth_username: alice
                auth_password: s3cret
                text: '{{ template "email.default.text" . }}'
                tls_config: {ca_file: \(certificates.caFile)}
        """))
        #expect(notifier.integration == "email")
        #expect(notifier.sendResolved == false)
        try await notifier.notify(Self.alerts, context: Self.context)
        let (raw, envelope) = try sink.message()
        #expect(envelope["mail_from"] as? String == "pharos@example.org")
        #expect(envelope["rcpt_tos"] as? [String] == ["oncall@example.org", "ops@example.org"])
        #expect(envelope["login"] as? String == "alice")
        #expect(envelope["tls"] as? Bool == true)
        #expect(envelope["host_name"] as? String == "localhost")

        let (headers, parts) = Self.parse(raw)
        // The subject Alertmanager's own template renders for this group.
        var alertmanager = AlertmanagerTemplate()
        for file in ["default.tmpl", "email.tmpl"] {
            try alertmanager.parse(try String(contentsOfFile: Conformance.path("alertmanager/templates/\(file)"), encoding: .utf8), name: file)
        }
        let data = AlertmanagerData(Self.alerts, context: Self.context)
        let subject = try await alertmanager.executeText(#"{{ template "email.default.subject" . }}"#, data: data)
        #expect(subject == "[FIRING:2] HighLatency (critical)")
        #expect(headers["Subject"] == subject)
        #expect(headers["To"] == "oncall@example.org, Ops Team <ops@example.org>")
        #expect(headers["From"] == "Pharos <pharos@example.org>")
        #expect(headers["X-Team"] == "db")
        #expect(headers["MIME-Version"] == "1.0")
        #expect(headers["Date"] == "Tue, 14 Nov 2023 22:30:00 +0000")
        #expect(headers["Message-Id"]?.hasPrefix("<1700001000000000000.") == true)
        #expect(headers["Message-Id"]?.hasSuffix("@pharos.test>") == true)
        #expect(headers["Content-Type"]?.hasPrefix("multipart/alternative;  boundary=") == true)
        let templates = NotificationTemplates()
        let html = try await templates.template.executeHTML(#"{{ template "email.default.html" . }}"#, data: data)
        let text = try await templates.template.executeText(#"{{ template "email.default.text" . }}"#, data: data)
        #expect(parts["text/html; charset=UTF-8"] == html.replacingOccurrences(of: "\r\n", with: "\n"))
        #expect(parts["text/plain; charset=UTF-8"] == text)
        #expect(html.contains("Latency is high – a:9100"))
        #expect(text.contains(" - summary = Latency is high – b:9100\n"))
    }

    @Test func loginWithoutTLSAndErrorsThatNameTheReply() async throws {
        let directory = try TemporaryDirectory(prefix: "pharos-smtp")
        defer { directory.remove() }
        let sink = try await Sink(directory.path, ["--auth", "bob:pw"])
        defer { sink.peer.stop() }
        // require_tls against a server without STARTTLS: Alertmanager's message, retryable.
        let strict = try Self.notifier(Self.yaml(port: sink.port, "        auth_username: bob\n        auth_password: pw"))
        let noTLS = await #expect(throws: NotifyError.self) { try await strict.notify(Self.alerts, context: Self.context) }
        #expect(noTLS?.message == #"'require_tls' is true (default) but "127.0.0.1:\#(sink.port)" does not advertise the STARTTLS extension"#)
        #expect(noTLS?.retryable == true)
        // A wrong password: the server's reply is in the error.
        let wrong = try Self.notifier(Self.yaml(port: sink.port, "        require_tls: false\n        auth_username: bob\n        auth_password: nope"))
        let denied = await #expect(throws: NotifyError.self) { try await wrong.notify(Self.alerts, context: Self.context) }
        // aiosmtpd offers LOGIN first; Pharos takes the server's order, as Alertmanager.
        #expect(denied?.message.hasPrefix("LOGIN auth: 535 ") == true, "\(String(describing: denied))")
        #expect(denied?.retryable == true)
        // Plain connection to a local server with the right password; the HTML part only (Alertmanager's default).
        let good = try Self.notifier(Self.yaml(port: sink.port, "        require_tls: false\n        auth_username: bob\n        auth_password: pw"))
        try await good.notify(Self.alerts, context: Self.context)
        let (raw, envelope) = try sink.message()
        #expect(envelope["login"] as? String == "bob")
        #expect(envelope["tls"] as? Bool == false)
        let (_, parts) = Self.parse(raw)
        #expect(Array(parts.keys) == ["text/html; charset=UTF-8"])
    }

    @Test func aServerThatNeverGreetsTimesOutRetryably() async throws {
        let directory = try TemporaryDirectory(prefix: "pharos-smtp")
        defer { directory.remove() }
        let port = try Peers.freePort()
        let script = "import socket, time\ns = socket.socket()\ns.bind(('127.0.0.1', \(port)))\ns.listen()\nprint('listening on', flush=True)\ntime.sleep(120)\n"
        let peer = try PeerProcess("/usr/bin/python3", ["-c", script], logPath: directory.path + "/silent.log")
        defer { peer.stop() }
        try await peer.waitForLog(containing: "listening on")
        let config = try AlertmanagerConfig.parse(Self.yaml(port: port, "require_tls: false"), file: "alertmanager.yml")
            .receivers[0].emailConfigs[0]
        var options = NotifierOptions()
        options.timeout = .milliseconds(500)
        let notifier = EmailNotifier(config: config, templates: NotificationTemplates(), options: options)
        let started = ContinuousClock.now
        let error = await #expect(throws: NotifyError.self) { try await notifier.notify(Self.alerts, context: Self.context) }
        #expect(error?.retryable == true)
        #expect(error?.message == "email to 127.0.0.1:\(port): context deadline exceeded")
        // A hang guard, not a timing check: the 500 ms deadline must end the wait long before this.
        #expect(ContinuousClock.now - started < .seconds(20))
    }

    @Test func encodings() {
        #expect(MIMEEncoding.qEncodeHeader("plain ascii") == "plain ascii")
        #expect(MIMEEncoding.qEncodeHeader("Grüße") == "=?utf-8?q?Gr=C3=BC=C3=9Fe?=")
        #expect(MIMEEncoding.quotedPrintable("a=b \nc") == "a=3Db=20\r\nc")
        let long = String(repeating: "x", count: 100)
        #expect(MIMEEncoding.quotedPrintable(long) == String(repeating: "x", count: 75) + "=\r\n" + String(repeating: "x", count: 25))
        #expect(MIMEEncoding.addresses("a@x, Ops <b@y>, \"Doe, J\" <c@z>") == ["a@x", "b@y", "c@z"])
        #expect(MIMEEncoding.addresses("not an address") == nil)
    }
}
