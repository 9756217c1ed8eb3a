import PharosCore
import PharosTestSupport
import PromQL
import Testing

@Suite(.timeLimit(.minutes(5))) struct EngineTests {
    /// `m{i="0"}` = 0,10,20… and `m{i="1"}` = 0,20,40… every minute for 10 minutes.
    static func storage() async throws -> MemoryStorage {
        let storage = MemoryStorage()
        let appender = storage.makeAppender()
        for step in 0...10 {
            try appender.append(Labels(["__name__": "m_total", "i": "0"]), at: Int64(step) * 60_000, value: Double(step * 10))
            try appender.append(Labels(["__name__": "m_total", "i": "1"]), at: Int64(step) * 60_000, value: Double(step * 20))
        }
        try appender.append(Labels(["__name__": "gauge"]), at: 0, value: 1)
        try appender.append(Labels(["__name__": "gauge"]), at: 60_000, value: StaleNaN.value)
        try await appender.commit()
        return storage
    }

    func vector(_ result: QueryResult) -> [Labels: Double] {
        guard case .vector(let samples) = result.value else { return [:] }
        return Dictionary(uniqueKeysWithValues: samples.map { ($0.labels, $0.value) })
    }

    @Test func instantSelectorUsesLookbackAndStaleness() async throws {
        let engine = Engine(), storage = try await Self.storage()
        #expect(vector(try await engine.instantQuery("gauge", at: 30_000, on: storage)) == [Labels(["__name__": "gauge"]): 1])
        #expect(vector(try await engine.instantQuery("gauge", at: 90_000, on: storage)).isEmpty)
        // The lookback window (t - 5m, t] is left-open: the last sample (at 10m) is gone at 15m.
        #expect(vector(try await engine.instantQuery("m_total", at: 899_999, on: storage)).count == 2)
        #expect(vector(try await engine.instantQuery("m_total", at: 900_000, on: storage)).isEmpty)
    }

    @Test func rateAggregationAndNameDropping() async throws {
        let engine = Engine(), storage = try await Self.storage()
        let result = vector(try await engine.instantQuery("sum by (i) (rate(m_total[5m]))", at: 600_000, on: storage))
        #expect(result[Labels(["i": "0"])].map { abs($0 - 10.0 / 60) < 1e-9 } == true)
        #expect(result[Labels(["i": "1"])].map { abs($0 - 20.0 / 60) < 1e-9 } == true)
        let product = vector(try await engine.instantQuery("m_total * 2", at: 60_000, on: storage))
        #expect(product[Labels(["i": "1"])] == 40)
    }

    @Test func rangeQueryIsSortedAndStepAligned() async throws {
        let engine = Engine(), storage = try await Self.storage()
        let result = try await engine.rangeQuery("m_total", start: 0, end: 120_000, step: 60_000, on: storage)
        guard case .matrix(let series) = result.value else { Issue.record("expected matrix"); return }
        #expect(series.map { $0.labels["i"] } == ["0", "1"])
        #expect(series[1].samples == [Sample(timestamp: 0, value: 0), Sample(timestamp: 60_000, value: 20), Sample(timestamp: 120_000, value: 40)])
    }

    @Test func subqueryAlignsToAbsoluteSteps() async throws {
        let engine = Engine(), storage = try await Self.storage()
        let result = try await engine.instantQuery(#"m_total{i="0"}[3m:1m]"#, at: 330_000, on: storage)
        guard case .matrix(let series) = result.value else { Issue.record("expected matrix"); return }
        #expect(series.first?.samples.map(\.timestamp) == [180_000, 240_000, 300_000])
    }

    @Test func errorsUsePrometheusWording() async throws {
        let engine = Engine(), storage = try await Self.storage()
        await #expect { try await engine.instantQuery("m_total + on() m_total", at: 0, on: storage) } throws: { error in
            (error as? QueryError)?.message.contains("many-to-many matching not allowed") == true
        }
        await #expect { try await engine.instantQuery("sum(", at: 0, on: storage) } throws: { error in
            (error as? QueryError)?.kind == .badData
        }
        let tight = Engine(options: EngineOptions(maxSamples: 3))
        await #expect { try await tight.rangeQuery("m_total", start: 0, end: 600_000, step: 60_000, on: storage) } throws: { error in
            (error as? QueryError)?.message == "query processing would load too many samples into memory in query execution"
        }
    }

    /// The sample limit bounds samples held at once (output so far plus one window), not the
    /// sum of every step's window: 61 samples at 10 s, `rate(x[1m])` every 10 s reads ~360
    /// window samples in all but holds at most 61 outputs + 6.
    @Test func rangeFunctionsLimitSamplesHeldAtOnce() async throws {
        let storage = MemoryStorage()
        let appender = storage.makeAppender()
        for step in 0...60 { try appender.append(Labels(["__name__": "x_total"]), at: Int64(step) * 10_000, value: Double(step)) }
        try await appender.commit()
        let roomy = try await Engine(options: EngineOptions(maxSamples: 100))
            .rangeQuery("rate(x_total[1m])", start: 0, end: 600_000, step: 10_000, on: storage)
        guard case .matrix(let series) = roomy.value else { Issue.record("expected matrix"); return }
        #expect(series.first?.samples.count == 60)
        await #expect { try await Engine(options: EngineOptions(maxSamples: 5))
            .rangeQuery("rate(x_total[1m])", start: 0, end: 600_000, step: 10_000, on: storage) } throws: { error in
            (error as? QueryError)?.message == "query processing would load too many samples into memory in query execution"
        }
    }

    @Test func annotationsCarryPositions() async throws {
        let engine = Engine(), storage = MemoryStorage()
        let appender = storage.makeAppender()
        try appender.append(Labels(["__name__": "requests"]), at: 0, value: 1)
        try appender.append(Labels(["__name__": "requests"]), at: 30_000, value: 2)
        try await appender.commit()
        let result = try await engine.instantQuery("rate(requests[2m])", at: 60_000, on: storage)
        #expect(result.annotations.infos == [
            "PromQL info: metric might not be a counter, name does not end in _total/_sum/_count/_bucket: \"requests\" (1:6)",
        ])
    }
}

