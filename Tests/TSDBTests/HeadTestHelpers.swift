import PharosCore
import Synchronization
@testable import TSDB

func labels(_ pairs: KeyValuePairs<String, String>) -> Labels {
    Labels(pairs.map { Label(name: $0.key, value: $0.value) })
}

/// All series of a select as (labels, samples), in the order returned.
func selectAll(_ querier: BlockMergeQuerier, _ matchers: [LabelMatcher], sorted: Bool = true) async throws -> [(Labels, [Sample])] {
    var set = try await querier.select(matchers, hints: nil, sorted: sorted)
    var out: [(Labels, [Sample])] = []
    while let series = try set.next() {
        var iterator = series.makeIterator()
        var samples: [Sample] = []
        while iterator.next() { samples.append(Sample(timestamp: iterator.current.timestamp, value: iterator.current.value)) }
        out.append((series.labels, samples))
    }
    return out
}

/// A HeadLog that records commits and can be told to fail.
final class RecordingLog: HeadLog {
    struct Commit: Sendable {
        var series: [(ref: SeriesRef, labels: Labels)]
        var samples: [LoggedSample]
        var exemplars: [LoggedExemplar] = []
    }

    let commits = Mutex<[Commit]>([])
    let tombstones = Mutex<[(ref: UInt64, interval: TimeInterval)]>([])
    let failNext = Atomic<Bool>(false)

    struct Injected: Error {}

    func logCommit(series: [(ref: SeriesRef, labels: Labels)], samples: [LoggedSample], exemplars: [LoggedExemplar]) throws {
        if failNext.exchange(false, ordering: .relaxed) { throw Injected() }
        commits.withLock { $0.append(Commit(series: series, samples: samples, exemplars: exemplars)) }
    }

    func logTombstones(_ stones: [(ref: UInt64, interval: TimeInterval)]) throws {
        if failNext.exchange(false, ordering: .relaxed) { throw Injected() }
        tombstones.withLock { $0 += stones }
    }
}
