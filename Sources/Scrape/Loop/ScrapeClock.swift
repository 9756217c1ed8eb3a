#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The time source of scrape loops: wall time for sample timestamps and offsets, and sleeping
/// until a wall-time deadline. Injected so tests drive loops with a manual clock, never sleeping.
package protocol ScrapeClock: Sendable {
    /// Wall time in nanoseconds since the Unix epoch.
    var nowNanoseconds: Int64 { get }
    /// Returns at or after `deadline` (nanoseconds since the epoch); throws `CancellationError`
    /// when the task is cancelled first.
    func sleep(untilNanoseconds deadline: Int64) async throws
}

extension ScrapeClock {
    /// Wall time in milliseconds (sample timestamps).
    package var nowMilliseconds: Int64 { nowNanoseconds / 1_000_000 }
}

/// The real clock: `CLOCK_REALTIME` and `Task.sleep`.
package struct SystemScrapeClock: ScrapeClock {
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
