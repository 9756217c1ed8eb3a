import Foundation
import Logging
import PharosCore
import PharosTestSupport
import Synchronization
import Testing
@testable import TSDB

@Suite(.timeLimit(.minutes(5))) struct DBTests {
    static let quiet = Logger(label: "test") { _ in SwallowingLogHandler() }

    /// Appends `batches` commits over `seriesCount` series; returns what a querier must see.
    static func fill(_ db: TSDB, seriesCount: Int, batches: Int, start: Int64 = 0) async throws -> [Labels: [Sample]] {
        var expected: [Labels: [Sample]] = [:]
        for batch in 0..<batches {
            let app = db.makeAppender()
            for index in 0..<seriesCount {
                let set = labels(["__name__": "metric_\(index % 3)", "instance": "host-\(index)"])
                let t = start + Int64(batch) * 15_000
                let value = batch % 11 == 10 ? StaleNaN.value : Double(index * 1000 + batch)
                try app.append(set, at: t, value: value)
                expected[set, default: []].append(Sample(timestamp: t, value: value))
            }
            try await app.commit()
        }
        return expected
    }

    static func readAll(_ db: TSDB) async throws -> [Labels: [Sample]] {
        try await db.withQuerier(from: .min, through: .max) { querier in
            var set = try await querier.select([], hints: nil, sorted: true)
            var out: [Labels: [Sample]] = [:]
            while let series = try set.next() {
                var iterator = series.makeIterator()
                while iterator.next() {
                    out[series.labels, default: []].append(Sample(timestamp: iterator.current.timestamp, value: iterator.current.value))
                }
            }
            return out
        }
    }

    static func sameData(_ a: [Labels: [Sample]], _ b: [Labels: [Sample]]) -> Bool {
        a.count == b.count && a.allSatisfy { key, samples in b[key].map { sameBits($0, samples) } ?? false }
    }

    @Test func restartReplaysTheWALIntoAnEqualHead() async throws {
        try await withTemporaryDirectory { dir in
            let db = try TSDB.open(directory: dir, logger: Self.quiet)
            let expected = try await Self.fill(db, seriesCount: 50, batches: 300)
            let refBefore = try db.makeAppender().append(labels(["__name__": "metric_0", "instance": "host-0"]), at: .max, value: 0)
            let statsBefore = db.head.stats
            try db.close()

            let reopened = try TSDB.open(directory: dir, logger: Self.quiet)
            #expect(Self.sameData(try await Self.readAll(reopened), expected))
            #expect(reopened.head.stats.numSeries == 50)
            #expect(reopened.head.stats.samplesAppended == statsBefore.samplesAppended)
            #expect(reopened.head.stats.minTime == statsBefore.minTime && reopened.head.stats.maxTime == statsBefore.maxTime)
            #expect(reopened.replayReport.samples == 50 * 300)
            #expect(reopened.replayReport.series == 50)
            #expect(reopened.replayReport.wal?.repair == nil)

            // Refs survive the restart; new series get fresh refs above the replayed ones.
            let app = reopened.makeAppender()
            let refAfter = try app.append(labels(["__name__": "metric_0", "instance": "host-0"]), at: 300 * 15_000, value: 1)
            #expect(refAfter == refBefore)
            let fresh = try app.append(labels(["__name__": "new"]), at: 300 * 15_000, value: 1)
            #expect(fresh.raw > 50)
            try await app.commit()
            try reopened.close()

            // A second restart reads both runs' segments, with series logged only in the first.
            let third = try TSDB.open(directory: dir, logger: Self.quiet)
            var more = expected
            more[labels(["__name__": "metric_0", "instance": "host-0"])]?.append(Sample(timestamp: 300 * 15_000, value: 1))
            more[labels(["__name__": "new"])] = [Sample(timestamp: 300 * 15_000, value: 1)]
            #expect(Self.sameData(try await Self.readAll(third), more))
            #expect(third.replayReport.unknownSeriesSamples == 0)
            try third.close()
        }
    }

    @Test func replayMapsDuplicateSeriesRecordsAndCountsUnknownRefs() async throws {
        try await withTemporaryDirectory { dir in
            let wal = try WAL(directory: dir + "/wal")
            let a = labels(["__name__": "a"])
            try wal.log([
                .series([RecordSeries(ref: 5, labels: a)]),
                .samples([RecordSample(ref: 5, timestamp: 10, value: 1)]),
                .series([RecordSeries(ref: 9, labels: a), RecordSeries(ref: 5, labels: a)]),
                .samples([RecordSample(ref: 9, timestamp: 20, value: 2), RecordSample(ref: 77, timestamp: 20, value: 3),
                          RecordSample(ref: 5, timestamp: 15, value: 9)]),
            ])
            try wal.close()
            let db = try TSDB.open(directory: dir, logger: DBTests.quiet)
            #expect(db.replayReport.series == 1 && db.replayReport.duplicateSeries == 1)
            #expect(db.replayReport.unknownSeriesSamples == 1)
            #expect(db.replayReport.rejectedSamples == 1) // t=15 after t=20: out of order
            #expect(try await Self.readAll(db) == [a: [Sample(timestamp: 10, value: 1), Sample(timestamp: 20, value: 2)]])
            let fresh = try db.makeAppender().append(labels(["__name__": "b"]), at: 30, value: 1)
            #expect(fresh.raw > 9)
            try db.close()
        }
    }

    @Test func tornWALTailIsRepairedAndReported() async throws {
        try await withTemporaryDirectory { dir in
            let db = try TSDB.open(directory: dir, logger: Self.quiet)
            let first = try await Self.fill(db, seriesCount: 5, batches: 10)
            _ = try await Self.fill(db, seriesCount: 5, batches: 1, start: 10 * 15_000)
            try db.close()
            // Cut the last record in half.
            let segment = dir + "/wal/" + (try FileManager.default.contentsOfDirectory(atPath: dir + "/wal").sorted().last!)
            let size = (try FileManager.default.attributesOfItem(atPath: segment)[.size] as! NSNumber).intValue
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: segment))
            try handle.truncate(atOffset: UInt64(size - 20))
            try handle.close()

            let logs = CapturedLogs()
            let reopened = try TSDB.open(directory: dir, logger: logs.logger)
            #expect(reopened.replayReport.wal?.repair != nil)
            #expect(Self.sameData(try await Self.readAll(reopened), first))
            #expect(logs.lines.withLock { $0 }.contains { $0.0 == .warning })
            try reopened.close()
        }
    }

    @Test func closedDatabaseRefusesAppendsAndQueries() async throws {
        try await withTemporaryDirectory { dir in
            let db = try TSDB.open(directory: dir, logger: Self.quiet)
            let pending = db.makeAppender()
            try pending.append(labels(["a": "1"]), at: 1, value: 1)
            try db.close()
            try db.close() // idempotent
            await #expect(throws: TSDBError.self) { try await pending.commit() }
            #expect(throws: AppendError(.unavailable, "the TSDB is closed")) {
                try db.makeAppender().append(labels(["a": "1"]), at: 2, value: 1)
            }
            await #expect(throws: TSDBError.self) { try await db.withQuerier(from: 0, through: 1) { _ in 0 } }
        }
    }

    @Test(arguments: [
        { (o: inout TSDBOptions) in o.blockRange = 0 },
        { (o: inout TSDBOptions) in o.retentionSize = 0 },
        { (o: inout TSDBOptions) in o.walSegmentSize = 1000 },
        { (o: inout TSDBOptions) in o.retentionTime = PrometheusDuration(milliseconds: -1) },
    ] as [@Sendable (inout TSDBOptions) -> Void])
    func invalidOptionsAreRejectedBeforeTouchingDisk(_ change: @Sendable (inout TSDBOptions) -> Void) throws {
        var options = TSDBOptions()
        change(&options)
        let dir = NSTemporaryDirectory() + "pharos-never-created-\(UUID().uuidString)"
        #expect(throws: TSDBError.self) { try TSDB.open(directory: dir, options: options, logger: Self.quiet) }
        #expect(!FileManager.default.fileExists(atPath: dir))
    }
}

