import Foundation
import PharosCore

/// Prometheus' `template.Expander` and the alert-rule expansion in `rules/alerting.go`.
package enum PrometheusExpander {
    /// Prometheus' `AlertTemplateData`: `.Labels`, `.ExternalLabels`, `.ExternalURL`, `.Value`.
    package static func alertData(labels: Labels, externalLabels: Labels, externalURL: String, value: Double) -> TemplateValue {
        .map(TemplateMap([
            "Labels": .stringMap(dictionary(labels)),
            "ExternalLabels": .stringMap(dictionary(externalLabels)),
            "ExternalURL": .string(externalURL),
            "Value": .float(value),
        ], typeName: "struct { Labels map[string]string; ExternalLabels map[string]string; ExternalURL string; Value interface {} }", isStruct: true))
    }

    /// What Prometheus prepends to every alert label and annotation template.
    package static let alertDefinitions =
        "{{$labels := .Labels}}{{$externalLabels := .ExternalLabels}}{{$externalURL := .ExternalURL}}{{$value := .Value}}"

    /// `Expander.Expand`: parses and executes `text` as template `name` with `missingkey=zero`.
    /// Throws errors worded as Prometheus wraps them: `error parsing template NAME: template: …`
    /// or `error executing template NAME: template: …`.
    package static func expand(_ text: String, name: String, data: TemplateValue,
                               context: PrometheusTemplateContext) async throws(TemplateError) -> String {
        var set = TemplateSet(functions: PrometheusFunctions.functions(context), options: TemplateOptions(missingKey: .zero))
        do {
            try set.parse(text, name: name)
        } catch {
            throw TemplateError(.parse, "error parsing template \(name): \(error.message)")
        }
        do {
            return try await set.execute(name, data: data)
        } catch {
            throw TemplateError(.execution, "error executing template \(name): \(error.message)")
        }
    }

    /// Checks that `text` parses as Prometheus would (`ParseTest`, used by rule validation).
    package static func parseTest(_ text: String, name: String) throws(TemplateError) {
        var set = TemplateSet(functions: PrometheusFunctions.functions(PrometheusTemplateContext()),
                              options: TemplateOptions(missingKey: .zero))
        try set.parse(text, name: name)
    }

    /// Checks one label or annotation template of alerting rule `ruleName` as rule-file
    /// validation does (`rulefmt`'s `testTemplateParsing`): parsed with the `$labels`… variables
    /// defined, under the name `__alert_<rule>`. Returns the parse error (`template:
    /// __alert_R:1: function "x" not defined`), or nil; the caller prefixes `label "k": ` or
    /// `annotation "k": `.
    package static func checkAlertField(_ text: String, ruleName: String) -> TemplateError? {
        do {
            try parseTest(alertDefinitions + text, name: "__alert_" + ruleName)
            return nil
        } catch {
            return error
        }
    }

    /// Expands one label or annotation of alerting rule `ruleName` exactly as Prometheus does:
    /// with `$labels`, `$externalLabels`, `$externalURL` and `$value` defined, template name
    /// `__alert_<rule>`, and a failure turned into the text `<error expanding template: …>`
    /// (the error is also returned so the caller can log and count it).
    package static func expandAlertField(_ text: String, ruleName: String, labels: Labels, externalLabels: Labels,
                                         externalURL: String, value: Double,
                                         context: PrometheusTemplateContext) async -> (text: String, error: TemplateError?) {
        let data = alertData(labels: labels, externalLabels: externalLabels, externalURL: externalURL, value: value)
        do {
            let result = try await expand(alertDefinitions + text, name: "__alert_" + ruleName, data: data, context: context)
            return (result, nil)
        } catch {
            return ("<error expanding template: \(error.message)>", error)
        }
    }

    private static func dictionary(_ labels: Labels) -> [String: String] {
        var d: [String: String] = [:]
        for l in labels { d[l.name] = l.value }
        return d
    }
}
