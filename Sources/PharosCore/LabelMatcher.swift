/// How a matcher compares a label value: `=`, `!=`, `=~`, `!~`.
package enum MatchType: String, Sendable, Hashable, CaseIterable {
    case equal = "="
    case notEqual = "!="
    case regexMatch = "=~"
    case regexNoMatch = "!~"
}

/// A label matcher as in PromQL selectors. An absent label matches as the empty string.
///
/// Regexes are `RE2Regex` (Go syntax and semantics), fully anchored, and `.` also matches a
/// newline, as Prometheus 3 compiles them (`^(?s:…)$`; 2.x did not set `s`). Construction
/// compiles the regex once and throws `LabelMatcherError` with Go's message when it is invalid.
package struct LabelMatcher: Hashable, Sendable, CustomStringConvertible {
    package let type: MatchType
    package let name: String
    package let value: String
    private let regex: RE2Regex?

    package init(_ type: MatchType, _ name: String, _ value: String) throws(LabelMatcherError) {
        self.type = type
        self.name = name
        self.value = value
        switch type {
        case .equal, .notEqual: regex = nil
        case .regexMatch, .regexNoMatch:
            do {
                regex = try RE2Regex(value, dotMatchesNewline: true)
            } catch {
                throw LabelMatcherError(pattern: value, message: error.description)
            }
        }
    }

    package static func equal(_ name: String, _ value: String) -> LabelMatcher {
        // Equality matchers cannot fail to build.
        try! LabelMatcher(.equal, name, value)
    }

    package func matches(_ candidate: String) -> Bool {
        switch type {
        case .equal: return candidate.bytewiseEquals(value)
        case .notEqual: return !candidate.bytewiseEquals(value)
        case .regexMatch: return regex!.wholeMatch(candidate)
        case .regexNoMatch: return !regex!.wholeMatch(candidate)
        }
    }

    /// True when the matcher selects series that lack the label (it matches "").
    package var matchesEmpty: Bool { matches("") }

    /// For `=~` over a plain case-sensitive alternation of literals (`a|b|c`, `(a|b)`, `a\.b`),
    /// those literals; else nil. The matcher matches exactly these values.
    package var setMatches: [String]? { type == .regexMatch ? regex?.literalAlternatives : nil }

    package var description: String { "\(name)\(type.rawValue)\(goQuote(value))" }

    package static func == (lhs: LabelMatcher, rhs: LabelMatcher) -> Bool {
        lhs.type == rhs.type && lhs.name == rhs.name && lhs.value == rhs.value
    }

    package func hash(into hasher: inout Hasher) {
        hasher.combine(type)
        hasher.combine(name)
        hasher.combine(value)
    }
}

extension Array where Element == LabelMatcher {
    /// True when every matcher accepts `labels`.
    package func matches(_ labels: Labels) -> Bool {
        allSatisfy { $0.matches(labels[$0.name]) }
    }
}

package struct LabelMatcherError: Error, Sendable, CustomStringConvertible {
    package var pattern: String
    package var message: String
    package var description: String { "invalid regular expression \(goQuote(pattern)): \(message)" }
}
