import Logging
import PharosCore
import PharosTestSupport
import PromQL
import TSDB
import Testing

/// The engine gives bit-identical results over the TSDB (persisted blocks + head, XOR chunks,
/// `ChunkSeriesIterator`'s batch reads) and over the in-memory storage (the seam's default
/// batch implementations), for queries that seek, slide windows and look back.
@Suite(.timeLimit(.minutes(5))) struct StorageParityTests {
    /// 40 minutes at 10 s (several chunks per series): counters with resets, a gauge with a
    /// stale marker and a gap, and a series that starts late.
    static func append(to appender: any Appender) throws {
        for step in 0...240 {
            let time = Int64(step) * 10_000
            for instance in 0..<3 {
                let counter = Double((step % (70 + 20 * instance)) * (instance + 1))
                try appender.append(Labels(["__name__": "c_total", "g": "g\(instance % 2)", "i": "\(instance)"]), at: time, value: counter)
            }
            if step == 100 {
                try appender.append(Labels(["__name__": "z", "i": "0"]), at: time, value: StaleNaN.value)
            } else if step < 130 || step > 170 {
                try appender.append(Labels(["__name__": "z", "i": "0"]), at: time, value: Double((step * 37) % 101) - 50.5)
            }
            if step >= 180 { try appender.append(Labels(["__name__": "z", "i": "1"]), at: time, value: Double(step) / 3) }
        }
    }

    /// Result as comparable text: labels, then (timestamp, value bits) per point.
    static func canonical(_ result: QueryResult) -> String {
        switch result.value {
        case .vector(let samples):
            return samples.map { "\($0.labels) \($0.timestamp) \($0.value.bitPattern)" }.sorted().joined(separator: "\n")
        case .matrix(let series):
            return series.map { "\($0.labels) " + $0.samples.map { "\($0.timestamp):\($0.value.bitPattern)" }.joined(separator: ",") }
                .sorted().joined(separator: "\n")
        case .scalar(let timestamp, let value):
            return "scalar \(timestamp) \(value.bitPattern)"
        case .string(let timestamp, let value):
            return "string \(timestamp) \(value)"
        }
    }

    static let queries = [
        "c_total", "rate(c_total[1m])", "sum by (g) (rate(c_total[2m]))", "increase(c_total[5m] offset 1m)",
        "z", "max_over_time(z[90s])", "count_over_time(z[5m])", "topk(1, z)", "last_over_time(z[3m])",
        "z @ 1200", "rate(c_total[1m] @ 2000)",
    ]

    @Test func blocksAndHeadMatchMemory() async throws {
        try await withTemporaryDirectory { dir in
            let memory = MemoryStorage()
            let memoryAppender = memory.makeAppender()
            try Self.append(to: memoryAppender)
            try await memoryAppender.commit()

            var options = TSDBOptions()
            options.blockRange = 600_000
            let db = try TSDB.open(directory: dir, options: options, logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
            let appender = db.makeAppender()
            try Self.append(to: appender)
            try await appender.commit()
            try db.maintain()
            #expect(!db.blocks.isEmpty)

            let engine = Engine()
            var compared = 0
            for query in Self.queries {
                for time: Int64 in [0, 95_000, 600_000, 1_000_000, 1_234_000, 1_805_000, 2_400_000] {
                    let want = Self.canonical(try await engine.instantQuery(query, at: time, on: memory))
                    let got = Self.canonical(try await engine.instantQuery(query, at: time, on: db))
                    #expect(got == want, "\(query) at \(time)")
                    compared += 1
                }
                for step: Int64 in [7_000, 30_000] {
                    let want = Self.canonical(try await engine.rangeQuery(query, start: 0, end: 2_400_000, step: step, on: memory))
                    let got = Self.canonical(try await engine.rangeQuery(query, start: 0, end: 2_400_000, step: step, on: db))
                    #expect(got == want, "\(query) every \(step) ms")
                    #expect(!want.isEmpty, "\(query) every \(step) ms")
                }
            }
            #expect(compared == Self.queries.count * 7)
            try db.close()
        }
    }
}
