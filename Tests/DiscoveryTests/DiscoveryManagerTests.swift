import Discovery
import Logging
import MetricsTestKit
import PharosConfig
import PharosCore
import PharosTestSupport
import Synchronization
import Testing

@Suite(.timeLimit(.minutes(2))) struct DiscoveryManagerTests {
    /// A factory that makes one `ScriptedDiscoverer` per HTTP SD URL (and real static ones),
    /// remembering them by URL.
    final class Registry: Sendable {
        let made = Mutex<[String: ScriptedDiscoverer]>([:])
        let failing: Set<String>

        init(failing: Set<String> = []) { self.failing = failing }

        subscript(url: String) -> ScriptedDiscoverer? { made.withLock { $0[url] } }
        var count: Int { made.withLock { $0.count } }

        var factory: DiscovererFactory {
            { config, _ in
                guard case .http(let http) = config else { return try StandardDiscoverers.factory(config, DiscovererContextStub.context) }
                if self.failing.contains(http.url) { throw DiscoveryError(.config, "cannot build \(http.url)") }
                let discoverer = ScriptedDiscoverer(initial: [TargetGroup(addresses: ["initial:1"], source: http.url + ":init")])
                self.made.withLock { $0[http.url] = discoverer }
                return discoverer
            }
        }
    }

    enum DiscovererContextStub { static let context = testContext() }

    static func sd(_ urls: [String], statics: [String] = []) -> ServiceDiscoveryConfigs {
        var configs = ServiceDiscoveryConfigs()
        configs.httpSDConfigs = urls.map { HTTPSDConfig(url: $0) }
        if !statics.isEmpty { configs.staticConfigs = [TargetGroup(addresses: statics, source: "0")] }
        return configs
    }

    static func manager(_ registry: Registry, clock: ManualClock, metrics: TestMetrics, interval: Duration = .seconds(5)) -> DiscoveryManager {
        var configuration = DiscoveryManager.Configuration()
        configuration.updateInterval = interval
        return DiscoveryManager(configuration: configuration, clock: clock,
                                logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }),
                                metrics: DiscoveryMetrics(factory: metrics), makeDiscoverer: registry.factory)
    }

    @Test func applyShowsInitialGroupsAndUpdatesMergeBySource() async throws {
        let registry = Registry(), clock = ManualClock(nowMilliseconds: 0), metrics = TestMetrics()
        let manager = Self.manager(registry, clock: clock, metrics: metrics)
        let first = await manager.apply(["job": Self.sd(["http://a/sd"], statics: ["s:1"])])
        #expect(first.generation == 1)
        #expect(addresses(first.sets["job"] ?? []) == ["s:1", "initial:1"])

        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await manager.run() }
            var updates = manager.updates.makeAsyncIterator()
            // The apply's own trigger: sent at once.
            let sent = try #require(await updates.next())
            #expect(addresses(sent.sets["job"] ?? []) == ["s:1", "initial:1"])
            #expect(await poll { registry["http://a/sd"]?.runs == 1 })

            // A new source is appended, an existing one replaced in place, an empty one removed.
            let http = try #require(registry["http://a/sd"])
            http.emit([TargetGroup(addresses: ["b:1"], source: "b"), TargetGroup(addresses: ["changed:1"], source: "http://a/sd:init")])
            // Throttled: the next update waits until 5 s after the last one.
            await clock.waitForSleepers(1)
            #expect(clock.nextDeadlineMilliseconds == 5_000)
            clock.advance(toMilliseconds: 5_000)
            let second = try #require(await updates.next())
            #expect(addresses(second.sets["job"] ?? []) == ["s:1", "changed:1", "b:1"])
            http.emit([TargetGroup(targets: [], source: "http://a/sd:init")])
            await clock.waitForSleepers(1)
            clock.advance(toMilliseconds: 10_000)
            let third = try #require(await updates.next())
            #expect(addresses(third.sets["job"] ?? []) == ["s:1", "b:1"])
            #expect(metrics.counterValue("prometheus_sd_received_updates_total", [("name", "scrape")]) == 2)
            #expect(metrics.counterValue("prometheus_sd_updates_total", [("name", "scrape")]) == 3)
            let gauge = try metrics.expectGauge("prometheus_sd_discovered_targets", [("config", "job"), ("name", "scrape")])
            #expect(gauge.lastValue == 2)
            group.cancelAll()
        }
    }

    @Test func equalConfigsShareOneDiscovererAndUnusedOnesStop() async throws {
        let registry = Registry(), clock = ManualClock(nowMilliseconds: 0), metrics = TestMetrics()
        let manager = Self.manager(registry, clock: clock, metrics: metrics, interval: .zero)
        await manager.apply(["a": Self.sd(["http://shared/sd"]), "b": Self.sd(["http://shared/sd", "http://b/sd"])])
        #expect(registry.count == 2)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await manager.run() }
            #expect(await poll { registry["http://shared/sd"]?.runs == 1 && registry["http://b/sd"]?.runs == 1 })
            let shared = try #require(registry["http://shared/sd"])
            shared.emit([TargetGroup(addresses: ["x:1"], source: "x")])
            #expect(await poll { await addresses(manager.snapshot().sets["a"] ?? []) == ["initial:1", "x:1"] })
            #expect(addresses(await manager.snapshot().sets["b"] ?? []) == ["initial:1", "x:1", "initial:1"])

            // Reload: "b" goes, its own discoverer stops; the shared one keeps running and its groups.
            let next = await manager.apply(["a": Self.sd(["http://shared/sd"])])
            #expect(next.sets.keys.sorted() == ["a"])
            #expect(addresses(next.sets["a"] ?? []) == ["initial:1", "x:1"])
            #expect(await poll { registry["http://b/sd"]?.ended == 1 })
            #expect(shared.runs == 1 && shared.ended == 0)
            #expect(registry.count == 2)
            #expect((try? metrics.expectGauge("prometheus_sd_discovered_targets", [("config", "b"), ("name", "scrape")])) == nil)
            group.cancelAll()
        }
    }

    @Test func aDiscovererThatCannotBeBuiltIsCounted() async throws {
        let registry = Registry(failing: ["http://bad/sd"]), metrics = TestMetrics()
        let manager = Self.manager(registry, clock: ManualClock(nowMilliseconds: 0), metrics: metrics)
        let update = await manager.apply(["job": Self.sd(["http://bad/sd", "http://good/sd"])])
        #expect(addresses(update.sets["job"] ?? []) == ["initial:1"])
        #expect(try metrics.expectGauge("prometheus_sd_failed_configs", [("name", "scrape")]).lastValue == 1)
        await manager.apply(["job": Self.sd(["http://good/sd"])])
        #expect(try metrics.expectGauge("prometheus_sd_failed_configs", [("name", "scrape")]).lastValue == 0)
    }

    @Test func setsWithoutDiscoveryGetEmptyLists() async {
        let manager = Self.manager(Registry(), clock: ManualClock(nowMilliseconds: 0), metrics: TestMetrics())
        let update = await manager.apply(["empty": ServiceDiscoveryConfigs()])
        #expect(update.sets == ["empty": []])
    }
}
