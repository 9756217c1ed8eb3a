import Discovery
import Metrics
import PharosCore
import Synchronization

/// Scrapes one target on its schedule until stopped (Prometheus' `scrapeLoop.run`).
///
/// `run()` waits for the target's offset within the interval, then scrapes every interval
/// (missed ticks are skipped; a start within min(2 ms, 1 % of the interval) of its tick is
/// timestamped exactly on the tick, as Prometheus aligns). `stop()` makes `run()` finish its
/// current scrape, wait for the next two ticks and write staleness markers for every series,
/// report series included, timestamped at the first of them — so a target that reappears in
/// a new loop within that time does not get markers. Cancelling the task instead ends `run()`
/// at once without markers (server shutdown). Thread-safe.
package final class ScrapeLoop: Sendable {
    package let target: ScrapeTarget
    package let options: ScrapeOptions
    private let fetcher: any TargetFetcher
    private let storage: any Appendable
    private let clock: any ScrapeClock
    private let offsetSeed: UInt64
    private let metrics: ScrapeMetrics
    private let statusBox = TargetStatusBox()
    private let forcedErrorBox = Mutex<ScrapeError?>(nil)
    private let stopSignal = StopSignal()
    private let markStaleOnStop = Mutex(true)
    /// The target's metric metadata from its TYPE/HELP/UNIT lines (`/api/v1/metadata`).
    package let metadata = TargetMetadataStore()

    package init(target: ScrapeTarget, options: ScrapeOptions, fetcher: any TargetFetcher,
                 storage: any Appendable, clock: any ScrapeClock = SystemScrapeClock(), offsetSeed: UInt64 = 0,
                 metrics: ScrapeMetrics = ScrapeMetrics()) {
        self.metrics = metrics
        self.target = target
        self.options = options
        self.fetcher = fetcher
        self.storage = storage
        self.clock = clock
        self.offsetSeed = offsetSeed
    }

    /// Health, last error, last scrape time and duration.
    package var status: TargetStatus { statusBox.status }

    /// Makes every following scrape fail with `error` without fetching (target_limit); nil clears.
    package func setForcedError(_ error: ScrapeError?) { forcedErrorBox.withLock { $0 = error } }

    /// Ends `run()`; with `markStale` after end-of-run staleness markers (see the type's
    /// documentation), without when a new loop for the same target takes over (config reload).
    package func stop(markStale: Bool = true) {
        markStaleOnStop.withLock { $0 = markStale }
        stopSignal.stop()
    }

    package func run() async {
        var runner = ScrapeRunner(target: target, options: options, fetcher: fetcher, storage: storage,
                                  clock: clock, status: statusBox, metadata: metadata, metrics: metrics)
        let intervalLength = metrics.intervalLength(target.interval.description)
        var lastScrape: Int64?
        let interval = target.interval.milliseconds * 1_000_000
        let start = clock.nowNanoseconds
        var tick = start + target.offset(now: start / 1_000_000, seed: offsetSeed) * 1_000_000
        guard await sleepUnlessStopped(until: tick) else { return await endOfRun(&runner, tick: tick) }
        var aligned = tick
        let tolerance = min(interval / 100, 2_000_000)
        while !Task.isCancelled {
            var scrapeTime = clock.nowNanoseconds
            while scrapeTime - aligned >= interval { aligned += interval }
            if scrapeTime - aligned <= tolerance { scrapeTime = aligned }
            if let lastScrape { intervalLength.recordNanoseconds(scrapeTime - lastScrape) }
            lastScrape = scrapeTime
            await runner.scrapeAndReport(at: scrapeTime / 1_000_000, forcedError: forcedErrorBox.withLock { $0 })
            let now = clock.nowNanoseconds
            tick += interval
            while tick <= now { tick += interval }
            guard await sleepUnlessStopped(until: tick) else { return await endOfRun(&runner, tick: tick) }
        }
    }

    /// After `stop()`: the next tick is the markers' timestamp; they are written one tick later.
    private func endOfRun(_ runner: inout ScrapeRunner, tick: Int64) async {
        guard !Task.isCancelled, stopSignal.isStopped, markStaleOnStop.withLock({ $0 }), status.scrapes > 0 else { return }
        let interval = target.interval.milliseconds * 1_000_000
        let staleTick = tick
        do {
            try await clock.sleep(untilNanoseconds: staleTick)
            try await clock.sleep(untilNanoseconds: staleTick + interval)
        } catch {
            return
        }
        await runner.markAllStale(at: staleTick / 1_000_000)
    }

    /// Sleeps until `deadline`; false when stopped or cancelled first.
    private func sleepUnlessStopped(until deadline: Int64) async -> Bool {
        if stopSignal.isStopped { return false }
        let clock = self.clock, signal = stopSignal
        return await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                do {
                    try await clock.sleep(untilNanoseconds: deadline)
                    return true
                } catch {
                    return false
                }
            }
            group.addTask {
                await signal.wait()
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first && !signal.isStopped && !Task.isCancelled
        }
    }
}
