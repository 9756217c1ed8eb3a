import PharosCore

/// A relabel action, spelled as in Prometheus' YAML.
package enum RelabelAction: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case replace, keep, drop, keepequal, dropequal, hashmod, labelmap, labeldrop, labelkeep, lowercase, uppercase

    /// Parses an action name case-insensitively, as Prometheus does.
    package init(parsing text: String) throws(RelabelError) {
        guard let action = RelabelAction(rawValue: text.lowercased()) else {
            throw RelabelError(.unknownAction, "unknown relabel action \(goQuote(text))")
        }
        self = action
    }

    package var description: String { rawValue }
}
