import Foundation
import PharosConfig
import PharosCore
import PromQLParser

/// Reads rule files as Prometheus' `rulefmt.Parse` does: strict YAML (unknown keys refused),
/// then every validation of `RuleGroups.Validate`, collecting all errors rather than the first.
///
/// Stateless; safe to share.
package struct RuleFileParser: Sendable {
    /// Label and metric name rule (`utf8` as Prometheus 3; `legacy` as Prometheus 2).
    package var validation: LabelNameValidation
    /// Parse-checks label and annotation templates of alerting rules (rulefmt's
    /// `testTemplateParsing`); nil skips the check.
    package var templates: (any AlertTemplateExpander)?
    /// Accept keys rulefmt does not define (promtool's `--ignore-unknown-fields`).
    package var ignoreUnknownFields = false

    package init(validation: LabelNameValidation = .utf8, templates: (any AlertTemplateExpander)? = GoAlertTemplates()) {
        self.validation = validation
        self.templates = templates
    }

    /// Reads and validates `path`. Throws every error found (one `RuleError` per problem).
    package func load(path: String) throws(RuleFileErrors) -> RuleFile {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw RuleFileErrors([RuleError(.io, file: path, message: "cannot read the rule file: \(error.localizedDescription)")])
        }
        return try parse(text, file: path)
    }

    /// Parses and validates `text`, naming `file` in errors.
    package func parse(_ text: String, file: String) throws(RuleFileErrors) -> RuleFile {
        var errors: [RuleError] = []
        let root: YAMLNode
        do {
            root = try YAMLNode.parse(text, file: file)
        } catch {
            throw RuleFileErrors([RuleError(error)])
        }
        let cursor = ConfigCursor(root: root, file: file, directory: "")
        var groups: [(RuleGroupSpec, [RuleNodes])] = []
        do {
            let top = try cursor.mapping("rulefmt.RuleGroups")
            let groupNodes = try top.take("groups")?.sequence() ?? []
            if !ignoreUnknownFields { try top.finish() }
            for groupNode in groupNodes {
                groups.append(try decodeGroup(groupNode))
            }
        } catch {
            throw RuleFileErrors([RuleError(error)])
        }
        var seen: Set<String> = []
        for (group, nodes) in groups {
            let at = { (message: String) in
                RuleError(.invalidRule, file: file, line: group.line, column: group.column, message: message)
            }
            if group.name.isEmpty { errors.append(at("Groupname must not be empty")) }
            if seen.contains(group.name) { errors.append(at("groupname: \"\(group.name)\" is repeated in the same file")) }
            seen.insert(group.name)
            for label in group.labels where !validation.isValid(label.name) || label.name == Labels.metricName {
                errors.append(RuleError(.invalidRule, file: file, message: "invalid label name: \(label.name)"))
            }
            for (index, rule) in group.rules.enumerated() {
                for problem in validate(rule, nodes[index]) {
                    errors.append(RuleError(.invalidRule, file: file, line: problem.line, column: problem.column,
                                            message: "group \(goQuote(group.name)), rule \(index + 1), \(goQuote(rule.name)): \(problem.message)"))
                }
            }
        }
        if !errors.isEmpty { throw RuleFileErrors(errors) }
        return RuleFile(file: file, groups: groups.map(\.0))
    }
}

/// Every problem found in one rule file, in file order; `description` has one line each.
package struct RuleFileErrors: Error, Sendable, CustomStringConvertible {
    package var errors: [RuleError]
    package init(_ errors: [RuleError]) { self.errors = errors }
    package var description: String { errors.map(\.description).joined(separator: "\n") }
}

/// Positions of a rule's keys, for rulefmt's positioned messages.
struct RuleNodes {
    var rule: (Int, Int)
    var record: (Int, Int)?
    var alert: (Int, Int)?
    var expr: (Int, Int)?
}

extension RuleFileParser {
    private func decodeGroup(_ cursor: ConfigCursor) throws(ConfigError) -> (RuleGroupSpec, [RuleNodes]) {
        let fields = try cursor.mapping("rulefmt.RuleGroup")
        var group = RuleGroupSpec(name: try fields.string("name") ?? "", line: cursor.node.line, column: cursor.node.column)
        group.interval = try fields.duration("interval")
        group.queryOffset = try fields.duration("query_offset")
        group.limit = try fields.int("limit") ?? 0
        group.labels = try fields.take("labels")?.labels(.utf8) ?? .empty
        var nodes: [RuleNodes] = []
        for item in try fields.take("rules")?.sequence() ?? [] {
            let (rule, node) = try decodeRule(item)
            group.rules.append(rule)
            nodes.append(node)
        }
        if !ignoreUnknownFields { try fields.finish() }
        return (group, nodes)
    }

