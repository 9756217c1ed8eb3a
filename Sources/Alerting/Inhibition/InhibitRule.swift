import PharosCore

/// An inhibition rule (Alertmanager's `inhibit.InhibitRule`): a firing alert matching the
/// source side mutes alerts matching the target side when the `equal` labels agree.
///
/// Label names in `equal` that both alerts lack count as equal (both ""), as in Alertmanager.
/// An alert that matches both sides is never muted by another alert that also matches both
/// sides, so such alerts cannot inhibit each other (or themselves).
package struct InhibitRule: Sendable, Hashable {
    package var sourceMatchers: [LabelMatcher]
    package var targetMatchers: [LabelMatcher]
    package var equal: [String]

    package init(sourceMatchers: [LabelMatcher], targetMatchers: [LabelMatcher], equal: [String]) {
        self.sourceMatchers = sourceMatchers
        self.targetMatchers = targetMatchers
        self.equal = equal
    }

    package init(_ config: InhibitRuleConfig) {
        self.init(sourceMatchers: config.sourceMatchers, targetMatchers: config.targetMatchers, equal: config.equal)
    }

    /// True when one of `sources` is a firing source alert.
    package func isSource(_ labels: Labels) -> Bool { sourceMatchers.matches(labels) }

    /// True when this rule mutes `target` given the currently firing alerts' label sets.
    /// Return the first inhibiting alert with `inhibitor(of:firing:)`.
    package func mutes(target: Labels, firing sources: some Sequence<Labels>) -> Bool {
        inhibitor(of: target, firing: sources) != nil
    }

    /// The first firing alert of `sources` that inhibits `target` under this rule, or nil.
    package func inhibitor(of target: Labels, firing sources: some Sequence<Labels>) -> Labels? {
        guard targetMatchers.matches(target) else { return nil }
        let excludeTwoSided = sourceMatchers.matches(target)
        for source in sources where sourceMatchers.matches(source) {
            guard equal.allSatisfy({ source[$0] == target[$0] }) else { continue }
            if excludeTwoSided, targetMatchers.matches(source) { continue }
            return source
        }
        return nil
    }
}

extension Array where Element == InhibitRule {
    /// True when any rule mutes `target` (Alertmanager's `Inhibitor.Mutes`).
    package func mutes(target: Labels, firing sources: [Labels]) -> Bool {
        contains { $0.mutes(target: target, firing: sources) }
    }

    /// The first firing alert inhibiting `target` under any rule, or nil.
    package func inhibitor(of target: Labels, firing sources: [Labels]) -> Labels? {
        for rule in self {
            if let source = rule.inhibitor(of: target, firing: sources) { return source }
        }
        return nil
    }
}
