import PharosCore
import Synchronization

/// Tuning of the in-memory head.
package struct HeadOptions: Sendable {
    /// Width of the aligned window a chunk may span (Prometheus: the block range, 2h).
    package var chunkRange: Int64 = 2 * 3_600_000
    /// Target samples per chunk; a chunk is cut at this many samples at the latest.
    package var samplesPerChunk = 120
    /// Lock stripes of the series map.
    package var stripes = 1024
    /// Slots of the exemplar ring (Prometheus' `storage.exemplars.max_exemplars`, 100000);
    /// 0 or less keeps no exemplars.
    package var maxExemplars = 100_000

    package init() {}
}

/// A snapshot of head statistics.
package struct HeadStats: Sendable, Hashable {
    package var numSeries: Int
    package var samplesAppended: Int
    package var chunks: Int
    package var chunksCreated: Int
    package var chunksRemoved: Int
    /// Bounds of the samples in the head; nil when the head is empty.
    package var minTime: Timestamp?
    package var maxTime: Timestamp?
}

/// The in-memory part of the TSDB: recent samples of every series, in XOR chunks, with a
/// postings index. Thread-safe; append through `HeadAppender`, read through `HeadReader`.
///
/// Series refs start at 1 and only grow; a ref is never reused in one process.
package final class Head: Sendable {
    package let options: HeadOptions
    package let counters = HeadCounters()
    /// Exemplars of the head's series, in one ring sized by `options.maxExemplars`.
    package let exemplars: ExemplarStore
    let series: StripeSeries
    let postings = MemPostings()
    /// Deleted intervals (`delete`), applied by `HeadReader.series`.
    package let tombstones = HeadTombstones()
    let log: (any HeadLog)?
    /// Serializes commits so the WAL order is the order samples become visible.
    let commitLock = Mutex<Void>(())
    /// Samples in the latest commit: appenders reserve that much up front.
    let commitSizeHint = Atomic<Int>(0)
    /// Numbers appender transactions (from 1) for `MemSeries.stage`.
    let nextTransaction = Atomic<UInt64>(0)
    private let nextRef = Atomic<UInt64>(1)
    private let liveSeries = Atomic<Int>(0)
    private let minTimeValue = Atomic<Int64>(.max)
    private let maxTimeValue = Atomic<Int64>(.min)
    /// Samples before this are out of bounds (set when the head is truncated after a block cut).
    private let minValidTimeValue = Atomic<Int64>(.min)
    private let closedFlag = Atomic<Bool>(false)

    /// Where `HeadAppender.commit` runs its log write (and fsync); nil commits inline.
    let commitExecutor: (any BlockingExecutor)?

    /// A head logging commits to `log` (none: memory only). With a `commitExecutor`, async
    /// commits write the log there, off the cooperative pool.
    package init(options: HeadOptions = HeadOptions(), log: (any HeadLog)? = nil,
                 commitExecutor: (any BlockingExecutor)? = nil) {
        self.options = options
        self.series = StripeSeries(stripes: options.stripes)
        self.exemplars = ExemplarStore(capacity: options.maxExemplars)
        self.log = log
        self.commitExecutor = commitExecutor
    }

    package func makeAppender() -> HeadAppender { HeadAppender(head: self) }

    /// Lowest sample time in the head, nil when empty.
    package var minTime: Timestamp? {
        let value = minTimeValue.load(ordering: .relaxed)
        return value == .max ? nil : value
    }

    /// Highest sample time in the head, nil when empty.
    package var maxTime: Timestamp? {
        let value = maxTimeValue.load(ordering: .relaxed)
        return value == .min ? nil : value
    }

    /// Refuses further appends and commits (the TSDB is closing).
    /// Waits for an in-flight commit to finish first.
    package func close() {
        commitLock.withLock { _ in closedFlag.store(true, ordering: .releasing) }
    }

    package var isClosed: Bool { closedFlag.load(ordering: .acquiring) }

    package var minValidTime: Timestamp { minValidTimeValue.load(ordering: .relaxed) }

    /// The oldest timestamp an appender accepts: not before `minValidTime`, and not more than
    /// half a chunk range before the newest sample (as Prometheus' appendableMinValidTime).
    package var appendableMinValidTime: Timestamp {
        let floor = minValidTime
        guard let max = maxTime else { return floor }
        let (lower, overflow) = max.subtractingReportingOverflow(options.chunkRange / 2)
        return overflow ? floor : Swift.max(floor, lower)
    }

    package var stats: HeadStats {
        let created = counters.chunksCreated.load(ordering: .relaxed)
        let removed = counters.chunksRemoved.load(ordering: .relaxed)
        return HeadStats(numSeries: liveSeries.load(ordering: .relaxed),
                         samplesAppended: counters.samplesAppended.load(ordering: .relaxed),
                         chunks: created - removed, chunksCreated: created, chunksRemoved: removed,
                         minTime: minTime, maxTime: maxTime)
    }

    /// Validates a label set for ingestion: not empty, no empty or duplicate names.
    static func validate(_ labels: Labels) -> String? {
        if labels.isEmpty { return "empty label set" }
        var previous: String?
        for label in labels {
            if label.name.isEmpty { return "empty label name in \(labels)" }
            if label.name == previous { return "duplicate label name \(goQuote(label.name)) in \(labels)" }
            previous = label.name
        }
        return nil
    }

    /// The series for `labels`, created (and indexed) when absent.
    func getOrCreate(_ labels: Labels) -> MemSeries {
        let (entry, created) = series.getOrCreate(labels, logged: false) {
            nextRef.add(1, ordering: .relaxed).oldValue
        }
        if created { didCreate(entry) }
        return entry
    }

    private func didCreate(_ entry: MemSeries) {
        postings.add(entry.ref.raw, entry.labels)
        liveSeries.add(1, ordering: .relaxed)
        counters.seriesCreated.add(1, ordering: .relaxed)
    }

    package func series(_ ref: SeriesRef) -> (labels: Labels, chunks: Int)? {
        series.get(ref.raw).map { ($0.labels, $0.chunkCount) }
    }

    /// Applies one committed sample to memory and updates stats. Caller holds `commitLock`
    /// (or is replaying, alone).
    @discardableResult
    func apply(_ entry: MemSeries, _ timestamp: Timestamp, _ value: Double) -> SeriesAppendOutcome {
        let outcome = entry.append(timestamp, value, chunkRange: options.chunkRange, samplesPerChunk: options.samplesPerChunk)
        switch outcome {
        case .appended(let cut):
            counters.samplesAppended.add(1, ordering: .relaxed)
            if cut { counters.chunksCreated.add(1, ordering: .relaxed) }
            minTimeValue.min(timestamp, ordering: .relaxed)
            maxTimeValue.max(timestamp, ordering: .relaxed)
        case .rejected(let kind):
            counters.reject(kind)
        case .ignoredDuplicate:
            break
        }
        return outcome
    }

    /// Applies a commit's samples to memory, updating the shared statistics once for the
    /// whole commit rather than per sample. Caller holds `commitLock`.
    func applyCommit(_ samples: [(series: MemSeries, timestamp: Timestamp, value: Double)]) {
        var appended = 0, cuts = 0
        var low = Int64.max, high = Int64.min
        for item in samples {
            let outcome = item.series.append(item.timestamp, item.value, chunkRange: options.chunkRange,
                                             samplesPerChunk: options.samplesPerChunk)
            switch outcome {
            case .appended(let cut):
                appended += 1
                if cut { cuts += 1 }
                low = Swift.min(low, item.timestamp)
                high = Swift.max(high, item.timestamp)
            case .rejected(let kind):
                counters.reject(kind)
            case .ignoredDuplicate:
                break
            }
        }
        if appended > 0 {
            counters.samplesAppended.add(appended, ordering: .relaxed)
            minTimeValue.min(low, ordering: .relaxed)
            maxTimeValue.max(high, ordering: .relaxed)
        }
        if cuts > 0 { counters.chunksCreated.add(cuts, ordering: .relaxed) }
    }

    /// Makes sure fresh refs stay above a ref taken from the WAL.
    func noteReplayed(ref: UInt64) {
        var current = nextRef.load(ordering: .relaxed)
        while current <= ref {
            let (exchanged, original) = nextRef.compareExchange(expected: current, desired: ref + 1, ordering: .relaxed)
            if exchanged { return }
            current = original
        }
    }

    func liveSeriesDidChange(by delta: Int) { liveSeries.add(delta, ordering: .relaxed) }

    func raiseMinValidTime(to mint: Timestamp) { minValidTimeValue.max(mint, ordering: .relaxed) }

    /// Recomputes min/max time from the remaining series (after truncation).
    func recomputeTimeBounds() {
        var low = Int64.max, high = Int64.min
        for entry in series.all() {
            guard let range = entry.timeRange else { continue }
            low = Swift.min(low, range.min)
            high = Swift.max(high, range.max)
        }
        minTimeValue.store(low, ordering: .relaxed)
        // Keep maxTime monotonic: appendable bounds must never move back.
        if high != .min { maxTimeValue.max(high, ordering: .relaxed) }
    }
}
