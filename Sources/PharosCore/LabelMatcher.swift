import Foundation

/// How a matcher compares a label value: `=`, `!=`, `=~`, `!~`.
package enum MatchType: String, Sendable, Hashable, CaseIterable {
    case equal = "="
    case notEqual = "!="
    case regexMatch = "=~"
    case regexNoMatch = "!~"
}

/// A label matcher as in PromQL selectors. An absent label matches as the empty string.
///
/// Regexes are RE2-style and fully anchored; `.` also matches a newline, as in Prometheus.
/// Construction compiles the regex once and throws `LabelMatcherError` when it is invalid.
package struct LabelMatcher: Hashable, Sendable, CustomStringConvertible {
    package let type: MatchType
    package let name: String
    package let value: String
    private let regex: AnchoredRegex?

    package init(_ type: MatchType, _ name: String, _ value: String) throws(LabelMatcherError) {
        self.type = type
        self.name = name
        self.value = value
        switch type {
        case .equal, .notEqual: regex = nil
        case .regexMatch, .regexNoMatch: regex = try AnchoredRegex(value)
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
        case .regexMatch: return regex!.matches(candidate)
        case .regexNoMatch: return !regex!.matches(candidate)
        }
    }

    /// True when the matcher selects series that lack the label (it matches "").
    package var matchesEmpty: Bool { matches("") }

    /// For `=~` over a plain alternation of literals (`a|b|c`), those literals; else nil.
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

/// A compiled, fully anchored regex with fast paths for the shapes selectors use most.
private final class AnchoredRegex: @unchecked Sendable {
    // Immutable after init; NSRegularExpression is documented thread-safe for matching.
    private enum Shape {
        case any                 // .*
        case nonEmpty            // .+
        case literals(Set<String>)
        case prefix(String)      // literal.*
        case general
    }

    private let shape: Shape
    private let compiled: NSRegularExpression?
    let literalAlternatives: [String]?

    init(_ pattern: String) throws(LabelMatcherError) {
        do {
            compiled = try NSRegularExpression(pattern: "\\A(?:" + pattern + ")\\z", options: [.dotMatchesLineSeparators])
        } catch {
            throw LabelMatcherError(pattern: pattern, message: "\(error)")
        }
        if pattern == ".*" {
            shape = .any
            literalAlternatives = nil
        } else if pattern == ".+" {
            shape = .nonEmpty
            literalAlternatives = nil
        } else if let literals = AnchoredRegex.literalAlternation(pattern) {
            shape = .literals(Set(literals))
            literalAlternatives = literals
        } else if pattern.hasSuffix(".*"), let literals = AnchoredRegex.literalAlternation(String(pattern.dropLast(2))),
                  literals.count == 1 {
            shape = .prefix(literals[0])
            literalAlternatives = nil
        } else {
            shape = .general
            literalAlternatives = nil
        }
    }

    func matches(_ value: String) -> Bool {
        switch shape {
        case .any: return true
        case .nonEmpty: return !value.isEmpty
        case .literals(let set): return set.contains(value)
        case .prefix(let prefix): return value.hasPrefix(prefix)
        case .general:
            let range = NSRange(location: 0, length: value.utf16.count)
            return compiled!.firstMatch(in: value, options: [], range: range) != nil
        }
    }

    /// `a|b|c` made only of characters with no regex meaning → ["a", "b", "c"].
    private static func literalAlternation(_ pattern: String) -> [String]? {
        let special: Set<Character> = ["\\", ".", "+", "*", "?", "(", ")", "[", "]", "{", "}", "^", "$"]
        if pattern.contains(where: { special.contains($0) }) { return nil }
        return pattern.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
    }
}