/// Drops every log event.
struct SwallowingLogHandler: LogHandler {
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .critical
    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }
    func log(event: LogEvent) {}
}

@Suite(.timeLimit(.minutes(5))) struct DBConcurrencyTests {
    @Test func queriesRunWhileAppendersCommit() async throws {
        try await withTemporaryDirectory { dir in
            let db = try TSDB.open(directory: dir, logger: DBTests.quiet)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for worker in 0..<4 {
                    group.addTask {
                        for t in 0..<200 {
                            let app = db.makeAppender()
                            for series in 0..<10 {
                                try app.append(labels(["w": "\(worker)", "s": "\(series)"]), at: Int64(t) * 10, value: Double(t))
                            }
                            try await app.commit()
                        }
                    }
                }
                group.addTask {
                    for _ in 0..<50 {
                        let data = try await DBTests.readAll(db)
                        for samples in data.values {
                            // Each series is strictly increasing in time and gap-free as committed.
                            #expect(samples.map(\.timestamp) == samples.indices.map { Int64($0) * 10 })
                        }
                        // Commits are seen whole: a worker's 10 series always have equal lengths.
                        for worker in 0..<4 {
                            let lengths = Set(data.filter { $0.key["w"] == "\(worker)" }.values.map(\.count))
                            #expect(lengths.count <= 1)
                        }
                    }
                }
                try await group.waitForAll()
            }
            #expect(try await DBTests.readAll(db).values.allSatisfy { $0.count == 200 })
            #expect(db.head.stats.numSeries == 40)
            try db.close()
        }
    }
}
