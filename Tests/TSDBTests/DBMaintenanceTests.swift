import Foundation
import PharosCore
import PharosTestSupport
import Synchronization
import Testing
@testable import TSDB

@Suite(.timeLimit(.minutes(5))) struct DBMaintenanceTests {
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

    @Test func compactionPersistsTheOldestRangeAsABlockAndKeepsEverySample() async throws {
        try await withTemporaryDirectory { dir in
            var options = TSDBOptions()
            options.blockRange = 1000
            let db = try TSDB.open(directory: dir, options: options, logger: DBTests.quiet)
            let app = db.makeAppender()
            for t in stride(from: Int64(0), through: 2500, by: 100) { try app.append(labels(["a": "1"]), at: t, value: Double(t)) }
            try app.append(labels(["a": "old"]), at: 50, value: StaleNaN.value)
            try await app.commit()
            let before = try await DBTests.readAll(db)

            let report = try db.maintain()
            #expect(report.compacted.map(\.range) == [0..<1000])
            #expect(report.seriesTruncated == 1)
            #expect(db.blocks.count == 1)
            let meta = try #require(db.blocks.first?.meta)
            #expect(meta.minTime == 0 && meta.maxTime == 1000)
            #expect(meta.stats.numSamples == 11 && meta.stats.numSeries == 2)
            #expect(db.head.stats.minTime == 1000 && db.head.minValidTime == 1000)
            // Block + head answer exactly what the head alone answered.
            #expect(DBTests.sameData(try await DBTests.readAll(db), before))
            // The compacted range is closed to appends.
            #expect(throws: AppendError.self) { try db.makeAppender().append(labels(["a": "2"]), at: 999, value: 1) }
            // 1000...2500 spans 1.5 ranges exactly: not due again.
            #expect(try db.maintain().compacted.isEmpty)
            // Counted for /metrics: one head compaction, two passes that reloaded blocks.
            #expect(db.counters.compactionsTriggered.load(ordering: .relaxed) == 1)
            #expect(db.counters.compactions.load(ordering: .relaxed) == 1)
            #expect(db.counters.compactionsFailed.load(ordering: .relaxed) == 0)
            #expect(db.counters.headTruncations.load(ordering: .relaxed) == 1)
            #expect(db.counters.reloads.load(ordering: .relaxed) == 2)
            #expect(db.counters.blocksBytes.load(ordering: .relaxed) > 0)
            try db.close()

            // After a restart: the block is loaded, the WAL replay skips what it holds.
            let reopened = try TSDB.open(directory: dir, options: options, logger: DBTests.quiet)
            #expect(reopened.blocks.map(\.ulid) == [meta.ulid])
            #expect(reopened.replayReport.persistedSamples == 11)
            #expect(DBTests.sameData(try await DBTests.readAll(reopened), before))
            #expect(try await reopened.withQuerier(from: 0, through: 999) { try await $0.labelValues("a", matching: []) } == ["1", "old"])
            try reopened.close()
        }
    }

    @Test func aDamagedBlockChunkBecomesAWarningNotAFailure() async throws {
        try await withTemporaryDirectory { dir in
            var options = TSDBOptions()
            options.blockRange = 1000
            let db = try TSDB.open(directory: dir, options: options, logger: DBTests.quiet)
            let app = db.makeAppender()
            for t in stride(from: Int64(0), through: 2600, by: 100) { try app.append(labels(["a": "1"]), at: t, value: Double(t)) }
            try await app.commit()
            try db.maintain()
            let block = try #require(db.blocks.first)
            try db.close()
            // Flip a byte inside the first chunk's data (after the 8-byte file header).
            let path = block.directory + "/chunks/000001"
            var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
            bytes[12] ^= 0xFF
            try Data(bytes).write(to: URL(fileURLWithPath: path))

            let reopened = try TSDB.open(directory: dir, options: options, logger: DBTests.quiet)
            let warnings = try await reopened.withQuerier(from: .min, through: .max) { querier in
                var set = try await querier.select([], hints: nil, sorted: true)
                while try set.next() != nil {}
                return set.annotations.warnings
            }
            #expect(warnings.count == 1)
            #expect(warnings.first?.contains(block.ulid) == true)
            try reopened.close()
        }
    }

    @Test func clippingReencodesOnlyTheSamplesInRange() {
        var chunk = XORChunk()
        for t in stride(from: Int64(0), to: 100, by: 10) { chunk.append(timestamp: t, value: Double(t)) }
        let snapshot = ChunkSnapshot(minTime: 0, maxTime: 90, bytes: chunk.bytes)
        let clipped = HeadCompactor.clip(snapshot, to: 25...60)
        #expect(clipped.count == 1 && clipped[0].minTime == 30 && clipped[0].maxTime == 60)
        #expect(decodeAll(clipped[0].bytes).samples.map(\.timestamp) == [30, 40, 50, 60])
        #expect(HeadCompactor.clip(snapshot, to: 91...95).isEmpty)
    }

    @Test func retentionDeletesOldBlocks() async throws {
        try await withTemporaryDirectory { dir in
            var options = TSDBOptions()
            options.blockRange = 1000
            options.retentionTime = PrometheusDuration(milliseconds: 2000)
            let db = try TSDB.open(directory: dir, options: options, logger: DBTests.quiet)
            for t in stride(from: Int64(0), through: 6000, by: 100) {
                let app = db.makeAppender()
                try app.append(labels(["a": "1"]), at: t, value: 1)
                try await app.commit()
            }
            let report = try db.maintain()
            // Head 0...6000 → blocks [0,1000) … [4000,5000); blocks ending ≥2000 before the newest go.
            let ranges: [Range<Int64>] = [0..<1000, 1000..<2000, 2000..<3000, 3000..<4000, 4000..<5000]
            #expect(report.compacted.map(\.range) == ranges)
            #expect(report.deletedBlocks.map(\.maxTime) == [1000, 2000, 3000])
            #expect(db.blocks.map(\.meta.maxTime) == [4000, 5000])
            let names = try FileManager.default.contentsOfDirectory(atPath: dir).filter { ULID($0) != nil }
            #expect(names.count == 2)
            let first = try await db.withQuerier(from: .min, through: .max) { querier in
                var set = try await querier.select([], hints: nil, sorted: true)
                var iterator = try #require(try set.next()).makeIterator()
                _ = iterator.next()
                return iterator.current.timestamp
            }
            #expect(first == 3000)
            try db.close()
        }
    }

    @Test func maintenanceLoopStopsOnCancellation() async throws {
        try await withTemporaryDirectory { dir in
            let db = try TSDB.open(directory: dir, logger: DBTests.quiet)
            let loop = Task { await db.runMaintenance(every: .milliseconds(1), clock: ContinuousClock()) }
            loop.cancel()
            await loop.value
            // The loop ended and left the database usable: an append commits, close succeeds.
            let app = db.makeAppender()
            _ = try app.append(.unknown, Labels(["__name__": "after"]), at: 1, value: 1, options: .none)
            try await app.commit()
            #expect(db.head.stats.numSeries == 1)
            try db.close()
        }
    }
}

