import PharosCore

/// The cardinality and churn figures of one block (or the head), computed from its series as
/// `promtool tsdb analyze` does, and printable in promtool's layout.
package struct TSDBAnalysis: Sendable, Equatable {
    /// One ranked line: a value and what it counts (`job=api`, `instance`, a metric name).
    package struct Entry: Sendable, Equatable {
        package var value: UInt64
        package var key: String

        package init(_ value: UInt64, _ key: String) {
            self.value = value
            self.key = key
        }
    }

    /// One series: labels and the first and last timestamps of its chunks.
    package struct SeriesSummary: Sendable {
        package var labels: Labels
        package var minTime: Timestamp
        package var maxTime: Timestamp

        package init(labels: Labels, minTime: Timestamp, maxTime: Timestamp) {
            self.labels = labels
            self.minTime = minTime
            self.maxTime = maxTime
        }
    }

    /// The block's ULID, or `head`.
    package var blockID: String
    /// Milliseconds the block covers (meta maxTime − minTime).
    package var durationMilliseconds: Int64
    package var totalSeries: Int
    package var labelNames: Int
    package var uniqueLabelPairs: Int
    package var totalLabelPairs: Int
    /// Label pairs by average uncovered share of the block range (series count equivalent).
    package var churningLabelPairs: [Entry]
    package var churningLabelNames: [Entry]
    package var commonLabelPairs: [Entry]
    package var labelValueLengths: [Entry]
    package var cardinalityLabels: [Entry]
    package var cardinalityMetricNames: [Entry]
    /// The `--match` selector, printed as promtool does, and how many series it kept.
    package var matchers: [LabelMatcher] = []
    package var matchedSeries = 0
    /// Chunk fill figures, with `--extended` only.
    package var compaction: CompactionAnalysis?

    /// Computes the figures of series in a block spanning [minTime, maxTime) (`maxTime`
    /// exclusive, as in meta.json). Every ranking is cut to `limit` entries, highest first,
    /// ties by key.
    package init(blockID: String, minTime: Timestamp, maxTime: Timestamp, totalSeries: Int,
                 series allSeries: [SeriesSummary], matching matchers: [LabelMatcher] = [], limit: Int) {
        self.blockID = blockID
        self.matchers = matchers
        let series = matchers.isEmpty ? allSeries : allSeries.filter { matchers.matches($0.labels) }
        matchedSeries = series.count
        let range = max(maxTime &- minTime, 0)
        durationMilliseconds = range
        self.totalSeries = totalSeries
        var uncoveredByName: [String: UInt64] = [:]
        var uncoveredByPair: [String: UInt64] = [:]
        var countByPair: [String: UInt64] = [:]
        var valuesByName: [String: Set<String>] = [:]
        var seriesByMetric: [String: UInt64] = [:]
        var entries = 0
        for one in series {
            let covered = max(one.maxTime &- one.minTime, 0)
            let uncovered = UInt64(max(range - covered, 0))
            for label in one.labels {
                let pair = label.name + "=" + label.value
                uncoveredByName[label.name, default: 0] += uncovered
                uncoveredByPair[pair, default: 0] += uncovered
                countByPair[pair, default: 0] += 1
                valuesByName[label.name, default: []].insert(label.value)
                entries += 1
            }
            if let name = one.labels.metricName { seriesByMetric[name, default: 0] += 1 }
        }
        labelNames = valuesByName.count
        uniqueLabelPairs = uncoveredByPair.count
        totalLabelPairs = entries
        let share = { (total: UInt64) -> UInt64 in range > 0 ? UInt64(Double(total) / Double(range)) : 0 }
        churningLabelPairs = Self.top(uncoveredByPair.mapValues(share), limit)
        churningLabelNames = Self.top(uncoveredByName.mapValues(share), limit)
        commonLabelPairs = Self.top(countByPair, limit)
        labelValueLengths = Self.top(valuesByName.mapValues { UInt64($0.reduce(0) { $0 + $1.utf8.count }) }, limit)
        cardinalityLabels = Self.top(valuesByName.mapValues { UInt64($0.count) }, limit)
        cardinalityMetricNames = Self.top(seriesByMetric, limit)
    }

    static func top(_ values: [String: UInt64], _ limit: Int) -> [Entry] {
        let sorted = values.map { Entry($0.value, $0.key) }.sorted { a, b in
            a.value != b.value ? a.value > b.value : a.key < b.key
        }
        return Array(sorted.prefix(max(limit, 0)))
    }

    /// promtool's text: header lines, then each ranking as `value key` lines under its title.
    package var report: String {
        var lines = [
            "Block ID: \(blockID)",
            "Duration: \(Self.goDuration(milliseconds: durationMilliseconds))",
            "Total Series: \(totalSeries)",
        ]
        if !matchers.isEmpty { lines.append("Matcher: [\(matchers.map(\.description).joined(separator: " "))]") }
        lines.append("Label names: \(labelNames)")
        if !matchers.isEmpty { lines.append("Matched series: \(matchedSeries)") }
        lines += [
            "Postings (unique label pairs): \(uniqueLabelPairs)",
            "Postings entries (total label pairs): \(totalLabelPairs)",
        ]
        let sections: [(String, [Entry])] = [
            ("Label pairs most involved in churning", churningLabelPairs),
            ("Label names most involved in churning", churningLabelNames),
            ("Most common label pairs", commonLabelPairs),
            ("Label names with highest cumulative label value length", labelValueLengths),
            ("Highest cardinality labels", cardinalityLabels),
            ("Highest cardinality metric names", cardinalityMetricNames),
        ]
        for (title, entries) in sections {
            lines.append("")
            lines.append(title + ":")
            lines += entries.map { "\($0.value) \($0.key)" }
        }
        return lines.joined(separator: "\n") + "\n" + (compaction?.report ?? "")
    }

    /// Go's `time.Duration.String()` for a whole number of milliseconds: `2h0m0s`, `9m59.903s`,
    /// `1.5s`, `250ms`, `0s`.
    package static func goDuration(milliseconds: Int64) -> String {
        if milliseconds == 0 { return "0s" }
        let sign = milliseconds < 0 ? "-" : ""
        let ms = milliseconds.magnitude
        if ms < 1000 { return "\(sign)\(ms)ms" }
        let hours = ms / 3_600_000, minutes = ms / 60_000 % 60
        let seconds = ms / 1000 % 60, fraction = ms % 1000
        var out = sign
        if hours > 0 { out += "\(hours)h" }
        if hours > 0 || minutes > 0 { out += "\(minutes)m" }
        out += "\(seconds)"
        if fraction > 0 {
            var digits = String(fraction)
            digits = String(repeating: "0", count: 3 - digits.count) + digits
            while digits.hasSuffix("0") { digits.removeLast() }
            out += "." + digits
        }
        return out + "s"
    }
}
