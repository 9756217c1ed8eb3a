import PharosCore

/// A relabel rule's regex: `RE2Regex` compiled as Prometheus 3 compiles it,
/// `^(?s:pattern)$` (so `.` also matches a newline, and the match is always whole).
///
/// Immutable and thread-safe; equality is by pattern text.
package struct RelabelRegex: Sendable, Hashable, CustomStringConvertible {
    /// The pattern as written, without the anchors.
    package let pattern: String
    private let regex: RE2Regex

    /// Prometheus' default `(.*)`.
    package static let `default` = try! RelabelRegex("(.*)")

    /// Compiles `pattern`; throws `RelabelError` (kind `invalidRegex`) with Go's message for
    /// the anchored expression, as Prometheus reports it.
    package init(_ pattern: String) throws(RelabelError) {
        self.pattern = pattern
        do {
            regex = try RE2Regex("^(?s:" + pattern + ")$")
        } catch {
            throw RelabelError(.invalidRegex, error.description)
        }
    }

    /// Names of the capture groups by index (index 0 is the whole match and has no name).
    package var groupNames: [String?] { regex.groupNames }

    /// True when the whole of `value` matches.
    package func matches(_ value: String) -> Bool { regex.wholeMatch(value) }

    /// The capture groups of a whole-string match (index 0 = `value`), or nil without a match.
    /// A group that did not participate is nil.
    package func captures(_ value: String) -> [Substring?]? { regex.wholeMatchCaptures(value) }

    package var description: String { pattern }

    package static func == (lhs: RelabelRegex, rhs: RelabelRegex) -> Bool { lhs.pattern == rhs.pattern }
    package func hash(into hasher: inout Hasher) { hasher.combine(pattern) }
}