@Suite(.timeLimit(.minutes(5))) struct DBWALTruncationTests {
    @Test func compactionCheckpointsTheWALAndRestartKeepsTheHead() async throws {
        try await withTemporaryDirectory { dir in
            var options = TSDBOptions()
            options.blockRange = 10_000
            options.walSegmentSize = 32 * 1024
            options.walCompression = false   // segment counts below assume plain records
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
            let report = try db.maintain()
            #expect(report.compacted.map(\.range) == [0..<10_000, 10_000..<20_000])
            #expect(report.seriesTruncated == 1)
            let checkpoint = try #require(report.walCheckpoint)
            #expect(checkpoint.droppedSeries >= 1 && checkpoint.droppedSamples > 0)
            #expect(try db.wal.segments().first! > segmentsBefore.first!)
            let expected = try await DBTests.readAll(db)
            #expect(expected.count == 40 && expected.values.allSatisfy { $0.first!.timestamp == 0 })
            try db.close()

            let reopened = try TSDB.open(directory: dir, options: options, logger: DBTests.quiet)
            #expect(DBTests.sameData(try await DBTests.readAll(reopened), expected))
            #expect(reopened.blocks.count == 2)
            #expect(reopened.replayReport.unknownSeriesSamples == 0)
            try reopened.close()
        }
    }
}

