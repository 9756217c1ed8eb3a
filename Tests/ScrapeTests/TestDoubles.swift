import PharosCore
import Scrape
import Synchronization

/// One committed sample, compared with NaN payloads (staleness markers) by bit pattern.
struct Recorded: Hashable, CustomStringConvertible {
    var labels: Labels
    var timestamp: Timestamp
    var value: Double

    static func == (lhs: Recorded, rhs: Recorded) -> Bool {
        lhs.labels == rhs.labels && lhs.timestamp == rhs.timestamp && lhs.value.bitPattern == rhs.value.bitPattern
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(labels)
        hasher.combine(timestamp)
        hasher.combine(value.bitPattern)
    }

    var description: String {
        "\(labels) \(value.isStaleMarker ? "stale" : "\(value)") @\(timestamp)"
    }
}

/// An `Appendable` that records committed samples in order, and counts rollbacks.
final class RecordingStorage: Appendable, Sendable {
    private let state = Mutex<(committed: [Recorded], rollbacks: Int, commits: Int)>(([], 0, 0))

    func makeAppender() -> any Appender { RecordingAppender(storage: self) }

    var committed: [Recorded] { state.withLock { $0.committed } }
    var rollbacks: Int { state.withLock { $0.rollbacks } }
    var commits: Int { state.withLock { $0.commits } }

    /// Takes and clears the committed samples.
    func drain() -> [Recorded] {
        state.withLock { state in
            defer { state.committed = [] }
            return state.committed
        }
    }

    fileprivate func commit(_ samples: [Recorded]) {
        state.withLock {
            $0.committed += samples
            $0.commits += 1
        }
    }

    fileprivate func rolledBack() { state.withLock { $0.rollbacks += 1 } }
}

private final class RecordingAppender: Appender {
    let storage: RecordingStorage
    var pending: [Recorded] = []

    init(storage: RecordingStorage) { self.storage = storage }

    func append(_ ref: SeriesRef, _ labels: Labels, at timestamp: Timestamp, value: Double,
                options: AppendOptions) throws(AppendError) -> SeriesRef {
        pending.append(Recorded(labels: labels, timestamp: timestamp, value: value))
        return SeriesRef(UInt64(pending.count))
    }

    func commit() async throws { storage.commit(pending) }

    func rollback() {
        pending = []
        storage.rolledBack()
    }
}

/// A fetcher that serves scripted responses in order (the last one repeats), counting fetches.
final class FixtureFetcher: TargetFetcher, Sendable {
    enum Response: Sendable {
        case body(String, contentType: String? = "text/plain; version=0.0.4")
        case failure(ScrapeError)
    }

    private let state: Mutex<(responses: [Response], fetches: Int, requests: [FetchRequest])>
    /// Advanced by this much on each fetch, so scrape durations are exact.
    private let clock: ManualClock?
    private let fetchDuration: Int64

    init(_ responses: [Response], clock: ManualClock? = nil, fetchDurationNanoseconds: Int64 = 0) {
        state = Mutex((responses, 0, []))
        self.clock = clock
        fetchDuration = fetchDurationNanoseconds
    }

    var fetches: Int { state.withLock { $0.fetches } }
    var requests: [FetchRequest] { state.withLock { $0.requests } }

    func setResponses(_ responses: [Response]) { state.withLock { $0.responses = responses } }

    func fetch(_ target: ScrapeTarget, _ request: FetchRequest) async throws(ScrapeError) -> FetchResult {
        let response = state.withLock { state -> Response in
            state.fetches += 1
            state.requests.append(request)
            return state.responses.count > 1 ? state.responses.removeFirst() : state.responses[0]
        }
        if fetchDuration > 0 { clock?.advance(byNanoseconds: fetchDuration) }
        switch response {
        case .body(let text, let contentType): return FetchResult(contentType: contentType, body: Array(text.utf8))
        case .failure(let error): throw error
        }
    }
}

/// A manual wall clock: time moves only through `advance`; sleepers wake when it passes them.
final class ManualClock: ScrapeClock, Sendable {
    private struct Sleeper {
        var deadline: Int64
        var continuation: CheckedContinuation<Void, any Error>
    }

    private let state: Mutex<(now: Int64, nextID: Int, sleepers: [Int: Sleeper], sleepCalls: Int)>

    init(nowMilliseconds: Int64) { state = Mutex((nowMilliseconds * 1_000_000, 0, [:], 0)) }

    var nowNanoseconds: Int64 { state.withLock { $0.now } }

    /// Number of tasks currently sleeping.
    var sleepers: Int { state.withLock { $0.sleepers.count } }
    /// Earliest deadline of the sleepers, in milliseconds.
    var nextDeadlineMilliseconds: Int64? { state.withLock { $0.sleepers.values.map(\.deadline).min().map { $0 / 1_000_000 } } }

    func sleep(untilNanoseconds deadline: Int64) async throws {
        let id = state.withLock { state -> Int in
            state.nextID += 1
            state.sleepCalls += 1
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let wakeNow = state.withLock { state -> Bool in
                    if state.now >= deadline || Task.isCancelled { return true }
                    state.sleepers[id] = Sleeper(deadline: deadline, continuation: continuation)
                    return false
                }
                if wakeNow { continuation.resume() }
            }
        } onCancel: {
            let sleeper = state.withLock { $0.sleepers.removeValue(forKey: id) }
            sleeper?.continuation.resume(throwing: CancellationError())
        }
        try Task.checkCancellation()
    }

    func advance(byNanoseconds delta: Int64) { advance(toNanoseconds: nowNanoseconds + delta) }

    func advance(toMilliseconds time: Int64) { advance(toNanoseconds: time * 1_000_000) }

    func advance(toNanoseconds time: Int64) {
        let due = state.withLock { state -> [CheckedContinuation<Void, any Error>] in
            state.now = max(state.now, time)
            let ready = state.sleepers.filter { $0.value.deadline <= state.now }
            for id in ready.keys { state.sleepers[id] = nil }
            return ready.values.map(\.continuation)
        }
        due.forEach { $0.resume() }
    }

    /// Waits (yielding) until `count` tasks sleep with a deadline after now.
    func waitForSleepers(_ count: Int) async {
        _ = await eventually { sleepers >= count }
    }
}
