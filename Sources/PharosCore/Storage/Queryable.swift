/// Hints a querier may use to load less; it must still return correct data when it ignores them.
package struct SelectHints: Sendable, Hashable {
    /// Inclusive time range the caller needs, in ms.
    package var start: Timestamp
    package var end: Timestamp
    /// Query step, 0 for instant queries.
    package var step: Int64
    /// The function over the selection (`rate`, `series` for metadata only), if any.
    package var function: String?
    /// Range of a range selector, 0 otherwise.
    package var range: Int64

    package init(start: Timestamp, end: Timestamp, step: Int64 = 0, function: String? = nil, range: Int64 = 0) {
        self.start = start
        self.end = end
        self.step = step
        self.function = function
        self.range = range
    }
}

/// A source of series for a time range. Thread-safe.
package protocol Queryable: Sendable {
    /// Runs `body` with a querier over [mint, maxt]. Resources (head isolation, mmapped blocks,
    /// remote connections) live for `body` only: nothing obtained from the querier may escape it.
    func withQuerier<R: Sendable>(from mint: Timestamp, through maxt: Timestamp,
                                  _ body: (any Querier) async throws -> R) async throws -> R
}

/// Reads series. Used by one task inside `withQuerier`.
package protocol Querier {
    /// The series matching all `matchers` with samples in the querier's range (or hints' range).
    /// Sorted by labels when `sorted` is true.
    func select(_ matchers: [LabelMatcher], hints: SelectHints?, sorted: Bool) async throws -> any SeriesSet
    /// Sorted label names of series matching `matchers` (all series when empty).
    func labelNames(matching: [LabelMatcher]) async throws -> [String]
    /// Sorted values of label `name` over series matching `matchers`.
    func labelValues(_ name: String, matching: [LabelMatcher]) async throws -> [String]
}

/// A forward-only sequence of series.
package protocol SeriesSet {
    mutating func next() throws -> (any Series)?
    var annotations: Annotations { get }
}

/// One series: labels and a fresh iterator over its samples in time order.
package protocol Series {
    var labels: Labels { get }
    func makeIterator() -> any SampleIterator
}

/// Iterates samples of one series in increasing timestamp order (Prometheus' chunkenc.Iterator).
package protocol SampleIterator {
    /// Advances; false at the end.
    mutating func next() -> Bool
    /// Advances to the first sample at or after `timestamp`; never moves backwards; false at the end.
    /// When the current sample already satisfies it, stays there.
    mutating func seek(to timestamp: Timestamp) -> Bool
    /// The sample at the current position; only valid after `next` or `seek` returned true.
    var current: (timestamp: Timestamp, value: Double) { get }
    /// Batch form of `next`: advances through every following sample with a timestamp at or
    /// before `end`, appending those whose value is not a staleness marker to `buffer`, and
    /// returns the first sample after `end` (already consumed: the iterator is on it), or nil
    /// when the samples ran out. One call per window instead of two per sample through an
    /// existential; a default implementation loops over `next`.
    mutating func appendSamples(through end: Timestamp, to buffer: inout [Sample]) -> Sample?
    /// Batch form of `next` for instant lookups: advances through every following sample at
    /// or before `end` and returns the newest of them (staleness markers included; nil when
    /// there is none) and the first sample after `end` (consumed, as for `appendSamples`).
    mutating func advance(through end: Timestamp) -> (last: Sample?, next: Sample?)
}

extension SampleIterator {
    package mutating func appendSamples(through end: Timestamp, to buffer: inout [Sample]) -> Sample? {
        while next() {
            let (timestamp, value) = current
            if timestamp > end { return Sample(timestamp: timestamp, value: value) }
            if !value.isStaleMarker { buffer.append(Sample(timestamp: timestamp, value: value)) }
        }
        return nil
    }

    package mutating func advance(through end: Timestamp) -> (last: Sample?, next: Sample?) {
        var last: Sample?
        while next() {
            let (timestamp, value) = current
            if timestamp > end { return (last, Sample(timestamp: timestamp, value: value)) }
            last = Sample(timestamp: timestamp, value: value)
        }
        return (last, nil)
    }
}

/// Warnings and infos gathered while querying, deduplicated, in insertion order.
package struct Annotations: Sendable, Hashable {
    package private(set) var warnings: [String] = []
    package private(set) var infos: [String] = []

    package init() {}

    package mutating func warn(_ message: String) {
        if !warnings.contains(message) { warnings.append(message) }
    }

    package mutating func info(_ message: String) {
        if !infos.contains(message) { infos.append(message) }
    }

    package mutating func merge(_ other: Annotations) {
        other.warnings.forEach { warn($0) }
        other.infos.forEach { info($0) }
    }

    package var isEmpty: Bool { warnings.isEmpty && infos.isEmpty }
}
