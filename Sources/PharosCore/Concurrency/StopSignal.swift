import Synchronization

/// A one-shot signal (ends scrape loops, discoverers and rule groups): `stop()` wakes every
/// `wait()` and `sleep`, now and later. Cancellation also ends a wait. Thread-safe.
package final class StopSignal: Sendable {
    private struct State {
        var stopped = false
        var nextID = 0
        var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
    }

    private let state = Mutex(State())

    package var isStopped: Bool { state.withLock { $0.stopped } }

    package init() {}

    package func stop() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.stopped = true
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        waiters.forEach { $0.resume() }
    }

    /// Returns when stopped or when the task is cancelled.
    package func wait() async {
        let id = state.withLock { state -> Int in
            state.nextID += 1
            return state.nextID
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { state -> Bool in
                    if state.stopped || Task.isCancelled { return true }
                    state.waiters[id] = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { $0.waiters.removeValue(forKey: id) }
            waiter?.resume()
        }
    }

    /// Sleeps `milliseconds` unless stopped or cancelled first; true when the full time passed
    /// and the loop should go on.
    package func sleep(milliseconds: Int64) async -> Bool {
        if milliseconds > 0 {
            await withTaskGroup(of: Void.self) { group in
                group.addTask { try? await Task.sleep(for: .milliseconds(milliseconds)) }
                group.addTask { await self.wait() }
                await group.next()
                group.cancelAll()
            }
        }
        return !isStopped && !Task.isCancelled
    }
}
