import PharosCore
import Synchronization

/// What happened when a sample was applied to a series.
enum SeriesAppendOutcome: Equatable {
    case appended(cutChunk: Bool)
    /// Same timestamp and bit-identical value as the newest sample: nothing to do.
    case ignoredDuplicate
    case rejected(AppendError.Kind)
}

/// One series in the head: labels, closed chunks and the open chunk it appends to.
///
/// Thread-safe: the chunk state sits behind a per-series lock; reads snapshot it.
final class MemSeries: Sendable {
    let ref: SeriesRef
    let labels: Labels
    /// True once a series record for this series is in the WAL (or it came from the WAL).
    let logged: Atomic<Bool>
    /// Open appenders that staged samples for this series; truncation keeps such series.
    let pendingAppenders = Atomic<Int>(0)
    /// Set when truncation dropped the series from the head; commits then re-resolve by labels.
    let removed = Atomic<Bool>(false)
    private let state: Mutex<State>

    struct State {
        var closed: [ChunkSnapshot] = []
        var open = XORChunk()
        /// The open chunk is cut before a sample at or after this time.
        var nextCutAt: Timestamp = .min
        var lastTimestamp: Timestamp = .min
        var lastValue: Double = 0
        /// The open transaction that staged a sample here last, and that sample.
        var stagedBy: UInt64 = 0
        var stagedTimestamp: Timestamp = .min
        var stagedValue: Double = 0

        var isEmpty: Bool { closed.isEmpty && open.count == 0 }
    }

    init(ref: SeriesRef, labels: Labels, logged: Bool) {
        self.ref = ref
        self.labels = labels
        self.logged = Atomic(logged)
        self.state = Mutex(State())
    }

    /// The check `append` will make, without changing anything (used when staging).
    func check(_ timestamp: Timestamp, _ value: Double) -> SeriesAppendOutcome {
        state.withLock { Self.check($0, timestamp, value) }
    }

    /// Validates a sample for transaction `transaction` (never 0) against its own newest
    /// staged sample when it staged one here, otherwise against the committed state, and on
    /// success remembers it as staged. `first` is true when the transaction had not staged
    /// here before (as far as the series knows: when two transactions interleave on one
    /// series, the later one takes over the record and the earlier one's own order is checked
    /// again at commit).
    func stage(_ timestamp: Timestamp, _ value: Double, transaction: UInt64) -> (verdict: SeriesAppendOutcome, first: Bool) {
        state.withLock { state in
            let first = state.stagedBy != transaction
            let verdict: SeriesAppendOutcome
            if first {
                verdict = Self.check(state, timestamp, value)
            } else if timestamp > state.stagedTimestamp {
                verdict = .appended(cutChunk: false)
            } else if timestamp < state.stagedTimestamp {
                verdict = .rejected(.outOfOrder)
            } else {
                verdict = value.bitPattern == state.stagedValue.bitPattern ? .ignoredDuplicate : .rejected(.duplicateTimestamp)
            }
            if case .appended = verdict {
                state.stagedBy = transaction
                state.stagedTimestamp = timestamp
                state.stagedValue = value
            }
            return (verdict, first)
        }
    }

    private static func check(_ state: State, _ timestamp: Timestamp, _ value: Double) -> SeriesAppendOutcome {
        guard state.lastTimestamp != .min || state.open.count > 0 else { return .appended(cutChunk: false) }
        if timestamp > state.lastTimestamp { return .appended(cutChunk: false) }
        if timestamp < state.lastTimestamp { return .rejected(.outOfOrder) }
        return value.bitPattern == state.lastValue.bitPattern ? .ignoredDuplicate : .rejected(.duplicateTimestamp)
    }

