import PharosCore
import Synchronization

/// One committed sample, compared with NaN payloads (staleness markers) by bit pattern.
package struct Recorded: Hashable, Sendable, CustomStringConvertible {
    package var labels: Labels
    package var timestamp: Timestamp
    package var value: Double

    package init(labels: Labels, timestamp: Timestamp, value: Double) {
        self.labels = labels
        self.timestamp = timestamp
        self.value = value
    }

    package static func == (lhs: Recorded, rhs: Recorded) -> Bool {
        lhs.labels == rhs.labels && lhs.timestamp == rhs.timestamp && lhs.value.bitPattern == rhs.value.bitPattern
    }

    package func hash(into hasher: inout Hasher) {
        hasher.combine(labels)
        hasher.combine(timestamp)
        hasher.combine(value.bitPattern)
    }

    /// `labels value @timestamp`, with `stale` for a staleness marker.
    package var description: String {
        "\(labels) \(value.isStaleMarker ? "stale" : "\(value)") @\(timestamp)"
    }
}

/// One committed exemplar and the labels of its series.
package struct RecordedExemplar: Hashable, Sendable {
    package var series: Labels
    package var exemplar: Exemplar

    package init(series: Labels, exemplar: Exemplar) {
        self.series = series
        self.exemplar = exemplar
    }
}

/// An `Appendable` that records committed samples (and exemplars) in commit order and counts
/// commits and rollbacks; it can refuse appends to inject storage errors.
///
/// Thread-safe (one `Mutex`). Each appender stages its samples until `commit()`, which adds them
/// all at once; `rollback()` drops them. A refused append throws and stages nothing.
package final class RecordingStorage: Appendable, Sendable {
    private let state = Mutex<(committed: [Recorded], rollbacks: Int, commits: Int, exemplars: [RecordedExemplar])>(([], 0, 0, []))
    private let refusal: @Sendable (Labels) -> AppendError?

    /// - Parameter refusal: the error to throw for an append of these labels, or nil to accept it.
    package init(refusing refusal: @escaping @Sendable (Labels) -> AppendError? = { _ in nil }) {
        self.refusal = refusal
    }

    package func makeAppender() -> any Appender { RecordingAppender(storage: self) }

    /// Every committed sample, oldest commit first.
    package var committed: [Recorded] { state.withLock { $0.committed } }
    /// Every committed exemplar, oldest commit first (refusals do not apply to exemplars).
    package var committedExemplars: [RecordedExemplar] { state.withLock { $0.exemplars } }
    /// How many appenders were rolled back.
    package var rollbacks: Int { state.withLock { $0.rollbacks } }
    /// How many appenders committed (empty commits included).
    package var commits: Int { state.withLock { $0.commits } }

    /// Takes and clears the committed samples.
    package func drain() -> [Recorded] {
        state.withLock { state in
            defer { state.committed = [] }
            return state.committed
        }
    }

    fileprivate func refusal(for labels: Labels) -> AppendError? { refusal(labels) }

    fileprivate func commit(_ samples: [Recorded], exemplars: [RecordedExemplar]) {
        state.withLock {
            $0.committed += samples
            $0.exemplars += exemplars
            $0.commits += 1
        }
    }

    fileprivate func rolledBack() { state.withLock { $0.rollbacks += 1 } }
}

private final class RecordingAppender: Appender {
    let storage: RecordingStorage
    var pending: [Recorded] = []
    var pendingExemplars: [RecordedExemplar] = []

    init(storage: RecordingStorage) { self.storage = storage }

    func append(_ ref: SeriesRef, _ labels: Labels, at timestamp: Timestamp, value: Double,
                options: AppendOptions) throws(AppendError) -> SeriesRef {
        if let error = storage.refusal(for: labels) { throw error }
        pending.append(Recorded(labels: labels, timestamp: timestamp, value: value))
        return SeriesRef(UInt64(pending.count))
    }

    func appendExemplar(_ ref: SeriesRef, _ labels: Labels, _ exemplar: Exemplar) throws(AppendError) -> SeriesRef {
        pendingExemplars.append(RecordedExemplar(series: labels, exemplar: exemplar))
        return ref
    }

    func commit() async throws {
        storage.commit(pending, exemplars: pendingExemplars)
        pending = []
        pendingExemplars = []
    }

    func rollback() {
        pending = []
        pendingExemplars = []
        storage.rolledBack()
    }
}
