import PharosCore
import Synchronization

/// Monotonic counters of the head. Thread-safe (relaxed atomics); the server maps them to
/// `prometheus_tsdb_head_*` and the per-reason rejection metrics.
package final class HeadCounters: Sendable {
    package let samplesAppended = Atomic<Int>(0)
    package let seriesCreated = Atomic<Int>(0)
    package let seriesRemoved = Atomic<Int>(0)
    package let chunksCreated = Atomic<Int>(0)
    package let chunksRemoved = Atomic<Int>(0)
    package let outOfOrder = Atomic<Int>(0)
    package let duplicateTimestamp = Atomic<Int>(0)
    package let outOfBounds = Atomic<Int>(0)
    package let tooOld = Atomic<Int>(0)
    package let invalidLabels = Atomic<Int>(0)

    init() {}

    /// Counts one rejected sample under its reason (`.unavailable` is not counted).
    func reject(_ kind: AppendError.Kind) {
        switch kind {
        case .outOfOrder: outOfOrder.add(1, ordering: .relaxed)
        case .duplicateTimestamp: duplicateTimestamp.add(1, ordering: .relaxed)
        case .outOfBounds: outOfBounds.add(1, ordering: .relaxed)
        case .tooOld: tooOld.add(1, ordering: .relaxed)
        case .invalidLabels: invalidLabels.add(1, ordering: .relaxed)
        case .unavailable, .outOfOrderExemplar, .exemplarLabelsTooLong, .unknownSeries: break
        }
    }

    /// The rejections so far, by reason.
    package var rejections: [AppendError.Kind: Int] {
        [
            .outOfOrder: outOfOrder.load(ordering: .relaxed),
            .duplicateTimestamp: duplicateTimestamp.load(ordering: .relaxed),
            .outOfBounds: outOfBounds.load(ordering: .relaxed),
            .tooOld: tooOld.load(ordering: .relaxed),
            .invalidLabels: invalidLabels.load(ordering: .relaxed),
        ]
    }
}