@Suite(.timeLimit(.minutes(5))) struct DBBlockCompactionTests {
    static func filled(_ dir: String, through end: Int64) async throws -> (TSDB, TSDBOptions) {
        var options = TSDBOptions()
        options.blockRange = 1000
        let db = try TSDB.open(directory: dir, options: options, logger: DBTests.quiet)
        for t in stride(from: Int64(0), through: end, by: 100) {
            let app = db.makeAppender()
            for series in 0..<3 { try app.append(labels(["s": "\(series)"]), at: t, value: Double(t + Int64(series))) }
            try await app.commit()
        }
        return (db, options)
    }

    @Test func maintenanceMergesOlderBlocksIntoLargerRanges() async throws {
        try await withTemporaryDirectory { dir in
            let (db, options) = try await Self.filled(dir, through: 7000)
            let before = try await DBTests.readAll(db)
            let report = try db.maintain()
            #expect(report.compacted.count == 6)
            #expect(report.mergedBlocks.count == 1)
            #expect(db.blocks.map { [$0.meta.minTime, $0.meta.maxTime] } == [[0, 3000], [3000, 4000], [4000, 5000], [5000, 6000]])
            #expect(db.blocks.first?.meta.compaction.level == 2)
            let stats = db.stats
            #expect(stats.blocks.map(\.minTime) == [0, 3000, 4000, 5000])
            #expect(stats.head.minTime == 6000 && stats.head.maxTime == 7000 && stats.head.numSeries == 3)
            #expect(!stats.walSegments.isEmpty)
            #expect(try BlockDirectory.blockNames(in: dir).count == 4)
            #expect(DBTests.sameData(try await DBTests.readAll(db), before))
            try db.close()
            let reopened = try TSDB.open(directory: dir, options: options, logger: DBTests.quiet)
            #expect(reopened.blocks.count == 4)
            #expect(DBTests.sameData(try await DBTests.readAll(reopened), before))
            try reopened.close()
        }
    }

    @Test func parentsLeftByACrashAfterMergingAreDiscardedOnOpen() async throws {
        try await withTemporaryDirectory { dir in
            let (db, options) = try await Self.filled(dir, through: 3600)
            // Cut the head into blocks without merging them: compact by hand afterwards.
            while let due = MaintenancePlan.headCompaction(headMinTime: db.head.minTime, headMaxTime: db.head.maxTime, blockRange: 1000) {
                db.head.seal(before: due.upperBound)
                let name = try #require(try HeadCompactor.write(HeadReader(head: db.head), range: due, into: dir))
                db.addBlock(try PersistedBlock(directory: dir + "/" + name))
                db.head.truncate(before: due.upperBound)
            }
            let before = try await DBTests.readAll(db)
            let parents = db.blocks
            #expect(parents.count == 3)
            // The merged block is written, then the "crash": parents stay on disk.
            let merged = try #require(try BlockCompactor.compact(parents, into: dir, ulid: ULID(milliseconds: 1)))
            try db.close()
            #expect(try BlockDirectory.blockNames(in: dir).count == 4)

            let reopened = try TSDB.open(directory: dir, options: options, logger: DBTests.quiet)
            #expect(reopened.blocks.map(\.ulid) == [merged.ulid])
            #expect(try BlockDirectory.blockNames(in: dir) == [merged.ulid])
            #expect(DBTests.sameData(try await DBTests.readAll(reopened), before))
            try reopened.close()
        }
    }
}
