/// Alertmanager's `template.Template`: one set of templates (its `default.tmpl` and
/// `email.tmpl`, then the user's files) rendered as text or as HTML.
///
/// A value type; `Sendable`. Parse once, render every notification from it.
package struct AlertmanagerTemplate: Sendable {
    package private(set) var set: TemplateSet

    /// A set with Alertmanager's functions and `missingkey=zero`, as `template.New`.
    package init(context: AlertmanagerTemplateContext = AlertmanagerTemplateContext()) {
        set = AlertmanagerFunctions.makeSet(context)
    }

    /// Parses a template file's text into the set (`Template.Parse`); `name` is used in errors.
    package mutating func parse(_ text: String, name: String = "") throws(TemplateError) {
        try set.parse(text, name: name)
    }

    /// `ExecuteTextString`: "" for an empty text, otherwise `text` parsed against the set and
    /// executed with `data`.
    package func executeText(_ text: String, data: AlertmanagerData) async throws(TemplateError) -> String {
        if text.isEmpty { return "" }
        return try await set.render(text, data: data.templateValue, html: false)
    }

    /// `ExecuteHTMLString`: as `executeText`, escaped as html/template does.
    package func executeHTML(_ text: String, data: AlertmanagerData) async throws(TemplateError) -> String {
        if text.isEmpty { return "" }
        return try await set.render(text, data: data.templateValue, html: true)
    }
}
