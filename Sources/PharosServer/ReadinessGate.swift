import PharosHTTP
import Synchronization

/// Start-up and readiness flags that services flip, plus named health checks; what the
/// health endpoints read. Thread-safe; flags only move forward (false → true).
///
/// Services that must wait (ingest before storage is up) call `waitUntilReady()`.
package final class ReadinessGate: HealthReporting {
    private struct State {
        var started = false
        var ready = false
        var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
        var nextWaiter = 0
        var checks: [(String, @Sendable () async -> (healthy: Bool, message: String))] = []
    }
    private let state = Mutex(State())
    private let dependencyChecks = Mutex<@Sendable () async -> [HealthCheckResult]>({ [] })

    package init() {}

    package var isStarted: Bool { state.withLock { $0.started } }
    package var isReady: Bool { state.withLock { $0.ready } }

    /// Start-up work is done (WAL replayed); `/health/startup` answers 200 from now on.
    package func markStarted() { state.withLock { $0.started = true } }

    /// Ready to serve; implies started. Resumes every `waitUntilReady()` caller.
    package func markReady() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.started = true
            state.ready = true
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        waiters.forEach { $0.resume() }
    }

    /// Returns once `markReady()` was called (at once if it already was), or when the calling
    /// task is cancelled (then without the gate being ready: check `isReady` or cancellation).
    package func waitUntilReady() async {
        let id = state.withLock { state -> Int in
            defer { state.nextWaiter += 1 }
            return state.nextWaiter
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { state -> Bool in
                    if state.ready || Task.isCancelled { return true }
                    state.waiters[id] = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            state.withLock { $0.waiters.removeValue(forKey: id) }?.resume()
        }
    }

    /// Registers a check run by `/health`, in registration order. The check bounds its own time.
    package func addCheck(_ name: String, _ check: @escaping @Sendable () async -> (healthy: Bool, message: String)) {
        state.withLock { $0.checks.append((name, check)) }
    }

    /// Sets what `readinessChecks()` runs (the `health.readiness_checks` of the running config).
    package func setReadinessChecks(_ checks: @escaping @Sendable () async -> [HealthCheckResult]) {
        dependencyChecks.withLock { $0 = checks }
    }

    package func readinessChecks() async -> [HealthCheckResult] {
        let checks = dependencyChecks.withLock { $0 }
        return await checks()
    }

    /// The gate's own `startup` and `ready` flags first, then the registered checks, then the
    /// readiness checks.
    package func runChecks() async -> [HealthCheckResult] {
        let (started, ready, checks) = state.withLock { ($0.started, $0.ready, $0.checks) }
        var results = [
            HealthCheckResult(name: "startup", healthy: started, message: started ? "" : "starting up"),
            HealthCheckResult(name: "ready", healthy: ready, message: ready ? "" : "not ready"),
        ]
        let clock = ContinuousClock()
        for (name, check) in checks {
            let start = clock.now
            let (healthy, message) = await check()
            results.append(HealthCheckResult(name: name, healthy: healthy, message: message, latency: clock.now - start))
        }
        return results + (await readinessChecks())
    }
}
