import PharosCore
import Testing
@testable import TSDB

@Suite(.timeLimit(.minutes(5))) struct HeadStatsTests {
    static func loaded() async throws -> Head {
        let head = Head()
        let app = head.makeAppender()
        for code in ["200", "404", "500"] {
            try app.append(labels(["__name__": "http_requests_total", "code": code, "job": "api"]), at: 1000, value: 1)
        }
        try app.append(labels(["__name__": "up", "job": "api"]), at: 2000, value: 1)
        try app.append(labels(["__name__": "up", "job": "node"]), at: 3000, value: 1)
        try await app.commit()
        return head
    }

    @Test func countsEveryList() async throws {
        let stats = try await Self.loaded().cardinalityStats(limit: 10)
        #expect(stats.seriesCountByLabelValue == [
            CardinalityStat(name: "http_requests_total", count: 3), CardinalityStat(name: "up", count: 2),
        ])
        #expect(stats.valueCountByLabelName == [
            CardinalityStat(name: "code", count: 3), CardinalityStat(name: "__name__", count: 2),
            CardinalityStat(name: "job", count: 2),
        ])
        // Bytes of distinct values: __name__ 19 + 2; code 3 × 3; job 3 + 4.
        #expect(stats.memoryInBytesByLabelName == [
            CardinalityStat(name: "__name__", count: 21), CardinalityStat(name: "code", count: 9),
            CardinalityStat(name: "job", count: 7),
        ])
        #expect(stats.seriesCountByLabelPair.first == CardinalityStat(name: "job=api", count: 4))
        #expect(stats.seriesCountByLabelPair.count == 7)
        #expect(stats.seriesCountByLabelPair.last == CardinalityStat(name: "job=node", count: 1))
        #expect(stats.numLabelPairs == 7)
    }

    @Test(arguments: [0, 1, 2])
    func limitCutsEveryList(limit: Int) async throws {
        let stats = try await Self.loaded().cardinalityStats(limit: limit)
        #expect(stats.seriesCountByLabelValue.count == min(limit, 2))
        #expect(stats.valueCountByLabelName.count == limit)
        #expect(stats.memoryInBytesByLabelName.count == limit)
        #expect(stats.seriesCountByLabelPair.count == limit)
        #expect(stats.numLabelPairs == 7)
    }

    @Test func otherLabelAndEmptyHead() async throws {
        let byJob = try await Self.loaded().cardinalityStats(label: "job", limit: 10)
        #expect(byJob.seriesCountByLabelValue == [CardinalityStat(name: "api", count: 4), CardinalityStat(name: "node", count: 1)])
        let empty = Head().cardinalityStats(limit: 10)
        #expect(empty == HeadCardinalityStats())
    }

    @Test func truncatedSeriesLeaveTheStats() async throws {
        let head = try await Self.loaded()
        head.truncate(before: 2500)
        let stats = head.cardinalityStats(limit: 10)
        #expect(stats.seriesCountByLabelValue == [CardinalityStat(name: "up", count: 1)])
        #expect(stats.numLabelPairs == 2)
    }
}
