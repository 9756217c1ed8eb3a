import PharosConfig
import PharosCore
import Relabel
import Scrape
import Testing

/// Facts from Prometheus' `scrape/target_test.go` (TestPopulateLabels) and `Target.URL`.
@Suite(.timeLimit(.minutes(5))) struct TargetBuilderTests {
    static func config(interval: Int64 = 60_000, timeout: Int64 = 10_000,
                       relabel: [RelabelConfig] = [], params: [String: [String]] = [:]) -> ScrapeConfig {
        var config = ScrapeConfig(jobName: "job")
        config.scrapeInterval = PrometheusDuration(milliseconds: interval)
        config.scrapeTimeout = PrometheusDuration(milliseconds: timeout)
        config.relabelConfigs = relabel
        config.params = params
        return config
    }

    static func populate(_ labels: [String: String], _ config: ScrapeConfig = config()) -> Result<ScrapeTarget?, ScrapeError> {
        let discovered = TargetBuilder.discoveredLabels(config: config, targetLabels: Labels(labels), groupLabels: .empty)
        return TargetBuilder.populate(config: config, discovered: discovered)
    }

    @Test func regularPopulation() throws {
        let target = try #require(try Self.populate(["__address__": "1.2.3.4:1000", "custom": "value"]).get())
        #expect(target.labels == Labels([
            "__address__": "1.2.3.4:1000", "instance": "1.2.3.4:1000", "__scheme__": "http",
            "__metrics_path__": "/metrics", "job": "job", "__scrape_interval__": "1m",
            "__scrape_timeout__": "10s", "custom": "value",
        ]))
        #expect(target.discoveredLabels == Labels([
            "__address__": "1.2.3.4:1000", "__scheme__": "http", "__metrics_path__": "/metrics", "job": "job",
            "__scrape_interval__": "1m", "__scrape_timeout__": "10s", "custom": "value",
        ]))
        #expect(target.publicLabels == Labels(["instance": "1.2.3.4:1000", "job": "job", "custom": "value"]))
        #expect(target.url == "http://1.2.3.4:1000/metrics")
        #expect(target.interval.milliseconds == 60_000 && target.timeout.milliseconds == 10_000)
    }

    @Test func predefinedLabelsWin() throws {
        let target = try #require(try Self.populate([
            "__address__": "1.2.3.4", "__scheme__": "https", "__metrics_path__": "/custom", "job": "custom-job",
            "__scrape_interval__": "2s", "__scrape_timeout__": "2s", "instance": "custom-instance",
        ]).get())
        #expect(target.publicLabels == Labels(["instance": "custom-instance", "job": "custom-job"]))
        // Prometheus 3 no longer adds a default port.
        #expect(target.url == "https://1.2.3.4/custom")
        #expect(target.interval.milliseconds == 2_000)
    }

    @Test func metaLabelsAreRemovedAfterRelabeling() throws {
        let copy = try RelabelConfig(sourceLabels: ["__meta_zone"], targetLabel: "zone", action: .replace)
        let target = try #require(try Self.populate(
            ["__address__": "a:1", "__meta_zone": "eu", "__param_x": "1"], Self.config(relabel: [copy])).get())
        #expect(!target.labels.has("__meta_zone"))
        #expect(target.labels["zone"] == "eu")
        #expect(target.labels["__param_x"] == "1")
        #expect(target.publicLabels == Labels(["instance": "a:1", "job": "job", "zone": "eu"]))
    }

    @Test func relabelDropIsNotAnError() throws {
        let drop = try RelabelConfig(sourceLabels: ["__address__"], regex: "1.2.3.4:.*", action: .drop)
        #expect(try Self.populate(["__address__": "1.2.3.4:1000"], Self.config(relabel: [drop])).get() == nil)
    }

    @Test(arguments: [
        (["custom": "value"], 60_000, 10_000, "no address"),
        (["__address__": "1.2.3.4:1000/metrics"], 60_000, 10_000, "\"1.2.3.4:1000/metrics\" is not a valid hostname"),
        (["__address__": "a:1", "__scrape_interval__": "0s"], 60_000, 10_000, "scrape interval cannot be 0"),
        (["__address__": "a:1", "__scrape_timeout__": "0s"], 60_000, 10_000, "scrape timeout cannot be 0"),
        (["__address__": "a:1", "__scrape_interval__": "1s", "__scrape_timeout__": "2s"], 60_000, 10_000,
         "scrape timeout cannot be greater than scrape interval (\"2s\" > \"1s\")"),
    ] as [([String: String], Int64, Int64, String)])
    func invalidTargets(labels: [String: String], interval: Int64, timeout: Int64, message: String) {
        switch Self.populate(labels, Self.config(interval: interval, timeout: timeout)) {
        case .failure(let error): #expect(error.message == message)
        case .success(let target): Issue.record("expected \(message), got \(String(describing: target))")
        }
    }

    @Test(arguments: ["__scrape_interval__", "__scrape_timeout__"])
    func unparsableDurations(name: String) {
        guard case .failure(let error) = Self.populate(["__address__": "a:1", name: "2notseconds"]) else {
            Issue.record("expected an error")
            return
        }
        let what = name == "__scrape_interval__" ? "interval" : "timeout"
        #expect(error.message.hasPrefix("error parsing scrape \(what): "))
    }

    @Test func paramsBecomeLabelsAndQuery() throws {
        let config = Self.config(params: ["module": ["http_2xx", "second"], "target": ["a b&c"]])
        let target = try #require(try Self.populate(["__address__": "probe:9115", "__param_module": "icmp"], config).get())
        #expect(target.labels["__param_target"] == "a b&c")
        // The label overrides the first value only; keys sorted; Go's QueryEscape.
        #expect(target.url == "http://probe:9115/metrics?module=icmp&module=second&target=a+b%26c")
    }

    @Test func groupLabelsYieldToTargetLabels() {
        let config = Self.config()
        let groups = [TargetGroup(addresses: ["a:1", "b:2", "a:1"], labels: Labels(["env": "prod", "__address__": "x"]))]
        let set = TargetBuilder.build(config: config, groups: groups)
        #expect(set.active.map(\.url) == ["http://a:1/metrics", "http://b:2/metrics"])
        #expect(set.active.allSatisfy { $0.publicLabels["env"] == "prod" })
    }

    @Test func droppedTargetsAreKeptUpToTheLimit() throws {
        var config = Self.config(relabel: [try RelabelConfig(sourceLabels: ["__address__"], regex: "drop.*", action: .drop)])
        config.limits.keepDroppedTargets = 1
        let set = TargetBuilder.build(config: config, groups: [TargetGroup(addresses: ["drop:1", "drop:2", "keep:3"])])
        #expect(set.active.count == 1)
        #expect(set.droppedCount == 2)
        #expect(set.dropped.map { $0.discoveredLabels["__address__"] } == ["drop:1"])
    }

    @Test func targetLimit() {
        #expect(TargetBuilder.targetLimitError(count: 3, limit: 0) == nil)
        #expect(TargetBuilder.targetLimitError(count: 3, limit: 3) == nil)
        #expect(TargetBuilder.targetLimitError(count: 4, limit: 3)?.message
            == "target_limit exceeded (number of targets: 4, limit: 3)")
    }

    @Test(arguments: [0, 1, 59_999, 1_700_000_000_123])
    func offsetIsWithinTheIntervalAndStable(now: Int64) throws {
        let target = try #require(try Self.populate(["__address__": "a:1"]).get())
        let offset = target.offset(now: now)
        #expect(offset >= 0 && offset <= 60_000)
        // The phase is pinned to absolute time: asking later in the same interval gives the same tick.
        let tick = now + offset
        let later = now + offset / 2
        #expect(later + target.offset(now: later) == tick || offset == 0)
        #expect(target.offset(now: now, seed: 1) != offset || target.offset(now: now, seed: 2) != offset)
    }
}
