import PharosCore

/// One entry of a cardinality top list: a name (a metric, a label name, or `name=value`) and
/// its count.
package struct CardinalityStat: Sendable, Hashable {
    package var name: String
    package var count: Int

    package init(name: String, count: Int) {
        self.name = name
        self.count = count
    }
}

/// Cardinality of the head's postings index, for `/api/v1/status/tsdb` (Prometheus'
/// `index.PostingsStats`). Each list is sorted by count, highest first (ties by name), and
/// holds at most the requested number of entries.
package struct HeadCardinalityStats: Sendable, Hashable {
    /// Series per value of the chosen label (per metric name for `__name__`).
    package var seriesCountByLabelValue: [CardinalityStat] = []
    /// Distinct values per label name.
    package var valueCountByLabelName: [CardinalityStat] = []
    /// Per label name, the bytes of its distinct values (Prometheus 2.42's measure; later
    /// versions weight each value by its series count).
    package var memoryInBytesByLabelName: [CardinalityStat] = []
    /// Series per `name=value` pair.
    package var seriesCountByLabelPair: [CardinalityStat] = []
    /// Distinct `name=value` pairs in the index (not limited).
    package var numLabelPairs = 0

    package init() {}
}

extension Head {
    /// Walks the postings index and returns its top-`limit` cardinality lists, with
    /// `seriesCountByLabelValue` counted for `label` (usually `__name__`).
    ///
    /// Read-only and safe to call while appends run; each list of postings is read under the
    /// index lock on its own, so a concurrent change may show in one list and not in another.
    /// Costs one pass over every label pair. `limit` below 1 gives empty lists.
    package func cardinalityStats(label: String = Labels.metricName, limit: Int) -> HeadCardinalityStats {
        var byValue: [CardinalityStat] = []
        var valueCounts: [CardinalityStat] = []
        var memory: [CardinalityStat] = []
        var pairs: [CardinalityStat] = []
        var numLabelPairs = 0
        for name in postings.names() {
            let values = postings.values(name)
            valueCounts.append(CardinalityStat(name: name, count: values.count))
            numLabelPairs += values.count
            var bytes = 0
            for value in values {
                let series = postings.postings(name, value).count
                guard series > 0 else { continue }
                if name == label { byValue.append(CardinalityStat(name: value, count: series)) }
                pairs.append(CardinalityStat(name: name + "=" + value, count: series))
                bytes += value.utf8.count
            }
            memory.append(CardinalityStat(name: name, count: bytes))
        }
        var stats = HeadCardinalityStats()
        stats.seriesCountByLabelValue = Self.top(byValue, limit)
        stats.valueCountByLabelName = Self.top(valueCounts, limit)
        stats.memoryInBytesByLabelName = Self.top(memory, limit)
        stats.seriesCountByLabelPair = Self.top(pairs, limit)
        stats.numLabelPairs = numLabelPairs
        return stats
    }

    /// The `limit` highest counts, ties broken by name.
    static func top(_ stats: [CardinalityStat], _ limit: Int) -> [CardinalityStat] {
        guard limit > 0 else { return [] }
        let sorted = stats.sorted { $0.count != $1.count ? $0.count > $1.count : $0.name < $1.name }
        return Array(sorted.prefix(limit))
    }
}
