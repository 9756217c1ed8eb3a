import MetricsTestKit
import PharosConfig
import PharosCore
import PharosTestSupport
import Scrape
import Testing

@Suite(.timeLimit(.minutes(5))) struct ScrapeLoopTests {
    @Test func firstScrapeAtOffsetThenEveryIntervalThenEndOfRunMarkers() async throws {
        let target = ScrapeRunnerTests.target
        let storage = RecordingStorage()
        let clock = ManualClock(nowMilliseconds: 1_000_000)
        let fetcher = FixtureFetcher([.body("a 1\nb 1\n"), .body("b 2\n")])
        let metrics = TestMetrics()
        let loop = ScrapeLoop(target: target, options: ScrapeOptions(), fetcher: fetcher, storage: storage, clock: clock,
                              metrics: ScrapeMetrics(factory: metrics))
        let first = 1_000_000 + target.offset(now: 1_000_000)

        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await loop.run() }
            await clock.waitForSleepers(1)
            #expect(clock.nextDeadlineMilliseconds == first)
            #expect(loop.status.health == .unknown)

            clock.advance(toMilliseconds: first)
            #expect(await eventually { storage.commits == 1 })
            #expect(storage.drain().prefix(2).map(\.timestamp) == [first, first])
            #expect(loop.status.health == .up && loop.status.lastScrape == first)

            // The next tick is one interval later, exactly.
            await clock.waitForSleepers(1)
            #expect(clock.nextDeadlineMilliseconds == first + 15_000)
            clock.advance(toMilliseconds: first + 15_000)
            #expect(await eventually { storage.commits == 2 })
            let second = storage.drain()
            #expect(second.contains(ScrapeRunnerTests.stale(ScrapeRunnerTests.series("a"), at: first + 15_000)))

            await clock.waitForSleepers(1)
            loop.stop()
            // Markers carry the next tick's time and are written one tick later.
            clock.advance(toMilliseconds: first + 30_000)
            #expect(storage.commits == 2)
            clock.advance(toMilliseconds: first + 45_000)
            try await group.next()
            #expect(fetcher.fetches == 2)
            // prometheus_target_interval_length_seconds saw the one interval between the scrapes.
            let interval = try metrics.expectTimer("prometheus_target_interval_length_seconds", [("interval", "15s")])
            #expect(interval.values == [15_000_000_000])
            #expect(Set(storage.drain()) == Set(
                [ScrapeRunnerTests.stale(ScrapeRunnerTests.series("b"), at: first + 30_000)]
                    + ReportSeriesNames.all.map { ScrapeRunnerTests.stale(ScrapeRunnerTests.series($0), at: first + 30_000) }))
        }
    }

    @Test func cancellationEndsWithoutMarkers() async throws {
        let storage = RecordingStorage()
        let clock = ManualClock(nowMilliseconds: 0)
        let loop = ScrapeLoop(target: ScrapeRunnerTests.target, options: ScrapeOptions(),
                              fetcher: FixtureFetcher([.body("a 1\n")]), storage: storage, clock: clock)
        let first = ScrapeRunnerTests.target.offset(now: 0)
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await loop.run() }
            await clock.waitForSleepers(1)
            clock.advance(toMilliseconds: first)
            #expect(await eventually { storage.commits == 1 })
            await clock.waitForSleepers(1)
            group.cancelAll()
            await group.next()
        }
        #expect(storage.commits == 1)
    }

    @Test func forcedErrorSkipsTheFetch() async throws {
        var runner = ScrapeRunner(target: ScrapeRunnerTests.target, options: ScrapeOptions(),
                                  fetcher: FixtureFetcher([.body("a 1\n")]), storage: RecordingStorage(),
                                  clock: ManualClock(nowMilliseconds: 0))
        let limit = ScrapeError(.targetLimit, "target_limit exceeded (number of targets: 2, limit: 1)")
        #expect(await runner.scrapeAndReport(at: 0, forcedError: limit) == limit)
        #expect(runner.lastCounts.total == 0)
    }

    @Test func healthStateMachine() {
        var status = TargetStatus()
        #expect(status.health == .unknown && status.lastError.isEmpty && status.lastScrape == nil)
        status.scrapeFinished(at: 10, duration: 0.5, error: ScrapeError(.fetch, location: "target x", "boom"))
        #expect(status.health == .down && status.lastError == "boom" && status.lastScrape == 10)
        #expect(status.lastFailure?.description == "target x: boom")
        status.scrapeFinished(at: 20, duration: 0.25, error: nil)
        #expect(status.health == .up && status.lastError.isEmpty && status.lastScrapeDuration == 0.25)
        #expect(status.scrapes == 2)
    }
}
