import PharosCore
import PromQLParser

/// One rule file as rulefmt reads it: groups in file order. A validated value.
package struct RuleFile: Sendable, Hashable {
    /// The file name as the caller gave it (rule groups are keyed by it).
    package var file: String
    package var groups: [RuleGroupSpec]

    package init(file: String, groups: [RuleGroupSpec]) {
        self.file = file
        self.groups = groups
    }

    /// Rules in all groups.
    package var ruleCount: Int { groups.reduce(0) { $0 + $1.rules.count } }
}

/// A rule group as written (`name`, `interval`, `query_offset`, `limit`, `labels`, `rules`).
package struct RuleGroupSpec: Sendable, Hashable {
    package var name: String
    /// nil: the global `evaluation_interval`.
    package var interval: PrometheusDuration?
    /// nil: the global `rule_query_offset`.
    package var queryOffset: PrometheusDuration?
    /// Most series (recording) or alerts (alerting) one rule may produce; 0 is unlimited.
    package var limit: Int
    /// Added to every rule's output unless the rule sets the same label.
    package var labels: Labels
    package var rules: [RuleSpec]
    /// Position of the group's mapping in the file (1-based).
    package var line: Int
    package var column: Int

    package init(name: String, interval: PrometheusDuration? = nil, queryOffset: PrometheusDuration? = nil, limit: Int = 0,
                 labels: Labels = .empty, rules: [RuleSpec] = [], line: Int = 0, column: Int = 0) {
        self.name = name
        self.interval = interval
        self.queryOffset = queryOffset
        self.limit = limit
        self.labels = labels
        self.rules = rules
        self.line = line
        self.column = column
    }
}

/// A recording or alerting rule as written.
package struct RuleSpec: Sendable, Hashable {
    package enum Kind: String, Sendable, Hashable { case recording, alerting }
    package var kind: Kind
    /// `record:` or `alert:`.
    package var name: String
    package var expr: String
    /// Alerting only; zero otherwise.
    package var holdDuration: PrometheusDuration
    package var keepFiringFor: PrometheusDuration
    package var labels: Labels
    /// Alerting only.
    package var annotations: Labels
    package var line: Int
    package var column: Int

    package init(kind: Kind, name: String, expr: String, holdDuration: PrometheusDuration = PrometheusDuration(milliseconds: 0),
                 keepFiringFor: PrometheusDuration = PrometheusDuration(milliseconds: 0), labels: Labels = .empty,
                 annotations: Labels = .empty, line: Int = 0, column: Int = 0) {
        self.kind = kind
        self.name = name
        self.expr = expr
        self.holdDuration = holdDuration
        self.keepFiringFor = keepFiringFor
        self.labels = labels
        self.annotations = annotations
        self.line = line
        self.column = column
    }

    /// The expression as Prometheus prints it (`rule.Query().String()`), the text the API shows
    /// and the rule evaluates; the source text when it does not parse.
    package var printedExpr: String {
        (try? parseExpr(expr))?.description ?? expr
    }
}
