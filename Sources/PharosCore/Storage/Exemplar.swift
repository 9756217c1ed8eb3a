/// An exemplar: a sample of a series annotated with labels of its own (typically a trace id),
/// as OpenMetrics exposition and remote write carry them (Prometheus' `exemplar.Exemplar`).
///
/// `timestamp` is always set by the time an exemplar reaches storage: a scraped exemplar without
/// its own timestamp takes the sample's, and `hasTimestamp` records which it was, because two
/// scrapes of the same timestamp-less exemplar are duplicates of each other (`isDuplicate(of:)`).
/// Equality (`==`) compares every field, the value by bit pattern.
package struct Exemplar: Hashable, Sendable {
    /// The exemplar's own labels, without empty values. Their names and values together must
    /// not exceed `Exemplar.maxLabelSetLength` code points to be stored.
    package var labels: Labels
    package var value: Double
    /// Milliseconds.
    package var timestamp: Timestamp
    /// The exposition or request carried the timestamp (false: it is the sample's).
    package var hasTimestamp: Bool

    package init(labels: Labels, value: Double, timestamp: Timestamp, hasTimestamp: Bool = true) {
        self.labels = labels
        self.value = value
        self.timestamp = timestamp
        self.hasTimestamp = hasTimestamp
    }

    /// OpenMetrics' limit on the combined length of an exemplar's label names and values, in
    /// Unicode code points (quotes, `=` and commas not counted).
    package static let maxLabelSetLength = 128

    /// The combined code point count of the label names and values (what the limit applies to).
    package var labelSetLength: Int {
        labels.reduce(0) { $0 + $1.name.unicodeScalars.count + $1.value.unicodeScalars.count }
    }

    /// Prometheus' `Exemplar.Equals`: same labels and value, and the same timestamp unless
    /// neither exemplar carried one of its own.
    package func isDuplicate(of other: Exemplar) -> Bool {
        guard labels == other.labels else { return false }
        if (hasTimestamp || other.hasTimestamp) && timestamp != other.timestamp { return false }
        return value == other.value
    }

    package static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.labels == rhs.labels && lhs.value.bitPattern == rhs.value.bitPattern
            && lhs.timestamp == rhs.timestamp && lhs.hasTimestamp == rhs.hasTimestamp
    }

    package func hash(into hasher: inout Hasher) {
        hasher.combine(labels)
        hasher.combine(value.bitPattern)
        hasher.combine(timestamp)
    }
}

/// The exemplars of one series, oldest first (Prometheus' `exemplar.QueryResult`).
package struct ExemplarQueryResult: Hashable, Sendable {
    package var seriesLabels: Labels
    package var exemplars: [Exemplar]

    package init(seriesLabels: Labels, exemplars: [Exemplar]) {
        self.seriesLabels = seriesLabels
        self.exemplars = exemplars
    }
}

/// Where exemplars are read from (Prometheus' `storage.ExemplarQueryable` and its querier in one
/// call). Thread-safe.
package protocol ExemplarQueryable: Sendable {
    /// The exemplars with `start <= timestamp <= end` of every series that matches all matchers
    /// of at least one of `selectors` (an empty list selects nothing). Results are sorted by
    /// series labels; each series' exemplars are in the order they were stored (oldest first)
    /// and series with no exemplar in the range are left out. Throws when the storage is not
    /// available.
    func exemplars(from start: Timestamp, through end: Timestamp,
                   matching selectors: [[LabelMatcher]]) async throws -> [ExemplarQueryResult]
}
