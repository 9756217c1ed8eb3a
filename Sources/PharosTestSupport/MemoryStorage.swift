import PharosCore
import Synchronization

/// An in-memory `Appendable & Queryable` for tests and the PromQL conformance runner.
///
/// Thread-safe (one `Mutex`). Series are keyed by their label set; samples are kept sorted by
/// timestamp and a later sample at an existing timestamp replaces it (test loads may overwrite).
/// Appenders stage samples privately until `commit()`; `clear()` drops everything.
package final class MemoryStorage: Appendable, Queryable {
    private let state = Mutex<[Labels: [Sample]]>([:])

    package init() {}

    package func makeAppender() -> any Appender { MemoryAppender(storage: self) }

    /// Drops all series.
    package func clear() { state.withLock { $0.removeAll() } }

    /// Number of stored series.
    package var seriesCount: Int { state.withLock { $0.count } }

    fileprivate func apply(_ staged: [(Labels, Sample)]) {
        state.withLock { series in
            for (labels, sample) in staged {
                series[labels, default: []].insertSorted(sample)
            }
        }
    }

    package func withQuerier<R: Sendable>(from mint: Timestamp, through maxt: Timestamp,
                                          _ body: (any Querier) async throws -> R) async throws -> R {
        let snapshot = state.withLock { $0 }
        return try await body(MemoryQuerier(series: snapshot, mint: mint, maxt: maxt))
    }
}

extension Array where Element == Sample {
    fileprivate mutating func insertSorted(_ sample: Sample) {
        if let last = last, last.timestamp < sample.timestamp {
            append(sample)
            return
        }
        var low = 0, high = count
        while low < high {
            let mid = (low + high) / 2
            if self[mid].timestamp < sample.timestamp { low = mid + 1 } else { high = mid }
        }
        if low < count, self[low].timestamp == sample.timestamp {
            self[low] = sample
        } else {
            insert(sample, at: low)
        }
    }
}

private final class MemoryAppender: Appender {
    private let storage: MemoryStorage
    private var staged: [(Labels, Sample)] = []

    init(storage: MemoryStorage) { self.storage = storage }

    func append(_ ref: SeriesRef, _ labels: Labels, at timestamp: Timestamp, value: Double,
                options: AppendOptions) throws(AppendError) -> SeriesRef {
        guard !labels.isEmpty else { throw AppendError(.invalidLabels, "empty label set") }
        staged.append((labels, Sample(timestamp: timestamp, value: value)))
        return .unknown
    }

    func commit() async throws {
        storage.apply(staged)
        staged = []
    }

    func rollback() { staged = [] }
}

private struct MemoryQuerier: Querier {
    let series: [Labels: [Sample]]
    let mint: Timestamp
    let maxt: Timestamp

    func select(_ matchers: [LabelMatcher], hints: SelectHints?, sorted: Bool) async throws -> any SeriesSet {
        let low = hints?.start ?? mint, high = hints?.end ?? maxt
        var out: [ArraySeries] = []
        for (labels, samples) in series where matchers.matches(labels) {
            let window = samples.filter { $0.timestamp >= low && $0.timestamp <= high }
            if !window.isEmpty { out.append(ArraySeries(labels: labels, samples: window)) }
        }
        if sorted { out.sort { $0.labels < $1.labels } }
        return ArraySeriesSet(out)
    }

    func labelNames(matching matchers: [LabelMatcher]) async throws -> [String] {
        var names = Set<String>()
        for labels in series.keys where matchers.matches(labels) { labels.forEach { names.insert($0.name) } }
        return names.sorted()
    }

    func labelValues(_ name: String, matching matchers: [LabelMatcher]) async throws -> [String] {
        var values = Set<String>()
        for labels in series.keys where matchers.matches(labels) {
            if let value = labels.value(of: name) { values.insert(value) }
        }
        return values.sorted()
    }
}
