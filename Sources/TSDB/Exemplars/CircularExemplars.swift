import PharosCore

/// Prometheus' `CircularExemplarStorage` as a value type: one ring of `capacity` slots shared by
/// every series, the newest exemplar overwriting the oldest, and per series an index entry
/// pointing at its oldest and newest slot, with each slot linking to the series' next newer one.
///
/// Rules (Prometheus 2.42, whose live answers the tests compare with):
/// - an exemplar whose label names and values exceed 128 code points is refused;
/// - an exemplar equal to its series' newest one (`Exemplar.isDuplicate(of:)`) is a no-op;
/// - otherwise one not newer than the series' newest is out of order: refused and counted.
///
/// Overwriting a slot moves its series' oldest pointer on, or drops the series when that was its
/// last exemplar. `resize` keeps the newest exemplars (in ingestion order) that fit. A capacity
/// of 0 stores nothing (`add` reports `.disabled`). Not thread-safe; `ExemplarStore` wraps it.
package struct CircularExemplars: Sendable {
    /// What `add` did with an exemplar it did not refuse.
    package enum Outcome: Sendable, Hashable {
        case stored
        /// Equal to the series' newest exemplar: nothing changed.
        case duplicate
        /// The capacity is 0.
        case disabled
    }

    struct Slot: Sendable {
        var exemplar: Exemplar
        /// The slot of the series' next newer exemplar, or -1 for its newest.
        var next: Int
        /// Index into `series`.
        var series: Int
    }

    struct SeriesEntry: Sendable {
        var labels: Labels
        var oldest: Int
        var newest: Int
    }

    private(set) var slots: [Slot?]
    /// The slot the next exemplar goes to (the oldest one once the ring is full).
    private(set) var nextIndex = 0
    private var series: [SeriesEntry?] = []
    private var freeSeries: [Int] = []
    private var index: [Labels: Int] = [:]
    /// Exemplars stored since creation (duplicates and refusals not counted).
    package private(set) var appended = 0
    /// Out-of-order exemplars refused by `add`.
    package private(set) var outOfOrder = 0
    /// Slots in use.
    package private(set) var count = 0

    package init(capacity: Int) {
        slots = Array(repeating: nil, count: max(capacity, 0))
    }

    package var capacity: Int { slots.count }
    /// Series with at least one exemplar stored.
    package var seriesCount: Int { index.count }

    /// The oldest stored exemplar's timestamp (Prometheus'
    /// `prometheus_tsdb_exemplar_last_exemplars_timestamp_seconds`, in ms); nil when empty.
    package var oldestTimestamp: Timestamp? {
        guard capacity > 0 else { return nil }
        return (slots[nextIndex] ?? slots[0])?.exemplar.timestamp
    }

    /// Why `exemplar` would be refused for the series `labels`, or what `add` would do otherwise;
    /// counts nothing.
    package func check(_ labels: Labels, _ exemplar: Exemplar) -> Result<Outcome, AppendError> {
        guard capacity > 0 else { return .success(.disabled) }
        if exemplar.labelSetLength > Exemplar.maxLabelSetLength {
            return .failure(AppendError(.exemplarLabelsTooLong, "\(exemplar.labels) for \(labels)"))
        }
        guard let id = index[labels], let newest = slots[series[id]!.newest]?.exemplar else { return .success(.stored) }
        if exemplar.isDuplicate(of: newest) { return .success(.duplicate) }
        if exemplar.timestamp <= newest.timestamp {
            return .failure(AppendError(.outOfOrderExemplar, "timestamp \(exemplar.timestamp) for \(labels)"))
        }
        return .success(.stored)
    }

    /// Stores `exemplar` for the series `labels` unless `check` refuses it (then throws, counting
    /// out-of-order ones) or reports a duplicate or a disabled store.
    @discardableResult
    package mutating func add(_ labels: Labels, _ exemplar: Exemplar) throws(AppendError) -> Outcome {
        let outcome: Outcome
        switch check(labels, exemplar) {
        case .success(let verdict): outcome = verdict
        case .failure(let error):
            if error.kind == .outOfOrderExemplar { outOfOrder += 1 }
            throw error
        }
        guard outcome == .stored else { return outcome }
        insert(labels, exemplar)
        appended += 1
        return .stored
    }

    /// Appends without checks (also used to migrate on resize).
    private mutating func insert(_ labels: Labels, _ exemplar: Exemplar) {
        let slot = nextIndex
        // Link first, evict second, as Prometheus does: when the series' own oldest slot is the one
        // being overwritten, the link keeps the series alive and eviction moves its oldest on.
        let id: Int
        if let known = index[labels] {
            id = known
            slots[series[id]!.newest]!.next = slot
        } else {
            id = allocateSeries(SeriesEntry(labels: labels, oldest: slot, newest: slot))
            index[labels] = id
        }
        if let evicted = slots[slot] {
            if evicted.next == -1 {
                index[series[evicted.series]!.labels] = nil
                series[evicted.series] = nil
                freeSeries.append(evicted.series)
            } else {
                series[evicted.series]!.oldest = evicted.next
            }
        } else {
            count += 1
        }
        slots[slot] = Slot(exemplar: exemplar, next: -1, series: id)
        series[id]!.newest = slot
        nextIndex = (slot + 1) % capacity
    }

    private mutating func allocateSeries(_ entry: SeriesEntry) -> Int {
        if let reused = freeSeries.popLast() {
            series[reused] = entry
            return reused
        }
        series.append(entry)
        return series.count - 1
    }

    /// Stored exemplars and their series' labels, oldest stored first.
    package func all() -> [(series: Labels, exemplar: Exemplar)] {
        guard capacity > 0 else { return [] }
        var out: [(series: Labels, exemplar: Exemplar)] = []
        out.reserveCapacity(count)
        for offset in 0..<capacity {
            if let slot = slots[(nextIndex + offset) % capacity] { out.append((series[slot.series]!.labels, slot.exemplar)) }
        }
        return out
    }

    /// Changes the capacity, keeping the newest `min(newCapacity, count)` exemplars in their
    /// ingestion order; a negative capacity is 0. Counters are kept. Returns how many exemplars
    /// were kept.
    @discardableResult
    package mutating func resize(to newCapacity: Int) -> Int {
        let newCapacity = max(newCapacity, 0)
        guard newCapacity != capacity else { return count }
        let kept = all().suffix(newCapacity)
        slots = Array(repeating: nil, count: newCapacity)
        nextIndex = 0
        series = []
        freeSeries = []
        index = [:]
        count = 0
        for entry in kept { insert(entry.series, entry.exemplar) }
        return kept.count
    }

    /// Prometheus' `Select`: the exemplars in `[start, end]` of the series matching every
    /// matcher of at least one set, sorted by series labels; series without any are left out.
    package func select(from start: Timestamp, through end: Timestamp, matching selectors: [[LabelMatcher]]) -> [ExemplarQueryResult] {
        var results: [ExemplarQueryResult] = []
        for entry in series {
            guard let entry, let oldest = slots[entry.oldest], let newest = slots[entry.newest] else { continue }
            if oldest.exemplar.timestamp > end || newest.exemplar.timestamp < start { continue }
            guard selectors.contains(where: { set in set.allSatisfy { $0.matches(entry.labels.value(of: $0.name) ?? "") } }) else {
                continue
            }
            var found: [Exemplar] = []
            var current = oldest
            while current.exemplar.timestamp <= end {
                if current.exemplar.timestamp >= start { found.append(current.exemplar) }
                guard current.next >= 0, let next = slots[current.next] else { break }
                current = next
            }
            if !found.isEmpty { results.append(ExemplarQueryResult(seriesLabels: entry.labels, exemplars: found)) }
        }
        return results.sorted { $0.seriesLabels < $1.seriesLabels }
    }
}
