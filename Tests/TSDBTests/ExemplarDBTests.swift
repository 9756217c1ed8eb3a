import Foundation
import PharosCore
import PharosTestSupport
import Testing
@testable import TSDB

/// Exemplars through the head appender, the WAL (record type 4), replay, checkpoint and promtool.
@Suite(.timeLimit(.minutes(3)))
struct ExemplarDBTests {
    static let series = labels(["__name__": "req_total", "job": "api"])
    static let other = labels(["__name__": "lat_bucket", "job": "api", "le": "0.5"])

    static func ex(_ t: Timestamp, _ trace: String, _ value: Double = 1) -> Exemplar {
        Exemplar(labels: Labels(["trace_id": trace]), value: value, timestamp: t)
    }

    static func all(_ db: TSDB) async throws -> [ExemplarQueryResult] {
        try await db.exemplars(from: .min, through: .max, matching: [[]])
    }

    @Test func appenderStagesChecksAndCommitsExemplars() async throws {
        try await withTemporaryDirectory { dir in
            let db = try TSDB.open(directory: dir, logger: DBTests.quiet)
            let app = db.makeAppender()
            // No sample of the series anywhere yet: the exemplar has nothing to attach to.
            #expect(throws: AppendError.self) { try app.appendExemplar(.unknown, Self.series, Self.ex(1, "x")) }
            let ref = try app.append(Self.series, at: 1000, value: 1)
            #expect(try app.appendExemplar(ref, Self.series, Self.ex(1000, "a")) == ref)
            // Found by labels too; empty exemplar label values are dropped.
            let withEmpty = Exemplar(labels: Labels(sortedUnchecked: [Label(name: "span", value: ""), Label(name: "trace_id", value: "b")]),
                                     value: 2, timestamp: 900)
            #expect(try app.appendExemplar(.unknown, Self.series, withEmpty) == ref)
            let long = Exemplar(labels: Labels(["trace_id": String(repeating: "x", count: 121)]), value: 1, timestamp: 2000)
            #expect(throws: AppendError.self) { try app.appendExemplar(ref, Self.series, long) }
            #expect(try await Self.all(db).isEmpty, "invisible until commit")
            try await app.commit()
            // At commit the store sees a@1000 and then b@900: b is out of order now and counted.
            let stored = try await Self.all(db)
            #expect(stored == [ExemplarQueryResult(seriesLabels: Self.series, exemplars: [Self.ex(1000, "a")])])
            #expect(db.head.exemplars.stats.outOfOrder == 1)
            #expect(db.head.exemplars.stats.appended == 1)

            let second = db.makeAppender()
            if case .failure(let error) = db.head.exemplars.check(Self.series, Self.ex(1000, "c")) {
                #expect(error.kind == .outOfOrderExemplar)
            }
            #expect(throws: AppendError(.outOfOrderExemplar, "timestamp 1000 for \(Self.series)")) {
                try second.appendExemplar(ref, Self.series, Self.ex(1000, "c"))
            }
            // An exact duplicate is ignored without error; an exemplar-only commit works.
            #expect(try second.appendExemplar(ref, Self.series, Self.ex(1000, "a")) == ref)
            _ = try second.appendExemplar(ref, Self.series, Self.ex(3000, "d"))
            try await second.commit()
            let third = db.makeAppender()
            _ = try third.appendExemplar(ref, Self.series, Self.ex(4000, "e"))
            third.rollback()
            #expect(try await Self.all(db).first?.exemplars.map(\.timestamp) == [1000, 3000])
            try db.close()
        }
    }

    @Test func disabledStoreIgnoresExemplarsAndResizeEnablesIt() async throws {
        try await withTemporaryDirectory { dir in
            var options = TSDBOptions()
            options.maxExemplars = 0
            let db = try TSDB.open(directory: dir, options: options, logger: DBTests.quiet)
            let app = db.makeAppender()
            // Disabled: even an unknown series is no error, as in Prometheus.
            #expect(try app.appendExemplar(.unknown, Self.other, Self.ex(1, "x")) == .unknown)
            let ref = try app.append(Self.series, at: 1, value: 1)
            _ = try app.appendExemplar(ref, Self.series, Self.ex(1, "x"))
            try await app.commit()
            #expect(try await Self.all(db).isEmpty)
            db.resizeExemplars(to: 2)
            let next = db.makeAppender()
            _ = try next.appendExemplar(ref, Self.series, Self.ex(2, "y"))
            try await next.commit()
            #expect(try await Self.all(db).first?.exemplars == [Self.ex(2, "y")])
            try db.close()
        }
    }

    @Test func exemplarsSurviveARestartThroughTheWAL() async throws {
        try await withTemporaryDirectory { dir in
            let db = try TSDB.open(directory: dir, logger: DBTests.quiet)
            var want: [Labels: [Exemplar]] = [:]
            for step in 0..<50 {
                let app = db.makeAppender()
                let t = Timestamp(step) * 15_000
                for set in [Self.series, Self.other] {
                    let ref = try app.append(set, at: t, value: Double(step))
                    if step % 3 != 0 {
                        let exemplar = Exemplar(labels: Labels(["trace_id": "\(set["le"])-\(step)"]), value: Double(step) / 10,
                                                timestamp: t, hasTimestamp: step % 2 == 0)
                        _ = try app.appendExemplar(ref, set, exemplar)
                        want[set, default: []].append(exemplar)
                    }
                }
                try await app.commit()
            }
            try db.close()

            let reopened = try TSDB.open(directory: dir, logger: DBTests.quiet)
            #expect(reopened.replayReport.exemplars == want.values.map(\.count).reduce(0, +))
            #expect(reopened.replayReport.droppedExemplars == 0)
            let replayed = try await Self.all(reopened)
            #expect(replayed.map(\.seriesLabels) == want.keys.sorted())
            for result in replayed {
                // The WAL does not say whether the exemplar had its own timestamp.
                #expect(result.exemplars.map { Exemplar(labels: $0.labels, value: $0.value, timestamp: $0.timestamp) }
                        == want[result.seriesLabels]?.map { Exemplar(labels: $0.labels, value: $0.value, timestamp: $0.timestamp) })
            }
            // The records Prometheus' layout needs: a series record before the exemplars record that uses it.
            var kinds: [String] = []
            _ = try WAL(directory: dir + "/wal").replay { record in
                switch record {
                case .series: kinds.append("series")
                case .samples: kinds.append("samples")
                case .exemplars: kinds.append("exemplars")
                case .tombstones: kinds.append("tombstones")
                }
            }
            #expect(Array(kinds.prefix(4)) == ["series", "samples", "samples", "exemplars"])
            #expect(kinds.filter { $0 == "exemplars" }.count == 33)
            try reopened.close()
        }
    }

    @Test func replayDropsExemplarsOfUnknownSeriesAndRespectsASmallerRing() async throws {
        try await withTemporaryDirectory { dir in
            let wal = try WAL(directory: dir + "/wal")
            try wal.log([
                .series([RecordSeries(ref: 3, labels: Self.series)]),
                .samples([RecordSample(ref: 3, timestamp: 10, value: 1)]),
                .exemplars([
                    RecordExemplar(ref: 3, timestamp: 10, value: 0.1, labels: Labels(["trace_id": "a"])),
                    RecordExemplar(ref: 8, timestamp: 10, value: 0.2, labels: Labels(["trace_id": "b"])),
                    RecordExemplar(ref: 3, timestamp: 11, value: 0.3, labels: Labels(["trace_id": "c"])),
                    RecordExemplar(ref: 3, timestamp: 5, value: 0.4, labels: Labels(["trace_id": "d"])),
                    RecordExemplar(ref: 3, timestamp: 12, value: 0.5, labels: Labels(["trace_id": "e"])),
                ]),
            ])
            try wal.close()
            var options = TSDBOptions()
            options.maxExemplars = 2
            let db = try TSDB.open(directory: dir, options: options, logger: DBTests.quiet)
            #expect(db.replayReport.exemplars == 3)
            #expect(db.replayReport.droppedExemplars == 2)   // unknown ref 8, out-of-order t=5
            #expect(try await Self.all(db).first?.exemplars.map(\.timestamp) == [11, 12])
            #expect(db.head.exemplars.stats == ExemplarStats(appended: 3, outOfOrder: 1, stored: 2, series: 1,
                                                             oldestTimestamp: 11, capacity: 2))
            try db.close()
        }
    }

    @Test func checkpointKeepsRecentExemplarsOfLiveSeries() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let wal = try WAL(directory: directory.path, segmentSize: WALFormat.pageSize, compression: .none)
        try wal.log([.series([RecordSeries(ref: 1, labels: Self.series), RecordSeries(ref: 2, labels: Self.other)])])
        for t in 0..<60 {
            try wal.log([.exemplars([1, 2].map { RecordExemplar(ref: $0, timestamp: Int64(t), value: 1, labels: Labels(["trace_id": "\(t)"])) }),
                         .series([RecordSeries(ref: 100 + UInt64(t), labels: Labels(["pad": String(repeating: "p", count: 900)]))])])
        }
        try wal.cutSegment()
        let last = try #require(try wal.segments().last)
        let stats = try wal.checkpoint(through: last, keep: { $0 == 1 }, minTime: 40)
        #expect(stats.totalExemplars == 120)
        #expect(stats.droppedExemplars == 120 - 20)
        try wal.close()
        var kept: [RecordExemplar] = []
        try WAL(directory: directory.path).replay { if case .exemplars(let list) = $0 { kept += list } }
        #expect(kept.map(\.timestamp) == Array(40..<60).map(Int64.init))
        #expect(kept.allSatisfy { $0.ref == 1 })
    }

    /// promtool (Prometheus 2.42) opens a data folder whose WAL holds our exemplar records.
    @Test
    func promtoolStillReadsTheWAL() async throws {
        try await withTemporaryDirectory { dir in
            let db = try TSDB.open(directory: dir, logger: DBTests.quiet)
            for step in 0..<5 {
                let app = db.makeAppender()
                let t = 1_700_000_000_000 + Timestamp(step) * 15_000
                let ref = try app.append(Self.series, at: t, value: Double(step))
                _ = try app.appendExemplar(ref, Self.series, Self.ex(t, "trace-\(step)", 0.5))
                try await app.commit()
            }
            try db.close()
            let dump = try BlockPromtoolTests.run(["tsdb", "dump", "--min-time=0", "--max-time=9000000000000", dir])
            let lines = dump.split(separator: "\n").filter { $0.contains("req_total") }
            #expect(lines.count == 5, "\(dump)")
        }
    }
}
