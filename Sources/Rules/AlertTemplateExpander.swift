import PharosCore

/// Expands the Go text/template dialect of alert labels and annotations (`{{ $labels.x }}`,
/// `{{ $value }}`, `{{ $externalLabels }}`, `{{ $externalURL }}` and Prometheus' functions).
///
/// The seam between Rules and the template engine: the server and the CLI pass an
/// implementation backed by the Templating module; until then `PlainTextTemplates` is the only
/// one. Implementations are thread-safe and never throw: an expansion error is returned as the
/// text `<error expanding template: …>`, as Prometheus writes it into the label or annotation.
package protocol AlertTemplateExpander: Sendable {
    /// `template` expanded for one alert of `ruleName` (`__alert_<name>` is the template name).
    /// `labels` are the alert's labels before the rule's own are applied; `value` the sample's
    /// value; `evaluationTime` the evaluation's timestamp (ms), for `query` and friends.
    func expand(template: String, ruleName: String, labels: Labels, value: Double, externalLabels: Labels,
                externalURL: String, evaluationTime: Timestamp) -> String

    /// Why `template` does not parse (rulefmt's `testTemplateParsing`), Prometheus' text after
    /// `template: `; nil when it parses or the implementation cannot tell.
    func parseError(in template: String, ruleName: String) -> String?
}

/// The expander used until the Templating module is wired in: text without `{{` is returned
/// unchanged (the common case: static severities, runbook URLs); any other text expands to
/// `<error expanding template: templating not available>`. Parse checks pass.
package struct PlainTextTemplates: AlertTemplateExpander {
    package init() {}

    package func expand(template: String, ruleName: String, labels: Labels, value: Double, externalLabels: Labels,
                        externalURL: String, evaluationTime: Timestamp) -> String {
        guard template.contains("{{") else { return template }
        return "<error expanding template: templating not available>"
    }

    package func parseError(in template: String, ruleName: String) -> String? { nil }
}
