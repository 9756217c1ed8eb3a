import Foundation
import PharosCore
import PromQLParser
import Templating

/// Expands the Go text/template dialect of alert labels and annotations (`{{ $labels.x }}`,
/// `{{ $value }}`, `{{ $externalLabels }}`, `{{ $externalURL }}` and Prometheus' functions).
///
/// Implementations are thread-safe and never throw: an expansion error is returned as the
/// text `<error expanding template: …>`, as Prometheus writes it into the label or annotation.
package protocol AlertTemplateExpander: Sendable {
    /// `template` expanded for one alert of `ruleName` (`__alert_<name>` is the template name).
    /// `labels` are the alert's labels before the rule's own are applied; `value` the sample's
    /// value; `evaluationTime` the evaluation's timestamp (ms), for `query` and friends.
    func expand(template: String, ruleName: String, labels: Labels, value: Double, externalLabels: Labels,
                externalURL: String, evaluationTime: Timestamp) async -> String

    /// Why `template` does not parse (rulefmt's `testTemplateParsing`): Go's message,
    /// `template: __alert_NAME:1: …`; nil when it parses.
    func parseError(in template: String, ruleName: String) -> String?
}

/// Prometheus' expander on the Templating module: `query` runs through `querying` at the
/// evaluation time (absent: `query` fails, as when only checking files).
package struct GoAlertTemplates: AlertTemplateExpander {
    package var querying: (any InstantQuerying)?

    package init(querying: (any InstantQuerying)? = nil) { self.querying = querying }

    package func expand(template: String, ruleName: String, labels: Labels, value: Double, externalLabels: Labels,
                        externalURL: String, evaluationTime: Timestamp) async -> String {
        // Most labels and annotations are plain text; Go would return them unchanged.
        guard template.contains("{{") else { return template }
        let context = PrometheusTemplateContext(query: queryFunction(at: evaluationTime),
                                                externalURL: URL(string: externalURL), timestamp: evaluationTime)
        return await PrometheusExpander.expandAlertField(template, ruleName: ruleName, labels: labels,
                                                         externalLabels: externalLabels, externalURL: externalURL,
                                                         value: value, context: context).text
    }

    package func parseError(in template: String, ruleName: String) -> String? {
        PrometheusExpander.checkAlertField(template, ruleName: ruleName)?.message
    }

    private func queryFunction(at time: Timestamp) -> PrometheusTemplateContext.QueryFunction? {
        guard let querying else { return nil }
        return { text in
            let expr: Expr
            do {
                expr = try parseExpr(text)
            } catch {
                throw TemplateError.function("\(error)")
            }
            return try await querying.query(expr, source: text, at: time).map {
                QueryResultSample(labels: $0.labels, value: $0.value, timestamp: time)
            }
        }
    }
}
