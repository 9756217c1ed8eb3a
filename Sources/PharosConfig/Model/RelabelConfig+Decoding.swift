import PharosCore
import Relabel

extension ConfigCursor {
    /// A list of `relabel_config`s; each is validated as Prometheus validates it.
    package func relabelConfigs(_ validation: LabelNameValidationScheme) throws(ConfigError) -> [RelabelConfig] {
        var out: [RelabelConfig] = []
        for item in try sequence() {
            if item.isNull { throw item.fail(.invalidConfig, "empty or null relabeling rule") }
            out.append(try item.relabelConfig(validation))
        }
        return out
    }

    /// One `relabel_config` mapping.
    package func relabelConfig(_ validation: LabelNameValidationScheme) throws(ConfigError) -> RelabelConfig {
        let fields = try mapping("relabel_config")
        let sources = fields.take("source_labels")
        var sourceLabels: [String] = []
        if let sources {
            // A single name is accepted for a list, as YAML flow lists often are written.
            if case .scalar = sources.node.kind { sourceLabels = [try sources.string()] } else { sourceLabels = try sources.stringList() }
            for (index, name) in sourceLabels.enumerated() where !validation.isValid(name) {
                let item: ConfigCursor = if case .sequence(let items) = sources.node.kind { sources.element(index, items[index]) } else { sources }
                throw item.fail("\(goQuote(name)) is not a valid label name")
            }
        }
        // An explicit null is Go's zero value ("" / empty regex), not the default.
        let separator = try fields.string("separator") ?? (fields.isExplicitNull("separator") ? "" : ";")
        let targetLabel = try fields.string("target_label") ?? ""
        let regexNode = fields.take("regex")
        let regex = try regexNode?.string() ?? (fields.isExplicitNull("regex") ? "" : nil)
        let modulus = try fields.uint64("modulus") ?? 0
        let replacement = try fields.string("replacement") ?? (fields.isExplicitNull("replacement") ? "" : "$1")
        if fields.isExplicitNull("action") { throw fail(.invalidConfig, "relabel action cannot be empty") }
        var action = RelabelAction.replace
        if let actionNode = fields.take("action") {
            do {
                action = try RelabelAction(parsing: try actionNode.string())
            } catch let error as RelabelError {
                throw actionNode.fail(error.description)
            } catch {
                throw actionNode.fail("\(error)")
            }
        }
        try fields.finish()
        do {
            return try RelabelConfig(sourceLabels: sourceLabels, separator: separator, targetLabel: targetLabel, regex: regex,
                                     modulus: modulus, replacement: replacement, action: action,
                                     nameValidation: validation)
        } catch {
            if error.kind == .invalidRegex, let regexNode { throw regexNode.fail(error.description) }
            throw fail(.invalidConfig, error.description)
        }
    }
}