    /// Appends one sample, cutting the open chunk at `samplesPerChunk` samples or at the end of
    /// its `chunkRange`-aligned window (with Prometheus' early estimate so chunks come out even).
    func append(_ timestamp: Timestamp, _ value: Double, chunkRange: Int64, samplesPerChunk: Int) -> SeriesAppendOutcome {
        state.withLock { state in
            let verdict = Self.check(state, timestamp, value)
            guard case .appended = verdict else { return verdict }
            var cut = false
            if state.open.count > 0 {
                if state.open.count == samplesPerChunk / 4 {
                    state.nextCutAt = Self.estimatedChunkEnd(start: state.open.firstTimestamp, current: state.open.lastTimestamp,
                                                             rangeEnd: state.nextCutAt, ratioToFull: 4)
                }
                if timestamp >= state.nextCutAt || state.open.count >= samplesPerChunk || state.open.isFull {
                    state.closed.append(ChunkSnapshot(minTime: state.open.firstTimestamp, maxTime: state.open.lastTimestamp,
                                                      bytes: state.open.compactBytes))
                    state.open = XORChunk()
                }
            }
            if state.open.count == 0 {
                state.nextCutAt = Self.rangeEnd(of: timestamp, chunkRange: chunkRange)
                cut = true
            }
            state.open.append(timestamp: timestamp, value: value)
            state.lastTimestamp = timestamp
            state.lastValue = value
            return .appended(cutChunk: cut)
        }
    }

    /// End of the `chunkRange`-aligned window holding `timestamp` (Prometheus' rangeForTimestamp).
    static func rangeEnd(of timestamp: Timestamp, chunkRange: Int64) -> Timestamp {
        guard chunkRange > 0 else { return .max }
        let floor = timestamp >= 0 ? timestamp / chunkRange : (timestamp - chunkRange + 1) / chunkRange
        let (end, overflow) = (floor * chunkRange).addingReportingOverflow(chunkRange)
        return overflow ? .max : end
    }

    /// Prometheus' computeChunkEndTime: split the rest of the window into chunks of even size.
    static func estimatedChunkEnd(start: Timestamp, current: Timestamp, rangeEnd: Timestamp, ratioToFull: Double) -> Timestamp {
        let n = Double(rangeEnd - start) / (Double(current - start + 1) * ratioToFull)
        if n <= 1 { return rangeEnd }
        return Timestamp(Double(start) + Double(rangeEnd - start) / n.rounded(.down))
    }

    /// Snapshots of the chunks overlapping [mint, maxt], oldest first.
    func chunks(from mint: Timestamp, through maxt: Timestamp) -> [ChunkSnapshot] {
        state.withLock { state in
            var out = state.closed.filter { $0.overlaps(mint, maxt) }
            if state.open.count > 0 {
                let open = ChunkSnapshot(minTime: state.open.firstTimestamp, maxTime: state.open.lastTimestamp, bytes: state.open.bytes)
                if open.overlaps(mint, maxt) { out.append(open) }
            }
            return out
        }
    }

    /// Bounds of the closed chunks overlapping [mint, maxt], and whether the open chunk does.
    func chunkBounds(from mint: Timestamp, through maxt: Timestamp) -> (closed: [(min: Timestamp, max: Timestamp)], open: Bool) {
        state.withLock { state in
            let closed = state.closed.lazy.filter { $0.overlaps(mint, maxt) }.map { (min: $0.minTime, max: $0.maxTime) }
            let open = state.open.count > 0 && state.open.firstTimestamp <= maxt && state.open.lastTimestamp >= mint
            return (Array(closed), open)
        }
    }

    /// Drops closed chunks that end before `mint`. Returns how many were dropped and whether
    /// the series is now empty (no samples at or after `mint`).
    func truncateChunks(before mint: Timestamp) -> (removed: Int, empty: Bool) {
        state.withLock { state in
            let before = state.closed.count
            state.closed.removeAll { $0.maxTime < mint }
            var removed = before - state.closed.count
            if state.open.count > 0 && state.open.lastTimestamp < mint {
                state.open = XORChunk()
                removed += 1
            }
            return (removed, state.isEmpty)
        }
    }

    var chunkCount: Int { state.withLock { $0.closed.count + ($0.open.count > 0 ? 1 : 0) } }

    var timeRange: (min: Timestamp, max: Timestamp)? {
        state.withLock { state in
            guard !state.isEmpty else { return nil }
            let first = state.closed.first?.minTime ?? state.open.firstTimestamp
            return (first, state.lastTimestamp)
        }
    }
}
