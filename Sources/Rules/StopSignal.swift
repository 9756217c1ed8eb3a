import Synchronization

/// A one-shot stop flag that wakes a waiting loop. Thread-safe.
final class StopSignal: Sendable {
    private let state = Mutex<(stopped: Bool, waiters: [Int: CheckedContinuation<Void, Never>], next: Int)>((false, [:], 0))

    var isStopped: Bool { state.withLock { $0.stopped } }

    func stop() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.stopped = true
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Sleeps `milliseconds` unless stopped or cancelled first; true when the full time passed
    /// and the loop should go on.
    func sleep(milliseconds: Int64) async -> Bool {
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

    /// Returns once stopped or when the task is cancelled.
    func wait() async {
        let id = state.withLock { state -> Int in
            state.next += 1
            return state.next
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
}
