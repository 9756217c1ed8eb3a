import PharosCore
import PromQLParser

/// A rule ready to evaluate: its spec with the group's labels merged under its own, and the
/// parsed expression. Immutable.
package struct RuleDefinition: Sendable {
    package var spec: RuleSpec
    package var expr: Expr
    /// The expression as Prometheus prints it: what is evaluated, shown and compared on reload.
    package var query: String

    /// Throws the parser's error when `spec.expr` does not parse (validation prevents it).
    package init(_ spec: RuleSpec, groupLabels: Labels) throws(RuleError) {
        var merged = spec
        if !groupLabels.isEmpty {
            var builder = LabelsBuilder(groupLabels)
            for label in spec.labels { builder.set(label.name, label.value) }
            merged.labels = builder.labels()
        }
        self.spec = merged
        do {
            expr = try parseExpr(spec.expr)
        } catch {
            throw RuleError(.invalidRule, message: "could not parse expression: \(error)")
        }
        query = expr.description
    }

    /// Prometheus' `nameAndLabels`: how reloads match old rules to new ones.
    var identity: String { spec.name + spec.labels.description }

    /// Prometheus' `Rule.String()` equality, for `Group.Equals` on reload.
    var comparable: [String] {
        [spec.kind.rawValue, spec.name, query, "\(spec.holdDuration.milliseconds)", "\(spec.keepFiringFor.milliseconds)",
         spec.labels.description, spec.annotations.description]
    }
}
