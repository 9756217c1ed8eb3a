import PharosCore

extension ExpositionParser {
    /// Whether the current `.series` entry is an OpenMetrics `<family>_created` sample of a
    /// counter, summary, histogram or gauge histogram (a start time, not a value to store as-is).
    package var isCreatedSeries: Bool {
        guard format == .openMetrics, entry == .series, let familyName, Self.typeHasCreated(familyType) else { return false }
        return metricName() == familyName + "_created"
    }

    /// The start ("created") timestamp in milliseconds of the current `.series` entry, read
    /// from the matching `<family>_created` line later in the same family (OpenMetrics only).
    ///
    /// Matching ignores `__name__`, `le` and `quantile`. Looks ahead on a copy of the parser
    /// and stops at the first line with other labels (OpenMetrics keeps a metric point's
    /// samples together), so the cost is bounded by one histogram's or summary's lines; nil
    /// when absent or unparsable.
    package func createdTimestamp() -> Timestamp? {
        guard format == .openMetrics, entry == .series, let familyName, Self.typeHasCreated(familyType) else { return nil }
        let createdName = familyName + "_created"
        guard metricName() != createdName else { return nil }
        let ignored: Set<String> = [Labels.metricName, "le", "quantile"]
        let key = currentLabels().removing(ignored)
        var lookahead = self
        while let next = try? lookahead.next(), next == .series {
            let name = lookahead.metricName()
            // OpenMetrics keeps a metric point's samples together: stop at the next label set.
            guard name.hasPrefix(familyName), lookahead.currentLabels().removing(ignored) == key else { return nil }
            guard name == createdName else { continue }
            let milliseconds = (lookahead.value * 1000).rounded(.towardZero)
            guard milliseconds.isFinite, milliseconds.magnitude < 9.2e18 else { return nil }
            return Timestamp(milliseconds)
        }
        return nil
    }

    static func typeHasCreated(_ type: MetricType) -> Bool {
        type == .counter || type == .summary || type == .histogram || type == .gaugehistogram
    }
}
