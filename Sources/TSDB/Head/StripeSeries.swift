import PharosCore
import Synchronization

/// A label set with its hash computed once: the label stripe and the dictionary lookup
/// share one pass over the strings.
struct HashedLabels: Hashable {
    let labels: Labels
    let hash: Int

    init(_ labels: Labels) {
        self.init(labels: labels, hash: labels.hashValue)
    }

    init(labels: Labels, hash: Int) {
        self.labels = labels
        self.hash = hash
    }

    func hash(into hasher: inout Hasher) { hasher.combine(hash) }

    static func == (lhs: HashedLabels, rhs: HashedLabels) -> Bool {
        lhs.hash == rhs.hash && lhs.labels == rhs.labels
    }
}

/// The head's series map, split into lock stripes so appenders of different series rarely
/// contend: one set of stripes keyed by ref, one keyed by the labels' hash. New series get
/// their label strings interned through `symbols`.
///
/// Lock order when both are needed: hash stripe, then ref stripe.
final class StripeSeries: Sendable {
    private final class RefStripe: Sendable {
        let map = Mutex(RefTable())
    }

    private final class LabelStripe: Sendable {
        let map = Mutex<[HashedLabels: MemSeries]>([:])
    }

    private let byRef: [RefStripe]
    private let byLabels: [LabelStripe]
    private let mask: Int
    let symbols = SymbolTable()

    /// `stripes` is rounded up to a power of two.
    init(stripes: Int) {
        var count = 1
        while count < max(1, stripes) { count <<= 1 }
        mask = count - 1
        byRef = (0..<count).map { _ in RefStripe() }
        byLabels = (0..<count).map { _ in LabelStripe() }
    }

    private func refStripe(_ ref: UInt64) -> RefStripe { byRef[Int(truncatingIfNeeded: ref) & mask] }
    private func labelStripe(_ key: HashedLabels) -> LabelStripe { byLabels[key.hash & mask] }

    func get(_ ref: UInt64) -> MemSeries? { refStripe(ref).map.withLock { $0.get(ref) } }

    func get(_ labels: Labels) -> MemSeries? {
        let key = HashedLabels(labels)
        return labelStripe(key).map.withLock { $0[key] }
    }

    /// The series for `labels`, created with `makeRef()` when absent. `created` is true when new.
    func getOrCreate(_ labels: Labels, logged: Bool, makeRef: () -> UInt64) -> (series: MemSeries, created: Bool) {
        let key = HashedLabels(labels)
        return labelStripe(key).map.withLock { map in
            if let existing = map[key] { return (existing, false) }
            let interned = symbols.intern(labels)
            let series = MemSeries(ref: SeriesRef(makeRef()), labels: interned, logged: logged)
            map[HashedLabels(labels: interned, hash: key.hash)] = series
            refStripe(series.ref.raw).map.withLock { $0.set(series.ref.raw, series) }
            return (series, true)
        }
    }

    /// Removes the series with these refs from both maps.
    func remove(_ series: [MemSeries]) {
        for entry in series {
            let key = HashedLabels(entry.labels)
            labelStripe(key).map.withLock { map in
                if map[key] === entry { map[key] = nil }
                refStripe(entry.ref.raw).map.withLock { $0.remove(entry.ref.raw, ifIs: entry) }
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
