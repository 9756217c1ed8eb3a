import PharosCore

extension BlockReader {
    /// Sorted refs of the series whose labels satisfy every matcher (Prometheus'
    /// PostingsForMatchers). A missing label matches as "".
    ///
    /// Matchers that reject "" select by the values they accept (`=` and literal `=~` sets are
    /// looked up directly, other regexes scan the label's values) and are intersected.
    /// Matchers that accept "" (`!=`, `!~`, `=""`, `=~".*"`-like) are applied by subtracting
    /// the series whose value they reject. With no positive matcher the start is all series.
    package func postings(matching matchers: [LabelMatcher]) -> [UInt64] {
        var positive: [[UInt64]] = []
        var negative: [[UInt64]] = []
        for matcher in matchers {
            if matcher.matchesEmpty {
                let rejected = labelValues(matcher.name).filter { !$0.isEmpty && !matcher.matches($0) }
                if !rejected.isEmpty { negative.append(postings(matcher.name, values: rejected)) }
            } else {
                positive.append(postings(matcher.name, values: acceptedValues(matcher)))
                if positive.last?.isEmpty == true { return [] }
            }
        }
        var result = positive.isEmpty ? allPostings() : Postings.intersect(positive)
        for list in negative where !result.isEmpty {
            result = Postings.subtract(result, list)
        }
        return result
    }

    private func acceptedValues(_ matcher: LabelMatcher) -> [String] {
        switch matcher.type {
        case .equal:
            return [matcher.value]
        case .regexMatch:
            if let literals = matcher.setMatches { return literals.filter { !$0.isEmpty } }
            return labelValues(matcher.name).filter { matcher.matches($0) }
        case .notEqual, .regexNoMatch:
            return labelValues(matcher.name).filter { matcher.matches($0) }
        }
    }
}
