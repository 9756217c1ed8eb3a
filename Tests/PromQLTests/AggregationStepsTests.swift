import PharosCore
import PharosTestSupport
import PromQL
import Testing

/// Aggregations over range queries whose step vectors change shape: series appear and end, so
/// the same position holds different series (and groups) at different steps.
@Suite(.timeLimit(.minutes(5))) struct AggregationStepsTests {
    /// Every minute from 0 to 10m: `a{g="x",i="1"}` = 1 until 4m (stale at 5m),
    /// `a{g="y",i="2"}` = 10 throughout, `a{g="x",i="3"}` = 100 from 3m.
    static func storage() async throws -> MemoryStorage {
        let storage = MemoryStorage()
        let appender = storage.makeAppender()
        for minute in 0...10 {
            let time = Int64(minute) * 60_000
            if minute < 5 { try appender.append(Labels(["__name__": "a", "g": "x", "i": "1"]), at: time, value: 1) }
            if minute == 5 { try appender.append(Labels(["__name__": "a", "g": "x", "i": "1"]), at: time, value: StaleNaN.value) }
            try appender.append(Labels(["__name__": "a", "g": "y", "i": "2"]), at: time, value: 10)
            if minute >= 3 { try appender.append(Labels(["__name__": "a", "g": "x", "i": "3"]), at: time, value: 100) }
        }
        try await appender.commit()
        return storage
    }

    func matrix(_ query: String) async throws -> [Labels: [Double]] {
        let result = try await Engine().rangeQuery(query, start: 0, end: 600_000, step: 60_000, on: try await Self.storage())
        guard case .matrix(let series) = result.value else { Issue.record("expected a matrix"); return [:] }
        return Dictionary(uniqueKeysWithValues: series.map { ($0.labels, $0.samples.map(\.value)) })
    }

    @Test func sumByFollowsSeriesAcrossSteps() async throws {
        let result = try await matrix("sum by (g) (a)")
        #expect(result[Labels(["g": "x"])] == [1, 1, 1, 101, 101, 100, 100, 100, 100, 100, 100])
        #expect(result[Labels(["g": "y"])] == Array(repeating: 10, count: 11))
        #expect(result.count == 2)
    }

    @Test func countWithoutAndSingleGroup() async throws {
        let without = try await matrix("count without (i) (a)")
        #expect(without[Labels(["g": "x"])] == [1, 1, 1, 2, 2, 1, 1, 1, 1, 1, 1])
        let total = try await matrix("sum(a)")
        #expect(total[.empty] == [11, 11, 11, 111, 111, 110, 110, 110, 110, 110, 110])
    }

    @Test func topkByGroupPicksPerStep() async throws {
        let result = try await matrix("topk by (g) (1, a)")
        #expect(result[Labels(["__name__": "a", "g": "x", "i": "1"])] == [1, 1, 1])
        #expect(result[Labels(["__name__": "a", "g": "x", "i": "3"])] == Array(repeating: 100, count: 8))
        #expect(result[Labels(["__name__": "a", "g": "y", "i": "2"])] == Array(repeating: 10, count: 11))
        let bottom = try await matrix("bottomk(1, a)")
        #expect(bottom.count == 2)
        #expect(bottom[Labels(["__name__": "a", "g": "x", "i": "1"])] == [1, 1, 1, 1, 1])
        #expect(bottom[Labels(["__name__": "a", "g": "y", "i": "2"])] == Array(repeating: 10, count: 6))
    }
}
