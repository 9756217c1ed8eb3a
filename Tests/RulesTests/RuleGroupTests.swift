import MetricsTestKit
import PharosCore
import PharosTestSupport
import PromQL
import Rules
import Synchronization
import Testing

/// An `AlertSink` that records what it was given.
final class RecordingAlertSink: AlertSink {
    let sent = Mutex<[[Alert]]>([])
    func send(_ alerts: [Alert], expression: String) async { sent.withLock { $0.append(alerts) } }
}

/// Rule groups over `MemoryStorage` and the real engine, evaluated at explicit times.
struct RuleGroupTests {
    let storage = MemoryStorage()
    let sink = RecordingAlertSink()
    let metrics = TestMetrics()

    func options() -> RuleGroupOptions {
        RuleGroupOptions(querying: EngineQuerying(engine: Engine(), storage: storage), appendable: storage, queryable: storage,
                         sink: sink, externalURL: "http://pharos:9090", metrics: RuleMetrics(factory: metrics), now: { 0 })
    }

    func group(_ yaml: String, restore: Bool = false) throws -> RuleGroup {
        let file = try RuleFileParser().parse(yaml, file: "r.yml")
        return try RuleGroup(spec: file.groups[0], file: "r.yml", defaultInterval: 60_000, defaultQueryOffset: 0,
                             options: options(), shouldRestore: restore)
    }

    func load(_ series: [(Labels, Timestamp, Double)]) async throws {
        let appender = storage.makeAppender()
        for (labels, time, value) in series { try appender.append(labels, at: time, value: value) }
        try await appender.commit()
    }

    func values(_ selector: String, at time: Timestamp) async throws -> [Labels: Double] {
        let result = try await Engine().instantQuery(selector, at: time, on: storage)
        guard case .vector(let samples) = result.value else { return [:] }
        return Dictionary(uniqueKeysWithValues: samples.map { ($0.labels, $0.value) })
    }

    func raw(_ labels: Labels) async throws -> [Sample] {
        try await storage.withQuerier(from: .min, through: .max) { querier in
            let matchers = try labels.map { label throws in try LabelMatcher(.equal, label.name, label.value) }
            var set = try await querier.select(matchers, hints: SelectHints(start: .min, end: .max), sorted: true)
            var out: [Sample] = []
            while let series = try set.next() {
                var iterator = series.makeIterator()
                while iterator.next() { out.append(Sample(timestamp: iterator.current.timestamp, value: iterator.current.value)) }
            }
            return out
        }
    }

