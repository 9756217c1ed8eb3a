import Foundation
import PharosCore
import PharosTestSupport
import Testing
@testable import TSDB

/// Opening a data directory Prometheus' tooling wrote, and querying it through the TSDB.
@Suite(.timeLimit(.minutes(5)))
struct DBPromtoolTests {
    @Test func opensAndQueriesPrometheusBlocks() async throws {
        try await withTemporaryDirectory { dir in
            // Two 2h blocks' worth: promtool cuts at 2h boundaries.
            var input = ""
            for minute in 0..<300 {
                let seconds = 1_700_000_000 + minute * 60
                input += "req_total{code=\"200\",job=\"api\"} \(minute * 3) \(seconds)\n"
                if minute % 2 == 0 { input += "req_total{code=\"500\",job=\"api\"} \(minute) \(seconds)\n" }
                input += "up{job=\"api\"} 1 \(seconds)\n"
            }
            try (input + "# EOF\n").write(toFile: dir + "/in.om", atomically: true, encoding: .utf8)
            try BlockPromtoolTests.run(["tsdb", "create-blocks-from", "openmetrics", dir + "/in.om", dir + "/data"])

            let db = try TSDB.open(directory: dir + "/data", logger: DBTests.quiet)
            #expect(db.blocks.count >= 2)
            let end = try #require(db.blocks.map(\.meta.maxTime).max())
            let result = try await db.withQuerier(from: .min, through: .max) { querier in
                var set = try await querier.select([.equal("__name__", "req_total"), try LabelMatcher(.notEqual, "code", "200")],
                                                   hints: nil, sorted: true)
                var out: [(Labels, [Sample])] = []
                while let series = try set.next() {
                    var iterator = series.makeIterator()
                    var samples: [Sample] = []
                    while iterator.next() { samples.append(Sample(timestamp: iterator.current.timestamp, value: iterator.current.value)) }
                    out.append((series.labels, samples))
                }
                return out
            }
            #expect(result.map(\.0) == [labels(["__name__": "req_total", "code": "500", "job": "api"])])
            let expected = stride(from: 0, to: 300, by: 2).map { Sample(timestamp: Int64(1_700_000_000 + $0 * 60) * 1000, value: Double($0)) }
            #expect(result.first?.1 == expected)
            #expect(try await db.withQuerier(from: .min, through: .max) { try await $0.labelValues("code", matching: []) } == ["200", "500"])
            // The persisted range is closed to appends; after it is open.
            let app = db.makeAppender()
            #expect(throws: AppendError.self) { try app.append(labels(["__name__": "up", "job": "api"]), at: end - 1, value: 1) }
            try app.append(labels(["__name__": "up", "job": "api"]), at: end, value: 1)
            try await app.commit()
            try db.close()
        }
    }
}
