import PharosCore
import Synchronization

/// An append transaction on the head (see `Appender` for the contract).
///
/// `append` validates eagerly against the series' newest committed sample and this
/// transaction's own staged samples. `commit` logs new series and then samples to the head's
/// `HeadLog` and only then applies them to memory, under the head's commit lock; a sample that
/// another commit made out of order meanwhile is dropped and counted. Exemplars are checked
/// against the head's `ExemplarStore` when staged, logged after the samples and added to the
/// store at commit (where a meanwhile out-of-order one is dropped and counted). Not thread-safe.
package final class HeadAppender: Appender {
    private let head: Head
    private var pending: [(series: MemSeries, timestamp: Timestamp, value: Double)] = []
    /// Identifies this transaction to `MemSeries.stage`, which keeps its newest staged sample.
    private let transaction: UInt64
    /// Series this transaction holds a pending mark on (see `MemSeries.pendingAppenders`).
    private var marked: [MemSeries] = []
    private var pendingExemplars: [(series: MemSeries, exemplar: Exemplar)] = []

    init(head: Head) {
        self.head = head
        transaction = head.nextTransaction.add(1, ordering: .relaxed).newValue
    }

    /// Samples staged and not yet committed.
    package var pendingCount: Int { pending.count }

    package func append(_ ref: SeriesRef, _ labels: Labels, at timestamp: Timestamp, value: Double,
                        options: AppendOptions) throws(AppendError) -> SeriesRef {
        guard !head.isClosed else { throw AppendError(.unavailable, "the head is closed") }
        if pending.isEmpty && pending.capacity == 0 { reserveForTypicalCommit() }
        // Before the lookup, as Prometheus: a sample out of bounds creates no series (so an
        // exemplar that comes with it has none to attach to either).
        let minValid = head.appendableMinValidTime
        if timestamp < minValid {
            head.counters.reject(.outOfBounds)
            throw AppendError(.outOfBounds, "timestamp \(timestamp) is before \(minValid) for \(labels)")
        }
        let entry: MemSeries
        if !ref.isUnknown, let known = head.series.get(ref.raw) {
            entry = known
        } else if let known = head.series.get(labels) {
            // A label set already in the head passed validation when it was created.
            entry = known
        } else {
            if let problem = Head.validate(labels) {
                head.counters.reject(.invalidLabels)
                throw AppendError(.invalidLabels, problem)
            }
            entry = head.getOrCreate(labels)
        }
        let (verdict, first) = entry.stage(timestamp, value, transaction: transaction)
        switch verdict {
        case .appended:
            pending.append((entry, timestamp, value))
            if first {
                entry.pendingAppenders.add(1, ordering: .relaxed)
                marked.append(entry)
            }
        case .ignoredDuplicate:
            break
        case .rejected(let kind):
            head.counters.reject(kind)
            throw AppendError(kind, "timestamp \(timestamp) for \(entry.labels)")
        }
        return entry.ref
    }

    /// Stages an exemplar of a series the head has (see `Appender.appendExemplar`).
    package func appendExemplar(_ ref: SeriesRef, _ labels: Labels, _ exemplar: Exemplar) throws(AppendError) -> SeriesRef {
        guard !head.isClosed else { throw AppendError(.unavailable, "the head is closed") }
        guard head.exemplars.capacity > 0 else { return ref }
        let entry: MemSeries
        if !ref.isUnknown, let known = head.series.get(ref.raw) {
            entry = known
        } else if let known = head.series.get(labels) {
            entry = known
        } else {
            throw AppendError(.unknownSeries, "no series \(labels) for the exemplar")
        }
        var exemplar = exemplar
        exemplar.labels = Labels(exemplar.labels.filter { !$0.value.isEmpty })
        switch head.exemplars.check(entry.labels, exemplar) {
        case .success(.stored): pendingExemplars.append((entry, exemplar))
        case .success: break
        case .failure(let error): throw error
        }
        return entry.ref
    }

    /// Sizes the buffers like the head's recent commits, so a scrape of thousands of series
    /// does not regrow them a dozen times.
    private func reserveForTypicalCommit() {
        let hint = min(head.commitSizeHint.load(ordering: .relaxed), 1 << 20)
        guard hint > 16 else { return }
        pending.reserveCapacity(hint)
        marked.reserveCapacity(hint)
    }

    /// Logs and applies the staged samples (see the type's comment). With the head's
    /// `commitExecutor` the log write, the fsync and the wait for the commit lock happen on
    /// its thread; one hop per commit (exemplar-only commits included), none when nothing is staged.
    package func commit() async throws {
        guard !pending.isEmpty || !pendingExemplars.isEmpty else { return rollback() }
        guard let executor = head.commitExecutor else { return try commitNow() }
        let handOver = WaitingHandOver(value: self) // this task waits; nobody else holds the appender
        do {
            try await executor.run { try handOver.value.commitNow() }
        } catch {
            rollback() // cancelled before it ran: still end the transaction
            throw error
        }
    }

    /// The synchronous body of `commit`, for callers outside async contexts.
    package func commitNow() throws {
        defer { rollback() }
        guard !pending.isEmpty || !pendingExemplars.isEmpty else { return }
        if !pending.isEmpty { head.commitSizeHint.store(pending.count, ordering: .relaxed) }
        try head.commitLock.withLock { _ in
            guard !head.isClosed else { throw TSDBError(.closed, "cannot commit: the head is closed", location: "head") }
            // Samples staged before a compaction claimed their range are refused now.
            let floor = head.minValidTime
            if floor != .min {
                let before = pending.count
                pending.removeAll { $0.timestamp < floor }
                for _ in pending.count..<before { head.counters.reject(.outOfBounds) }
                if pending.isEmpty && pendingExemplars.isEmpty { return }
            }
            // A series truncation removed after staging is re-created under a fresh ref.
            for index in pending.indices where pending[index].series.removed.load(ordering: .acquiring) {
                pending[index].series = head.getOrCreate(pending[index].series.labels)
            }
            for index in pendingExemplars.indices where pendingExemplars[index].series.removed.load(ordering: .acquiring) {
                pendingExemplars[index].series = head.getOrCreate(pendingExemplars[index].series.labels)
            }
            if let log = head.log {
                var newSeries: [(ref: SeriesRef, labels: Labels)] = []
                var seen = Set<UInt64>()
                for item in pending where !item.series.logged.load(ordering: .acquiring) {
                    if seen.insert(item.series.ref.raw).inserted { newSeries.append((item.series.ref, item.series.labels)) }
                }
                for item in pendingExemplars where !item.series.logged.load(ordering: .acquiring) {
                    if seen.insert(item.series.ref.raw).inserted { newSeries.append((item.series.ref, item.series.labels)) }
                }
                let samples = pending.map { LoggedSample(ref: $0.series.ref, timestamp: $0.timestamp, value: $0.value) }
                let exemplars = pendingExemplars.map { LoggedExemplar(ref: $0.series.ref, exemplar: $0.exemplar) }
                try log.logCommit(series: newSeries, samples: samples, exemplars: exemplars)
                for item in pending { item.series.logged.store(true, ordering: .releasing) }
                for item in pendingExemplars { item.series.logged.store(true, ordering: .releasing) }
            }
            if !pending.isEmpty { head.applyCommit(pending) }
            for item in pendingExemplars {
                // Out of order now only if another commit stored a newer one meanwhile: counted, dropped.
                _ = try? head.exemplars.add(item.series.labels, item.exemplar)
            }
        }
    }

    package func rollback() {
        pending.removeAll()
        pendingExemplars.removeAll()
        for entry in marked { entry.pendingAppenders.subtract(1, ordering: .releasing) }
        marked.removeAll()
    }

    deinit {
        for entry in marked { entry.pendingAppenders.subtract(1, ordering: .releasing) }
    }
}