    @Test func recordingRuleWritesWithLabelsAndMarksVanishedSeriesStale() async throws {
        try await load([(Labels(["__name__": "up", "job": "a", "instance": "1"]), 0, 1),
                        (Labels(["__name__": "up", "job": "b", "instance": "2"]), 0, 1)])
        let group = try group("""
        groups:
          - name: g
            labels: {team: t}
            rules:
              - record: job:up:sum
                expr: sum by (job) (up)
                labels: {source: rule}
        """)
        await group.evaluate(at: 60_000)
        #expect(try await values("job:up:sum", at: 60_000) == [
            Labels(["__name__": "job:up:sum", "job": "a", "source": "rule", "team": "t"]): 1,
            Labels(["__name__": "job:up:sum", "job": "b", "source": "rule", "team": "t"]): 1,
        ])
        try await load([(Labels(["__name__": "up", "job": "a", "instance": "1"]), 400_000, 1)])
        await group.evaluate(at: 420_000)
        let gone = try await raw(Labels(["__name__": "job:up:sum", "job": "b", "source": "rule", "team": "t"]))
        #expect(gone.count == 2 && gone[1].timestamp == 420_000 && gone[1].value.isStaleMarker)
        let snapshot = group.snapshot()
        #expect(snapshot.rules[0].health == .ok && snapshot.rules[0].lastError == nil)
    }

    @Test func failingRuleIsUnhealthyAndCounted() async throws {
        try await load([(Labels(["__name__": "x", "a": "1"]), 0, 1), (Labels(["__name__": "x", "a": "2"]), 0, 1)])
        let group = try group("""
        groups:
          - name: g
            rules:
              - record: same
                expr: x
                labels: {a: fixed}
              - record: fine
                expr: vector(1)
        """)
        await group.evaluate(at: 10_000)
        let snapshot = group.snapshot()
        #expect(snapshot.rules[0].health == .err)
        #expect(snapshot.rules[0].lastError == "vector contains metrics with the same labelset after applying rule labels")
        #expect(snapshot.rules[1].health == .ok)
        let failures = try metrics.expectCounter("prometheus_rule_evaluation_failures_total", [("rule_group", "r.yml;g")])
        #expect(failures.totalValue == 1)
    }

    @Test func alertingRuleWritesAlertsSeriesAndSends() async throws {
        try await load([(Labels(["__name__": "up", "job": "api"]), 0, 0)])
        let group = try group("""
        groups:
          - name: g
            rules:
              - alert: Down
                expr: up == 0
                for: 1m
                labels: {severity: page}
                annotations:
                  summary: "static text"
                  description: "{{ $labels.job }} is {{ $value | humanize }}"
                  fleet: '{{ query "count(up)" | first | value }} targets'
        """)
        await group.evaluate(at: 0)
        #expect(try await values("ALERTS", at: 0) == [
            Labels(["__name__": "ALERTS", "alertname": "Down", "alertstate": "pending", "job": "api", "severity": "page"]): 1])
        #expect(sink.sent.withLock { $0 }.isEmpty)
        await group.evaluate(at: 60_000)
        let sent = sink.sent.withLock { $0 }
        #expect(sent.count == 1)
        let alert = try #require(sent.first?.first)
        #expect(alert.labels == Labels(["alertname": "Down", "job": "api", "severity": "page"]))
        // Templates run through the Templating module: `$labels`, `$value`, `query` against
        // the group's data; a template that does not parse is refused when the file loads.
        #expect(alert.annotations == Labels(["summary": "static text", "description": "api is 0", "fleet": "1 targets"]))
        #expect(alert.startsAt == 60_000 && alert.endsAt == 60_000 + 4 * 60_000)
        #expect(alert.generatorURL == "http://pharos:9090/graph?g0.expr=up+%3D%3D+0&g0.tab=1")
        #expect(try await values("ALERTS_FOR_STATE", at: 60_000).values.first == 0)
        let snapshot = group.snapshot()
        #expect(snapshot.rules[0].alerting?.state == .firing)
    }

    @Test func queryOffsetShiftsQueryAndSamples() async throws {
        try await load([(Labels(["__name__": "m"]), 0, 5)])
        let group = try group("""
        groups:
          - name: g
            query_offset: 30s
            rules:
              - record: m2
                expr: m
        """)
        await group.evaluate(at: 60_000)
        #expect(try await raw(Labels(["__name__": "m2"])) == [Sample(timestamp: 30_000, value: 5)])
    }

    @Test func restoreForStateKeepsPendingTime() async throws {
        let minute: Int64 = 60_000
        // Before the restart: pending since 0 (ALERTS_FOR_STATE = 0s) until 5m.
        try await load([(Labels(["__name__": "up", "job": "api"]), 0, 0), (Labels(["__name__": "up", "job": "api"]), 20 * minute, 0)])
        try await load((0...5).map { (Labels(["__name__": "ALERTS_FOR_STATE", "alertname": "Down", "job": "api"]), Int64($0) * minute, 0) })
        let group = try group("""
        groups:
          - name: g
            rules:
              - alert: Down
                expr: up == 0
                for: 30m
        """, restore: true)
        await group.evaluate(at: 20 * minute)
        #expect(try await values("ALERTS", at: 20 * minute).isEmpty)  // not restored yet
        await group.restoreForState(at: 20 * minute)
        // 5 of 30 minutes were spent pending: activeAt moves forward by the 15m outage.
        #expect(group.snapshot().rules[0].alerting?.alerts.first?.activeAt == 15 * minute)
        await group.evaluate(at: 21 * minute)
        #expect(try await values("ALERTS", at: 21 * minute).count == 1)
    }

    @Test func evalTimestampIsAlignedAndStable() throws {
        let group = try group("groups: [{name: g, rules: [{record: r, expr: '1'}]}]")
        let slot = group.evalTimestamp(startTime: 1_000_000_123)
        #expect(slot <= 1_000_000_123 && 1_000_000_123 - slot < 60_000)
        #expect(group.evalTimestamp(startTime: slot + 59_999) == slot)
        #expect(group.evalTimestamp(startTime: slot + 60_000) == slot + 60_000)
    }
}
