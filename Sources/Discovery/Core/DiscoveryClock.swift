#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Wall time and sleeping until a wall-time deadline: refresh intervals, the update throttle
/// and reconnect backoff. Injected so tests drive discovery with a manual clock.
package protocol DiscoveryClock: Sendable {
    /// Wall time in nanoseconds since the Unix epoch.
    var nowNanoseconds: Int64 { get }
    /// Returns at or after `deadline` (nanoseconds since the epoch); throws `CancellationError`
    /// when the task is cancelled first.
    func sleep(untilNanoseconds deadline: Int64) async throws
}

extension DiscoveryClock {
    /// Sleeps for `duration` from now; throws `CancellationError` when cancelled.
    package func sleep(for duration: Duration) async throws {
        try await sleep(untilNanoseconds: nowNanoseconds + duration.nanoseconds)
    }
}

extension Duration {
    /// The duration in whole nanoseconds (saturating far beyond any interval used here).
    package var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}

/// The real clock: `CLOCK_REALTIME` and `Task.sleep`.
package struct SystemDiscoveryClock: DiscoveryClock {
    package init() {}

    package var nowNanoseconds: Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Int64(spec.tv_sec) * 1_000_000_000 + Int64(spec.tv_nsec)
    }

    package func sleep(untilNanoseconds deadline: Int64) async throws {
        let remaining = deadline - nowNanoseconds
        if remaining > 0 { try await Task.sleep(for: .nanoseconds(remaining)) }
        try Task.checkCancellation()
    }
}
