import Foundation
import PharosCore
import PharosTestSupport
import Synchronization
import Testing
@testable import TSDB

@Suite struct DBMaintenanceTests {
    static let hour: Int64 = 3_600_000

    @Test func headCompactionIsDueAfterOneAndAHalfBlockRanges() {
        let range = 2 * Self.hour
        #expect(MaintenancePlan.headCompaction(headMinTime: nil, headMaxTime: nil, blockRange: range) == nil)
        #expect(MaintenancePlan.headCompaction(headMinTime: 0, headMaxTime: 3 * Self.hour, blockRange: range) == nil)
        #expect(MaintenancePlan.headCompaction(headMinTime: 0, headMaxTime: 3 * Self.hour + 1, blockRange: range) == 0..<range)
        // Aligned to the block range, not to the head's first sample.
        #expect(MaintenancePlan.headCompaction(headMinTime: 5 * Self.hour, headMaxTime: 9 * Self.hour, blockRange: range)
                == 4 * Self.hour..<6 * Self.hour)
    }

    @Test func retentionByTimeAndBySize() {
        let blocks = (0..<5).map { BlockSummary(id: "b\($0)", minTime: Int64($0) * 10, maxTime: Int64($0 + 1) * 10, sizeBytes: 100) }
        let byTime = MaintenancePlan.retention(blocks: blocks, retentionTime: PrometheusDuration(milliseconds: 30),
                                               retentionSize: nil)
        #expect(byTime.map(\.id) == ["b0", "b1"])
        let bySize = MaintenancePlan.retention(blocks: blocks.shuffled(), retentionTime: nil, retentionSize: 250, extraBytes: 10)
        #expect(bySize.map(\.id) == ["b0", "b1", "b2"])
        #expect(MaintenancePlan.retention(blocks: blocks, retentionTime: nil, retentionSize: nil).isEmpty)
        #expect(MaintenancePlan.retention(blocks: [], retentionTime: PrometheusDuration(milliseconds: 1), retentionSize: 1).isEmpty)
    }

    /// Records the ranges it is asked to persist and what the head held in them.
    final class RecordingWriter: HeadBlockWriting {
        let written = Mutex<[(Range<Timestamp>, Int)]>([])
        func writeBlock(from head: HeadReader, range: Range<Timestamp>, into directory: String) throws -> BlockSummary? {
            var samples = 0
            for ref in head.allPostings() {
                for chunk in head.series(ref, from: range.lowerBound, through: range.upperBound - 1)?.chunks ?? [] {
                    var iterator = ChunkSeriesIterator(chunks: [chunk], from: range.lowerBound, through: range.upperBound - 1)
                    while iterator.next() { samples += 1 }
                }
            }
            written.withLock { $0.append((range, samples)) }
            return BlockSummary(id: "block-\(range.lowerBound)", minTime: range.lowerBound, maxTime: range.upperBound, sizeBytes: 0)
        }
    }

    @Test func maintenanceDefersWithoutAWriterAndCompactsWithOne() async throws {
        try await withTemporaryDirectory { dir in
            var options = TSDBOptions()
            options.blockRange = 1000
            let db = try TSDB.open(directory: dir, options: options, logger: DBTests.quiet)
            let app = db.makeAppender()
            for t in stride(from: Int64(0), through: 2500, by: 100) { try app.append(labels(["a": "1"]), at: t, value: 1) }
            try app.append(labels(["a": "old"]), at: 50, value: 1)
            try await app.commit()

            let deferred = try db.maintain(blockWriter: nil)
            #expect(deferred.compactionDue == 0..<1000)
            #expect(deferred.blockWritten == nil && !deferred.deferred.isEmpty)
            #expect(db.head.stats.numSeries == 2 && db.head.stats.minTime == 0)

            let writer = RecordingWriter()
            let report = try db.maintain(blockWriter: writer)
            #expect(writer.written.withLock { $0.map(\.0) } == [0..<1000])
            #expect(writer.written.withLock { $0.map(\.1) } == [11])
            #expect(report.blockWritten?.id == "block-0")
            #expect(report.seriesTruncated == 1)
            #expect(db.head.stats.minTime == 1000 && db.head.minValidTime == 1000)
            // 1000...2500 spans 1.5 ranges exactly: not due again.
            #expect(try db.maintain(blockWriter: writer).compactionDue == nil)
            try db.close()
        }
    }

    @Test func maintenanceLoopStopsOnCancellation() async throws {
        try await withTemporaryDirectory { dir in
            let db = try TSDB.open(directory: dir, logger: DBTests.quiet)
            let loop = Task { await db.runMaintenance(every: .milliseconds(1), clock: ContinuousClock()) }
            loop.cancel()
            await loop.value
            try db.close()
        }
    }
}

@Suite struct DBWALTruncationTests {
    @Test func compactionCheckpointsTheWALAndRestartKeepsTheHead() async throws {
        try await withTemporaryDirectory { dir in
            var options = TSDBOptions()
            options.blockRange = 10_000
            options.walSegmentSize = 32 * 1024
            let db = try TSDB.open(directory: dir, options: options, logger: DBTests.quiet)
            // ~30 s of data for 40 series, one commit per timestamp: many small segments.
            for t in stride(from: Int64(0), to: 30_000, by: 100) {
                let app = db.makeAppender()
                for index in 0..<40 where !(index == 0 && t >= 5000) { // series 0 stops early
                    try app.append(labels(["__name__": "m", "i": "\(index)"]), at: t, value: Double(t) + Double(index))
                }
                try await app.commit()
            }
            let segmentsBefore = try db.wal.segments()
            #expect(segmentsBefore.count >= 4)
            let writer = DBMaintenanceTests.RecordingWriter()
            let report = try db.maintain(blockWriter: writer)
            #expect(writer.written.withLock { $0.map(\.0) } == [0..<10_000, 10_000..<20_000])
            #expect(report.seriesTruncated == 1)
            let checkpoint = try #require(report.walCheckpoint)
            #expect(checkpoint.droppedSeries >= 1 && checkpoint.droppedSamples > 0)
            #expect(try db.wal.segments().first! > segmentsBefore.first!)
            let expected = try await DBTests.readAll(db)
            #expect(expected.count == 39 && expected.values.allSatisfy { $0.first!.timestamp == 20_000 })
            try db.close()

            let reopened = try TSDB.open(directory: dir, options: options, logger: DBTests.quiet)
            // The checkpoint keeps samples of the cut range's end onward, so the reopened head may
            // hold more of the latest window than the truncated head, never less.
            let replayed = try await DBTests.readAll(reopened).mapValues { $0.filter { $0.timestamp >= 20_000 } }
            #expect(DBTests.sameData(replayed, expected))
            #expect(reopened.replayReport.unknownSeriesSamples == 0)
            try reopened.close()
        }
    }
}