@Suite(.timeLimit(.minutes(5))) struct ExperimentalEngineTests {
    static func storage() async throws -> MemoryStorage {
        let storage = MemoryStorage()
        let appender = storage.makeAppender()
        try appender.append(Labels(["__name__": "up", "instance": "a", "job": "node"]), at: 0, value: 1)
        try appender.append(Labels(["__name__": "up", "instance": "b", "job": "node"]), at: 0, value: 0)
        try appender.append(Labels(["__name__": "target_info", "instance": "a", "job": "node", "version": "1.2"]), at: 0, value: 1)
        try appender.append(Labels(["__name__": "other", "instance": "c", "job": "node"]), at: 0, value: 5)
        try await appender.commit()
        return storage
    }

    func values(_ result: QueryResult) -> [String: Double] {
        guard case .vector(let samples) = result.value else { return [:] }
        return Dictionary(uniqueKeysWithValues: samples.map { ($0.labels.description, $0.value) })
    }

    @Test func infoAddsDataLabelsOfTheMatchingInfoSeries() async throws {
        let result = try await Engine().instantQuery("info(up)", at: 10_000, on: try await Self.storage())
        #expect(values(result) == [
            #"up{instance="a", job="node", version="1.2"}"#: 1,
            #"up{instance="b", job="node"}"#: 0,
        ])
    }

    @Test func fillSuppliesTheMissingSide() async throws {
        let result = try await Engine().instantQuery("up + on(instance) fill(10) other", at: 10_000, on: try await Self.storage())
        #expect(values(result) == [#"{instance="a"}"#: 11, #"{instance="b"}"#: 10, #"{instance="c"}"#: 15])
    }

    @Test func delayedNameRemovalDropsTheNameAtTheEnd() async throws {
        let engine = Engine(options: EngineOptions(enableDelayedNameRemoval: true))
        let query = #"label_replace(up * 2, "was", "$1", "__name__", "(.*)")"#
        let result = try await engine.instantQuery(query, at: 10_000, on: try await Self.storage())
        #expect(values(result)[#"{instance="a", job="node", was="up"}"#] == 2)
    }
}
