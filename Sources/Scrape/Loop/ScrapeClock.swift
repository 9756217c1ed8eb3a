import Discovery

/// The time source of scrape loops: wall time for sample timestamps and offsets, and sleeping
/// until a wall-time deadline (the same shape as `DiscoveryClock`, which the scrape manager
/// hands to its discovery manager). Injected so tests drive loops with a manual clock.
package protocol ScrapeClock: DiscoveryClock {}

extension ScrapeClock {
    /// Wall time in milliseconds (sample timestamps).
    package var nowMilliseconds: Int64 { nowNanoseconds / 1_000_000 }
}

/// The real clock: `CLOCK_REALTIME` and `Task.sleep`.
package struct SystemScrapeClock: ScrapeClock {
    private let base = SystemDiscoveryClock()

    package init() {}

    package var nowNanoseconds: Int64 { base.nowNanoseconds }

    package func sleep(untilNanoseconds deadline: Int64) async throws {
        try await base.sleep(untilNanoseconds: deadline)
    }
}