    private func decodeRule(_ cursor: ConfigCursor) throws(ConfigError) -> (RuleSpec, RuleNodes) {
        let fields = try cursor.mapping("rulefmt.RuleNode")
        let record = fields.take("record"), alert = fields.take("alert"), expr = fields.take("expr")
        let recordName = try record?.string() ?? "", alertName = try alert?.string() ?? ""
        var rule = RuleSpec(kind: alertName.isEmpty && !recordName.isEmpty ? .recording : .alerting,
                            name: alertName.isEmpty ? recordName : alertName, expr: try expr?.string() ?? "",
                            line: cursor.node.line, column: cursor.node.column)
        if !recordName.isEmpty, !alertName.isEmpty { rule.kind = .alerting }
        rule.holdDuration = try fields.duration("for") ?? rule.holdDuration
        rule.keepFiringFor = try fields.duration("keep_firing_for") ?? rule.keepFiringFor
        rule.labels = try pairs(fields.take("labels"))
        rule.annotations = try pairs(fields.take("annotations"))
        if !ignoreUnknownFields { try fields.finish() }
        let nodes = RuleNodes(rule: (cursor.node.line, cursor.node.column),
                              record: record.map { ($0.node.line, $0.node.column) },
                              alert: alert.map { ($0.node.line, $0.node.column) },
                              expr: expr.map { ($0.node.line, $0.node.column) })
        return (rule, nodes)
    }

    private func pairs(_ cursor: ConfigCursor?) throws(ConfigError) -> Labels {
        guard let cursor else { return .empty }
        return Labels(try cursor.stringPairs().map { Label(name: $0.0, value: $0.1) })
    }

    private struct Problem {
        var line: Int
        var column: Int
        var message: String
    }

    /// rulefmt's `Rule.Validate`, in its order.
    private func validate(_ rule: RuleSpec, _ nodes: RuleNodes) -> [Problem] {
        var out: [Problem] = []
        func add(_ at: (Int, Int)?, _ message: String) {
            let at = at ?? (0, 0)
            out.append(Problem(line: at.0, column: at.1, message: message))
        }
        let isRecording = rule.kind == .recording
        if nodes.record != nil, nodes.alert != nil {
            add(nodes.record, "only one of 'record' and 'alert' must be set")
        }
        if rule.name.isEmpty { add(nodes.rule, "one of 'record' or 'alert' must be set") }
        if rule.expr.isEmpty {
            add(nodes.expr ?? nodes.rule, "field 'expr' must be set in rule")
        } else {
            do {
                _ = try parseExpr(rule.expr)
            } catch {
                add(nodes.expr, "could not parse expression: \(error)")
            }
        }
        if isRecording {
            if !rule.annotations.isEmpty { add(nodes.record, "invalid field 'annotations' in recording rule") }
            if rule.holdDuration.milliseconds != 0 { add(nodes.record, "invalid field 'for' in recording rule") }
            if rule.keepFiringFor.milliseconds != 0 { add(nodes.record, "invalid field 'keep_firing_for' in recording rule") }
            let validName = validation == .legacy ? Labels.isValidLegacyMetricName(rule.name) : !rule.name.isEmpty
            if !validName { add(nodes.record, "invalid recording rule name: \(rule.name)") }
            if rule.name.contains("{") || rule.name.contains("}") {
                add(nodes.record, "braces present in the recording rule name; should it be in expr?: \(rule.name)")
            }
        }
        for label in rule.labels where !validation.isValid(label.name) || label.name == Labels.metricName {
            out.append(Problem(line: 0, column: 0, message: "invalid label name: \(label.name)"))
        }
        for annotation in rule.annotations where !validation.isValid(annotation.name) {
            out.append(Problem(line: 0, column: 0, message: "invalid annotation name: \(annotation.name)"))
        }
        if rule.kind == .alerting, !rule.name.isEmpty, let templates {
            for label in rule.labels {
                if let error = templates.parseError(in: label.value, ruleName: rule.name) {
                    out.append(Problem(line: 0, column: 0, message: "label \(goQuote(label.name)): \(error)"))
                }
            }
            for annotation in rule.annotations {
                if let error = templates.parseError(in: annotation.value, ruleName: rule.name) {
                    out.append(Problem(line: 0, column: 0, message: "annotation \(goQuote(annotation.name)): \(error)"))
                }
            }
        }
        return out
    }
}
