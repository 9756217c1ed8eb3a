import Foundation
import PharosCore
import Templating

/// The templates notifications render with: Pharos' defaults (`DefaultTemplates`), then the
/// files named by the config's `templates:` globs, later definitions replacing earlier ones,
/// as Alertmanager's `template.FromGlobs`. A value; `Sendable`; parse once per config load.
package struct NotificationTemplates: Sendable {
    package private(set) var template: AlertmanagerTemplate

    /// The defaults only.
    package init(context: AlertmanagerTemplateContext = AlertmanagerTemplateContext()) {
        template = AlertmanagerTemplate(context: context)
        for (name, text) in DefaultTemplates.all {
            do { try template.parse(text, name: name) } catch { preconditionFailure("default template \(name): \(error)") }
        }
    }

    /// The defaults and then every file matching `globs` (relative ones against `baseDirectory`).
    /// - Throws: `NotifyError` (not retryable) naming the file that cannot be read or parsed.
    package init(globs: [String], baseDirectory: String = "",
                 context: AlertmanagerTemplateContext = AlertmanagerTemplateContext()) throws(NotifyError) {
        self.init(context: context)
        for pattern in globs {
            let full = pattern.hasPrefix("/") || baseDirectory.isEmpty ? pattern : baseDirectory + "/" + pattern
            for path in Self.expand(full) {
                guard let data = FileManager.default.contents(atPath: path) else {
                    throw NotifyError(retryable: false, "cannot read template file \(goQuote(path))")
                }
                try parse(String(decoding: data, as: UTF8.self), name: (path as NSString).lastPathComponent)
            }
        }
    }

    /// Adds one template file's text (`{{ define }}` blocks replace the defaults).
    package mutating func parse(_ text: String, name: String) throws(NotifyError) {
        do { try template.parse(text, name: name) } catch {
            throw NotifyError(retryable: false, "cannot parse template \(goQuote(name)): \(error)")
        }
    }

    /// Sorted matches of a shell glob (Go's `filepath.Glob`); none is not an error.
    static func expand(_ pattern: String) -> [String] {
        var result = glob_t()
        defer { globfree(&result) }
        guard glob(pattern, 0, nil, &result) == 0 else { return [] }
        return (0..<Int(result.gl_pathc)).compactMap { result.gl_pathv[$0].map { String(cString: $0) } }.sorted()
    }

    /// `ExecuteTextString` with the error a notifier reports (not retryable).
    func text(_ text: String, _ data: AlertmanagerData, field: String) async throws(NotifyError) -> String {
        do { return try await template.executeText(text, data: data) } catch {
            throw NotifyError(retryable: false, "cannot render \(field): \(error)")
        }
    }

    /// `ExecuteHTMLString` with the error a notifier reports (not retryable).
    func html(_ text: String, _ data: AlertmanagerData, field: String) async throws(NotifyError) -> String {
        do { return try await template.executeHTML(text, data: data) } catch {
            throw NotifyError(retryable: false, "cannot render \(field): \(error)")
        }
    }
}

extension AlertmanagerData {
    /// The data Alertmanager's `Template.Data` builds for one notification: statuses at
    /// `context.now`, fingerprints as Alertmanager's, the receiver and group labels from the context.
    package init(_ alerts: [AlertmanagerAlert], context: NotificationContext) {
        let converted = alerts.map { alert in
            Alert(status: alert.isResolved(at: context.now) ? "resolved" : "firing",
                  labels: Self.dictionary(alert.labels), annotations: Self.dictionary(alert.annotations),
                  startsAt: TemplateTime(alert.startsAt), endsAt: TemplateTime(alert.endsAt),
                  generatorURL: alert.generatorURL, fingerprint: alertFingerprint(alert.labels))
        }
        self.init(receiver: context.receiver, groupLabels: Self.dictionary(context.groupLabels), alerts: converted,
                  externalURL: context.externalURL)
    }

    static func dictionary(_ labels: Labels) -> [String: String] {
        var d: [String: String] = [:]
        for label in labels { d[label.name] = label.value }
        return d
    }
}

/// Prometheus' `model.LabelSet.Fingerprint` as 16 hex digits: FNV-1a 64 over the names and
/// values in name order, each followed by the byte 0xff.
package func alertFingerprint(_ labels: Labels) -> String {
    var hash: UInt64 = 14_695_981_039_346_656_037
    func add(_ byte: UInt8) {
        hash ^= UInt64(byte)
        hash = hash &* 1_099_511_628_211
    }
    for label in labels.sorted(by: { $0.name < $1.name }) {
        for b in label.name.utf8 { add(b) }
        add(0xff)
        for b in label.value.utf8 { add(b) }
        add(0xff)
    }
    let hex = String(hash, radix: 16)
    return String(repeating: "0", count: 16 - hex.count) + hex
}
