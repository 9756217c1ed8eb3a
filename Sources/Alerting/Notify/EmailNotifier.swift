import Foundation
import NIOSSL
import PharosConfig
import PharosCore
import PharosHTTPClient
import Templating

/// `email_configs`, as Alertmanager 0.25's `notify/email`, over Pharos' own SMTP client:
/// connect to `smarthost` (TLS from the start on port 465), EHLO `hello`, STARTTLS when
/// `require_tls` (failing when the server does not offer it), AUTH PLAIN or LOGIN in the
/// server's order when `auth_username` is set, MAIL FROM, RCPT TO for each address of `to`,
/// then one multipart/alternative message: the headers (`Subject`, `To`, `From` and the
/// configured ones, templated and Q-encoded), `Message-Id`, `Date`, a text part when `text`
/// is set and the HTML part, both quoted-printable.
///
/// Errors name the step and the server's reply (`send RCPT command: 550 5.1.1 unknown user`);
/// connection and SMTP failures are retryable, template and address errors are not, as
/// Alertmanager decides. CRAM-MD5 is not implemented: it is skipped like a mechanism without
/// credentials.
package struct EmailNotifier: Notifier {
    package let config: EmailConfig
    let templates: NotificationTemplates
    let options: NotifierOptions
    /// The configured headers plus Alertmanager's defaults for Subject, To and From.
    let headers: [String: String]

    package var integration: String { "email" }
    package var sendResolved: Bool { config.sendResolved }

    package init(config: EmailConfig, templates: NotificationTemplates, options: NotifierOptions = NotifierOptions()) {
        self.config = config
        self.templates = templates
        self.options = options
        var headers = config.headers
        if headers["Subject"] == nil { headers["Subject"] = EmailConfig.defaultSubject }
        if headers["To"] == nil { headers["To"] = config.to }
        if headers["From"] == nil { headers["From"] = config.from }
        self.headers = headers
    }

    package func notify(_ alerts: [AlertmanagerAlert], context: NotificationContext) async throws(NotifyError) {
        let timeout = options.timeout
        let result: Result<Void, NotifyError>? = try? await withDeadline(timeout) { () async -> Result<Void, NotifyError> in
            do throws(NotifyError) {
                try await self.send(alerts, context: context)
                return .success(())
            } catch {
                return .failure(error)
            }
        }
        switch result {
        case .success?: return
        case .failure(let error)?: throw error
        case nil: throw NotifyError(retryable: true, "email to \(config.smarthost): context deadline exceeded")
        }
    }

    /// The host and port of `smarthost`, `[::1]:25` included.
    var hostPort: (host: String, port: Int) {
        let s = config.smarthost
        guard let colon = s.lastIndex(of: ":") else { return (s, 25) }
        var host = String(s[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return (host, Int(s[s.index(after: colon)...]) ?? 25)
    }

    func send(_ alerts: [AlertmanagerAlert], context: NotificationContext) async throws(NotifyError) {
        let (host, port) = hostPort
        let tls: TLSConfiguration
        do {
            var settings = try TLSSettings(config.tlsConfig).configuration
            settings.applicationProtocols = []
            tls = settings
        } catch {
            throw NotifyError(retryable: false, "parse TLS configuration: \(error)")
        }
        @discardableResult
        func step<T>(_ what: String, _ body: () async throws -> T) async throws(NotifyError) -> T {
            do { return try await body() } catch { throw NotifyError(retryable: true, "\(what): \(error)") }
        }
        // tls_config.server_name, else the smarthost's host (Alertmanager's ServerName).
        let serverName = config.tlsConfig.serverName.flatMap { $0.isEmpty ? nil : $0 } ?? host
        let implicitTLS = port == 465
        let session = try await step(implicitTLS ? "establish TLS connection to server" : "establish connection to server") {
            try await SMTPSession.connect(host: host, port: port, serverName: serverName, implicitTLS: implicitTLS,
                                      tls: tls, timeout: options.timeout)
        }
        do {
            try await converse(session, alerts, context: context, host: host, tls: tls)
        } catch {
            await session.close()
            throw error
        }
        await session.quit()
    }

    /// Everything after the greeting, up to the accepted DATA.
    func converse(_ session: SMTPSession, _ alerts: [AlertmanagerAlert], context: NotificationContext,
                  host: String, tls: TLSConfiguration) async throws(NotifyError) {
        @discardableResult
        func step<T>(_ what: String, _ body: () async throws -> T) async throws(NotifyError) -> T {
            do { return try await body() } catch { throw NotifyError(retryable: true, "\(what): \(error)") }
        }
        try await step("send EHLO command") { try await session.hello(config.hello.isEmpty ? "localhost" : config.hello) }
        if config.requireTLS, !session.isTLS {
            guard session.extensions["STARTTLS"] != nil else {
                throw NotifyError(retryable: true, "'require_tls' is true (default) but \(goQuote(config.smarthost)) does not advertise the STARTTLS extension")
            }
            try await step("send STARTTLS command") { try await session.startTLS(tls, hello: config.hello.isEmpty ? "localhost" : config.hello) }
        }
        if let mechanisms = session.extensions["AUTH"], !config.authUsername.isEmpty {
            let mechanism = try chooseAuth(mechanisms, session: session, host: host)
            let password = try self.password()
            try await step("\(mechanism) auth") {
                try await session.auth(mechanism: mechanism, identity: config.authIdentity,
                                       username: config.authUsername, password: password)
            }
        }
        let data = AlertmanagerData(alerts, context: context)
        let from = try await templates.text(config.from, data, field: "email_configs.from")
        let to = try await templates.text(config.to, data, field: "email_configs.to")
        guard let fromAddresses = MIMEEncoding.addresses(from) else {
            throw NotifyError(retryable: false, "parse 'from' addresses: mail: invalid address list \(goQuote(from))")
        }
        guard fromAddresses.count == 1 else {
            throw NotifyError(retryable: false, "must be exactly one 'from' address (got: \(fromAddresses.count))")
        }
        guard let toAddresses = MIMEEncoding.addresses(to) else {
            throw NotifyError(retryable: false, "parse 'to' addresses: mail: invalid address list \(goQuote(to))")
        }
        let mailFrom = "MAIL FROM:<\(fromAddresses[0])>" + (session.extensions["8BITMIME"] != nil ? " BODY=8BITMIME" : "")
        try await step("send MAIL command") { try await session.command(mailFrom, expect: [250]) }
        for address in toAddresses {
            try await step("send RCPT command") { try await session.command("RCPT TO:<\(address)>", expect: [250, 251]) }
        }
        let message = try await self.message(data, now: context.now)
        try await step("send DATA command") { try await session.data(message) }
    }

    /// The first of the server's mechanisms Pharos can use with the configured credentials;
    /// Alertmanager's `auth` (PLAIN needs TLS or a local server, as Go's `smtp.PlainAuth`).
    func chooseAuth(_ mechanisms: String, session: SMTPSession, host: String) throws(NotifyError) -> String {
        var problems: [String] = []
        for mechanism in mechanisms.split(separator: " ").map(String.init) {
            switch mechanism {
            case "CRAM-MD5":
                problems.append(config.authSecret.isEmpty ? "missing secret for CRAM-MD5 auth mechanism"
                                                          : "CRAM-MD5 auth mechanism is not supported by Pharos")
            case "PLAIN", "LOGIN":
                let password = (try? self.password()) ?? ""
                if password.isEmpty {
                    problems.append("missing password for \(mechanism) auth mechanism")
                    continue
                }
                if mechanism == "PLAIN", !session.isTLS, !["localhost", "127.0.0.1", "::1"].contains(host) {
                    problems.append("unencrypted connection")
                    continue
                }
                return mechanism
            default:
                continue
            }
        }
        if problems.isEmpty { problems.append("unknown auth mechanism: \(mechanisms)") }
        throw NotifyError(retryable: true, "find auth mechanism: \(problems.joined(separator: "; "))")
    }

    /// `auth_password`, or the whole of `auth_password_file` (not trimmed, as Alertmanager 0.25).
    func password() throws(NotifyError) -> String {
        if !config.authPasswordFile.isEmpty {
            guard let data = FileManager.default.contents(atPath: config.authPasswordFile) else {
                throw NotifyError(retryable: true, "could not read \(config.authPasswordFile)")
            }
            return String(decoding: data, as: UTF8.self)
        }
        return config.authPassword
    }
}
