import PharosCore
import Synchronization

/// The head's series map, split into lock stripes so appenders of different series rarely
/// contend: one set of stripes keyed by ref, one keyed by the labels' hash.
///
/// Lock order when both are needed: hash stripe, then ref stripe.
final class StripeSeries: Sendable {
    private final class RefStripe: Sendable {
        let map = Mutex<[UInt64: MemSeries]>([:])
    }

    private final class LabelStripe: Sendable {
        let map = Mutex<[Labels: MemSeries]>([:])
    }

    private let byRef: [RefStripe]
    private let byLabels: [LabelStripe]
    private let mask: Int

    /// `stripes` is rounded up to a power of two.
    init(stripes: Int) {
        var count = 1
        while count < max(1, stripes) { count <<= 1 }
        mask = count - 1
        byRef = (0..<count).map { _ in RefStripe() }
        byLabels = (0..<count).map { _ in LabelStripe() }
    }

    private func refStripe(_ ref: UInt64) -> RefStripe { byRef[Int(truncatingIfNeeded: ref) & mask] }
    private func labelStripe(_ labels: Labels) -> LabelStripe { byLabels[labels.hashValue & mask] }

    func get(_ ref: UInt64) -> MemSeries? { refStripe(ref).map.withLock { $0[ref] } }

    func get(_ labels: Labels) -> MemSeries? { labelStripe(labels).map.withLock { $0[labels] } }

    /// The series for `labels`, created with `makeRef()` when absent. `created` is true when new.
    func getOrCreate(_ labels: Labels, logged: Bool, makeRef: () -> UInt64) -> (series: MemSeries, created: Bool) {
        labelStripe(labels).map.withLock { map in
            if let existing = map[labels] { return (existing, false) }
            let series = MemSeries(ref: SeriesRef(makeRef()), labels: labels, logged: logged)
            map[labels] = series
            refStripe(series.ref.raw).map.withLock { $0[series.ref.raw] = series }
            return (series, true)
        }
    }

    /// Removes the series with these refs from both maps.
    func remove(_ series: [MemSeries]) {
        for entry in series {
            labelStripe(entry.labels).map.withLock { map in
                if map[entry.labels] === entry { map[entry.labels] = nil }
                refStripe(entry.ref.raw).map.withLock { $0[entry.ref.raw] = nil }
            }
        }
    }

    /// Every series, in no particular order (a snapshot; concurrent changes may or may not show).
    func all() -> [MemSeries] {
        var out: [MemSeries] = []
        for stripe in byRef { stripe.map.withLock { out.append(contentsOf: $0.values) } }
        return out
    }
}
