import Foundation
import PharosCore
import PharosHTTPClient
import Templating

/// `sns_configs`, as Alertmanager 0.25's `notify/sns` (aws-sdk-go v1): one SigV4-signed
/// `Publish` call of SNS' Query API — `POST {api_url or https://sns.<region>.amazonaws.com}/`
/// with a form body (`Action=Publish`, `TopicArn`/`PhoneNumber`/`TargetArn`, `Message` at most
/// 256 KiB, 1600 bytes for SMS, `MessageAttributes.entry.N.…` plus `truncated` when cut,
/// `Subject`, FIFO topics' deduplication and group ids = SHA-256 of the group key,
/// `Version=2010-03-31`).
///
/// Credentials: `sigv4.access_key`/`secret_key`, else `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY`
/// (and `AWS_SESSION_TOKEN`) from `NotifierOptions.environment`; the region from `sigv4.region`,
/// else `AWS_REGION`. Shared profiles and assumed roles are not supported: such a config fails
/// permanently with a message saying so.
///
/// Retries: 5xx and network failures, and a missing region or credentials (as Alertmanager,
/// which retries every client error); other AWS error answers are permanent. Alertmanager's
/// SDK also retries throttling inside one attempt; Pharos leaves retries to the pipeline.
package struct SNSNotifier: Notifier {
    package let config: SNSConfig
    let templates: NotificationTemplates
    let poster: JSONPoster
    let retrier = HTTPRetrier(retryCodes: [], details: SNSNotifier.errorMessage)

    package var integration: String { "sns" }
    package var sendResolved: Bool { config.sendResolved }

    static let maxMessageBytes = 256 * 1024
    static let maxSMSBytes = 1600

    package init(config: SNSConfig, templates: NotificationTemplates, options: NotifierOptions = NotifierOptions()) throws(NotifyError) {
        self.config = config
        self.templates = templates
        poster = try JSONPoster.make(config.httpConfig, options: options, integration: "sns")
    }

    package func notify(_ alerts: [AlertmanagerAlert], context: NotificationContext) async throws(NotifyError) {
        let signer = try self.signer()
        let data = AlertmanagerData(alerts, context: context)
        var endpoint = try await templates.text(config.apiURL, data, field: "sns_configs.api_url")
        if endpoint.isEmpty { endpoint = "https://sns.\(signer.region).amazonaws.com" + (signer.region.hasPrefix("cn-") ? ".cn" : "") }
        if !endpoint.contains("://") { endpoint = "https://" + endpoint }
        guard let url = GoURL(endpoint + "/") else { throw NotifyError(retryable: false, "sns: invalid endpoint uri \(goQuote(endpoint))") }
        let body = Array(GoURL.formEncode(try await parameters(data, context: context)).utf8)
        let contentType = "application/x-www-form-urlencoded; charset=utf-8"
        let signed = signer.sign(method: "POST", url: url, headers: [("Content-Length", String(body.count)), ("Content-Type", contentType)],
                                 body: body, at: context.now)
        let response = try await poster.send("POST", url.string, body: body, contentType: contentType, headers: signed)
        if let error = retrier.check(response) { throw error }
    }

    /// The signer from the config's keys or the environment's; throws for what Pharos cannot sign with.
    func signer() throws(NotifyError) -> SigV4Signer {
        let environment = poster.options.environment
        let sigv4 = config.sigv4
        if !sigv4.roleARN.isEmpty {
            throw NotifyError(retryable: false, "sns: sigv4.role_arn is not supported by Pharos (no STS role assumption); configure sigv4.access_key and sigv4.secret_key")
        }
        var accessKey = sigv4.accessKey, secretKey = sigv4.secretKey, sessionToken = ""
        if accessKey.isEmpty || secretKey.isEmpty {
            if !sigv4.profile.isEmpty {
                throw NotifyError(retryable: false, "sns: sigv4.profile is not supported by Pharos (no shared AWS config files); configure sigv4.access_key and sigv4.secret_key")
            }
            accessKey = environment["AWS_ACCESS_KEY_ID"] ?? environment["AWS_ACCESS_KEY"] ?? ""
            secretKey = environment["AWS_SECRET_ACCESS_KEY"] ?? environment["AWS_SECRET_KEY"] ?? ""
            sessionToken = environment["AWS_SESSION_TOKEN"] ?? ""
        }
        let region = sigv4.region.isEmpty ? environment["AWS_REGION"] ?? "" : sigv4.region
        if region.isEmpty {
            throw NotifyError(retryable: true, "region not configured in sns.sigv4.region or in default credentials chain")
        }
        if accessKey.isEmpty || secretKey.isEmpty {
            throw NotifyError(retryable: true, "sns: no AWS credentials: set sigv4.access_key and sigv4.secret_key, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (instance roles and shared credentials files are not supported)")
        }
        return SigV4Signer(accessKey: accessKey, secretKey: secretKey, sessionToken: sessionToken, region: region, service: "sns")
    }

    /// The `Publish` parameters (the form encoding sorts them).
    func parameters(_ data: AlertmanagerData, context: NotificationContext) async throws(NotifyError) -> [(String, String)] {
        func t(_ text: String, _ field: String) async throws(NotifyError) -> String {
            try await templates.text(text, data, field: "sns_configs.\(field)")
        }
        var out: [(String, String)] = [("Action", "Publish"), ("Version", "2010-03-31")]
        var limit = Self.maxMessageBytes
        if !config.topicARN.isEmpty {
            let topic = try await t(config.topicARN, "topic_arn")
            out.append(("TopicArn", topic))
            if topic.hasSuffix(".fifo") {
                let key = SHA256.hex(context.groupKey)
                out += [("MessageDeduplicationId", key), ("MessageGroupId", key)]
            }
        }
        if !config.phoneNumber.isEmpty {
            out.append(("PhoneNumber", try await t(config.phoneNumber, "phone_number")))
            limit = Self.maxSMSBytes
        }
        if !config.targetARN.isEmpty { out.append(("TargetArn", try await t(config.targetARN, "target_arn"))) }
        var attributes: [String: String] = [:]
        for (name, value) in config.attributes {
            attributes[try await t(name, "attributes")] = try await t(value, "attributes.\(name)")
        }
        let (message, truncated) = Self.truncate(try await t(config.message, "message"), bytes: limit)
        if truncated { attributes["truncated"] = "true" }
        out.append(("Message", message))
        if attributes.isEmpty {
            out.append(("MessageAttributes", ""))
        }
        for (index, name) in attributes.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }).enumerated() {
            let prefix = "MessageAttributes.entry.\(index + 1)."
            out += [(prefix + "Name", name), (prefix + "Value.DataType", "String"), (prefix + "Value.StringValue", attributes[name]!)]
        }
        if !config.subject.isEmpty { out.append(("Subject", try await t(config.subject, "subject"))) }
        return out
    }

    /// At most `bytes` UTF-8 bytes. Alertmanager cuts at the byte even inside a character;
    /// Pharos cuts before the character that does not fit, so the message stays valid UTF-8.
    static func truncate(_ message: String, bytes: Int) -> (String, Bool) {
        if message.utf8.count <= bytes { return (message, false) }
        var kept = String.UnicodeScalarView()
        var size = 0
        for scalar in message.unicodeScalars {
            let width = String(scalar).utf8.count
            if size + width > bytes { break }
            kept.append(scalar)
            size += width
        }
        return (String(kept), true)
    }

    /// The `<Message>` of an AWS error answer (the SDK's `awserr` message), else the body.
    @Sendable static func errorMessage(_ status: Int, _ body: [UInt8]) -> String {
        let text = String(decoding: body, as: UTF8.self)
        guard let start = text.range(of: "<Message>"), let end = text.range(of: "</Message>", range: start.upperBound..<text.endIndex) else {
            return text
        }
        return String(text[start.upperBound..<end.lowerBound])
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&apos;", with: "'")
            .replacingOccurrences(of: "&amp;", with: "&")
    }
}
