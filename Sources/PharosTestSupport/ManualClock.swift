import Synchronization

/// A manual wall clock in nanoseconds since the epoch: time moves only through `advance`, and
/// sleepers wake when it reaches their deadline, so tests drive timed loops exactly, never sleeping.
///
/// Thread-safe (one `Mutex`). Its `nowNanoseconds` and `sleep(untilNanoseconds:)` match the
/// shape of function-shaped clock seams such as Scrape's `ScrapeClock`, so a test target makes
/// it conform with an empty extension. A cancelled sleeper throws `CancellationError`.
package final class ManualClock: Sendable {
    private struct Sleeper {
        var deadline: Int64
        var continuation: CheckedContinuation<Void, any Error>
    }

    private let state: Mutex<(now: Int64, nextID: Int, sleepers: [Int: Sleeper])>

    package init(nowMilliseconds: Int64) { state = Mutex((nowMilliseconds * 1_000_000, 0, [:])) }

    /// The current time, nanoseconds since the epoch.
    package var nowNanoseconds: Int64 { state.withLock { $0.now } }

    /// Number of tasks currently sleeping.
    package var sleepers: Int { state.withLock { $0.sleepers.count } }

    /// Earliest deadline of the sleepers, in milliseconds; nil when nobody sleeps.
    package var nextDeadlineMilliseconds: Int64? {
        state.withLock { $0.sleepers.values.map(\.deadline).min().map { $0 / 1_000_000 } }
    }

    /// Returns once the clock reaches `deadline` (at once if it already has); throws
    /// `CancellationError` if the task is cancelled first.
    package func sleep(untilNanoseconds deadline: Int64) async throws {
        let id = state.withLock { state -> Int in
            state.nextID += 1
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

    /// Moves time forward by `delta` nanoseconds, waking the sleepers that are due.
    package func advance(byNanoseconds delta: Int64) { advance(toNanoseconds: nowNanoseconds + delta) }

    /// Moves time forward to `time` (milliseconds); never backwards.
    package func advance(toMilliseconds time: Int64) { advance(toNanoseconds: time * 1_000_000) }

    /// Moves time forward to `time` (nanoseconds); never backwards. Wakes the sleepers that are due.
    package func advance(toNanoseconds time: Int64) {
        let due = state.withLock { state -> [CheckedContinuation<Void, any Error>] in
            state.now = max(state.now, time)
            let ready = state.sleepers.filter { $0.value.deadline <= state.now }
            for id in ready.keys { state.sleepers[id] = nil }
            return ready.values.map(\.continuation)
        }
        due.forEach { $0.resume() }
    }

    /// Waits (polling in real time, at most 10 s) until at least `count` tasks sleep.
    package func waitForSleepers(_ count: Int) async {
        _ = await eventually { sleepers >= count }
    }
}

/// Polls `condition` (sleeping 2 ms between tries) for at most 10 s of real time; returns its last value.
package func eventually(_ condition: () -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + .seconds(10)
    while ContinuousClock.now < deadline {
        if condition() { return true }
        try? await Task.sleep(for: .milliseconds(2))
    }
    return condition()
}
