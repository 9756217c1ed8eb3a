import Foundation
import PharosCore

/// A silence (Alertmanager's `silencepb.Silence`): alerts matching every matcher are muted
/// between `startsAt` and `endsAt`.
package struct Silence: Sendable, Hashable, Codable {
    package var id: String
    package var matchers: [SilenceMatcher]
    package var startsAt: Date
    package var endsAt: Date
    package var updatedAt: Date
    package var createdBy: String
    package var comment: String

    package init(id: String = "", matchers: [SilenceMatcher], startsAt: Date, endsAt: Date,
                 updatedAt: Date = Date(timeIntervalSince1970: 0), createdBy: String, comment: String) {
        self.id = id
        self.matchers = matchers
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.updatedAt = updatedAt
        self.createdBy = createdBy
        self.comment = comment
    }

    /// `types.SilenceState`.
    package enum State: String, Sendable, Hashable, Codable {
        case pending, active, expired
    }

    package func state(at now: Date) -> State {
        if endsAt <= now { return .expired }
        if startsAt > now { return .pending }
        return .active
    }

    /// True when every matcher matches `labels` (the state is not considered).
    package func matches(_ labels: Labels) -> Bool {
        matchers.allSatisfy { $0.labelMatcher?.matches(labels[$0.name]) ?? false }
    }
}

/// One silence matcher as the v2 API carries it.
package struct SilenceMatcher: Sendable, Hashable, Codable {
    package var name: String
    package var value: String
    package var isRegex: Bool
    package var isEqual: Bool

    package init(name: String, value: String, isRegex: Bool, isEqual: Bool = true) {
        self.name = name
        self.value = value
        self.isRegex = isRegex
        self.isEqual = isEqual
    }

    package init(_ matcher: LabelMatcher) {
        name = matcher.name
        value = matcher.value
        isRegex = matcher.type == .regexMatch || matcher.type == .regexNoMatch
        isEqual = matcher.type == .equal || matcher.type == .regexMatch
    }

    package var matchType: MatchType {
        switch (isRegex, isEqual) {
        case (false, true): .equal
        case (false, false): .notEqual
        case (true, true): .regexMatch
        case (true, false): .regexNoMatch
        }
    }

    /// `name="value"`, `name=~"regex"`… as amtool prints a matcher.
    package var description: String { "\(name)\(matchType.rawValue)\(goQuote(value))" }

    /// Nil when the regular expression does not compile.
    package var labelMatcher: LabelMatcher? { try? LabelMatcher(matchType, name, value) }
}
