import Discovery
import PharosConfig
import PharosCore
import PharosTestSupport
import Relabel
import Scrape
import Testing

@Suite(.timeLimit(.minutes(2))) struct ScrapeManagerTests {
    static func config(_ targets: [String], interval: Int64 = 15_000, sampleLimit: UInt64 = 0, targetLimit: UInt64 = 0) -> PharosConfig {
        var scrape = ScrapeConfig(jobName: "node")
        scrape.scrapeInterval = PrometheusDuration(milliseconds: interval)
        scrape.scrapeTimeout = PrometheusDuration(milliseconds: min(10_000, interval))
        scrape.staticConfigs = [TargetGroup(addresses: targets)]
        scrape.limits.sampleLimit = sampleLimit
        scrape.limits.targetLimit = targetLimit
        var config = PharosConfig()
        config.scrapeConfigs = [scrape]
        return config
    }

    @Test func applyRunReloadAndSnapshots() async throws {
        let storage = RecordingStorage()
        let clock = ManualClock(nowMilliseconds: 0)
        let fetcher = FixtureFetcher([.body("m 1\n")])
        let manager = ScrapeManager(storage: storage, clock: clock, discoveryPollInterval: .seconds(3600),
                                    makeFetcher: { _ in fetcher })
        try await manager.apply(Self.config(["a:1", "b:2"]))
        #expect(await manager.activeTargets().map(\.scrapeURL) == ["http://a:1/metrics", "http://b:2/metrics"])
        #expect(await manager.activeTargets().allSatisfy { $0.status.health == .unknown })

        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await manager.run() }
            // Two loops sleep (static discovery has nothing to wait for).
            await clock.waitForSleepers(2)
            clock.advance(toMilliseconds: 15_000)
            #expect(await eventually { storage.commits == 2 })
            let snapshot = await manager.activeTargets()
            #expect(snapshot.map(\.status.health) == [.up, .up])
            #expect(snapshot[0].labels == Labels(["instance": "a:1", "job": "node"]))
            #expect(snapshot[0].scrapePool == "node")

            // Reload: b goes away (markers after two more ticks), a keeps its loop, c starts.
            await clock.waitForSleepers(2)
            try await manager.apply(Self.config(["a:1", "c:3"]))
            #expect(await manager.activeTargets().map(\.status.health) == [.up, .unknown])
            _ = storage.drain()
            // a, c and b's end-of-run wait.
            await clock.waitForSleepers(3)
            clock.advance(toMilliseconds: 30_000)
            #expect(await eventually { storage.commits >= 4 })
            clock.advance(toMilliseconds: 45_000)
            let gone = Labels(["__name__": "m", "instance": "b:2", "job": "node"])
            #expect(await eventually {
                storage.committed.contains { $0.labels == gone && $0.value.isStaleMarker }
            })
            group.cancelAll()
            try await group.next()
        }
    }

    @Test func targetLimitFailsEveryTarget() async throws {
        let storage = RecordingStorage()
        let clock = ManualClock(nowMilliseconds: 0)
        let fetcher = FixtureFetcher([.body("m 1\n")])
        let manager = ScrapeManager(storage: storage, clock: clock, discoveryPollInterval: .seconds(3600),
                                    makeFetcher: { _ in fetcher })
        try await manager.apply(Self.config(["a:1", "b:2"], targetLimit: 1))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await manager.run() }
            await clock.waitForSleepers(2)
            clock.advance(toMilliseconds: 15_000)
            #expect(await eventually { storage.commits == 2 })
            let statuses = await manager.activeTargets().map(\.status)
            #expect(statuses.allSatisfy { $0.lastError == "target_limit exceeded (number of targets: 2, limit: 1)" })
            #expect(fetcher.fetches == 0)
            group.cancelAll()
            try await group.next()
        }
    }

    @Test func droppedTargetsSnapshot() async throws {
        var config = Self.config(["a:1"])
        config.scrapeConfigs[0].relabelConfigs = [try .init(sourceLabels: ["__address__"], regex: "a:1", action: .drop)]
        let manager = ScrapeManager(storage: RecordingStorage(), clock: ManualClock(nowMilliseconds: 0),
                                    makeFetcher: { _ in FixtureFetcher([.body("")]) })
        try await manager.apply(config)
        #expect(await manager.activeTargets().isEmpty)
        #expect(await manager.droppedTargets().map { $0.discoveredLabels["__address__"] } == ["a:1"])
    }

    /// Targets from a discoverer that is not static: the pool syncs on each update, and a
    /// reload that changes only discovery sections keeps the running loops.
    @Test func discoveryUpdatesResyncAndDiscoveryOnlyReloadsKeepLoops() async throws {
        let storage = RecordingStorage()
        let clock = ManualClock(nowMilliseconds: 0)
        let fetcher = FixtureFetcher([.body("m 1\n")])
        let fed = FedDiscoverer()
        var discovery = DiscoveryManager.Configuration()
        discovery.updateInterval = .zero
        let manager = ScrapeManager(storage: storage, clock: clock, discovery: discovery,
                                    makeDiscoverer: { config, context in
                                        if case .http = config { return fed }
                                        return try StandardDiscoverers.factory(config, context)
                                    },
                                    makeFetcher: { _ in fetcher })
        var config = Self.config([])
        config.scrapeConfigs[0].serviceDiscovery.staticConfigs = []
        config.scrapeConfigs[0].serviceDiscovery.httpSDConfigs = [HTTPSDConfig(url: "http://sd/x")]
        try await manager.apply(config)
        #expect(await manager.activeTargets().isEmpty)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await manager.run() }
            fed.emit([TargetGroup(targets: [Labels(["__address__": "a:1", "__meta_zone": "eu"])], source: "g")])
            #expect(await poll { await manager.activeTargets().map(\.scrapeURL) == ["http://a:1/metrics"] })
            let target = try #require(await manager.activeTargets().first)
            #expect(target.discoveredLabels["__meta_zone"] == "eu")
            #expect(target.labels == Labels(["instance": "a:1", "job": "node"]))
            await clock.waitForSleepers(1)
            clock.advance(toMilliseconds: 15_000)
            #expect(await eventually { storage.commits == 1 })

            // Only the discovery sections change: the loop of a:1 stays (it is still up).
            var next = config
            next.scrapeConfigs[0].serviceDiscovery.staticConfigs = [TargetGroup(addresses: ["b:2"], source: "0")]
            try await manager.apply(next)
            let statuses = await manager.activeTargets().map { ($0.scrapeURL, $0.status.health) }
            #expect(statuses.map(\.0) == ["http://b:2/metrics", "http://a:1/metrics"])
            #expect(statuses.map(\.1) == [.unknown, .up])

            // The discoverer drops its group: the target goes.
            fed.emit([TargetGroup(targets: [], source: "g")])
            #expect(await poll { await manager.activeTargets().map(\.scrapeURL) == ["http://b:2/metrics"] })
            group.cancelAll()
            try await group.next()
        }
    }

    /// Polls an async condition (2 ms apart) for at most 10 s of real time.
    func poll(_ condition: () async -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            if await condition() { return true }
            try? await Task.sleep(for: .milliseconds(2))
        }
        return await condition()
    }
}
