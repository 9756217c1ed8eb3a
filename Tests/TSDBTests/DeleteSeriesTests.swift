import Foundation
import PharosCore
import PharosTestSupport
import Testing
@testable import TSDB

/// `TSDB.deleteSeries` and `cleanTombstones`: tombstones in the head (logged to the WAL) and in
/// blocks (the `tombstones` file); no query path returns deleted samples; compaction and the
/// clean-up drop them from disk.
@Suite(.timeLimit(.minutes(3))) struct DeleteSeriesTests {
    static let a = labels(["__name__": "m", "i": "1"])
    static let b = labels(["__name__": "m", "i": "2"])

    /// `a` and `b` every 100 ms from `from` through `through`.
    static func fill(_ db: TSDB, from: Int64, through: Int64) async throws {
        let app = db.makeAppender()
        for t in stride(from: from, through: through, by: 100) {
            try app.append(a, at: t, value: Double(t))
            try app.append(b, at: t, value: -Double(t))
        }
        try await app.commit()
    }

    static func times(_ db: TSDB, _ series: Labels) async throws -> [Int64] {
        try await DBTests.readAll(db)[series]?.map(\.timestamp) ?? []
    }

    /// What each iterator path yields for the one series matching `matchers`: every sample by
    /// `next`, the sample `seek(to: seek)` lands on, `appendSamples(through:)` from the start
    /// (buffer and the sample after), and `advance(through:)` from the start.
    struct Paths: Equatable {
        var next: [Int64]
        var seek: Int64?
        var appended: [Int64]
        var appendedNext: Int64?
        var advanced: (last: Int64?, next: Int64?)

        static func == (l: Paths, r: Paths) -> Bool {
            l.next == r.next && l.seek == r.seek && l.appended == r.appended && l.appendedNext == r.appendedNext
                && l.advanced.last == r.advanced.last && l.advanced.next == r.advanced.next
        }
    }

    static func paths(_ db: TSDB, _ series: Labels, seek: Int64, through: Int64) async throws -> Paths {
        try await db.withQuerier(from: .min, through: .max) { querier in
            let matchers = series.map { LabelMatcher.equal($0.name, $0.value) }
            var set = try await querier.select(matchers, hints: nil, sorted: true)
            guard let one = try set.next() else { return Paths(next: [], seek: nil, appended: [], appendedNext: nil, advanced: (nil, nil)) }
            var iterator = one.makeIterator()
            var next: [Int64] = []
            while iterator.next() { next.append(iterator.current.timestamp) }
            iterator = one.makeIterator()
            let seeked = iterator.seek(to: seek) ? iterator.current.timestamp : nil
            iterator = one.makeIterator()
            var buffer: [Sample] = []
            let after = iterator.appendSamples(through: through, to: &buffer)
            iterator = one.makeIterator()
            let advanced = iterator.advance(through: through)
            return Paths(next: next, seek: seeked, appended: buffer.map(\.timestamp), appendedNext: after?.timestamp,
                         advanced: (advanced.last?.timestamp, advanced.next?.timestamp))
        }
    }

    @Test func headDeletesHideSamplesOnEveryIteratorPathAndSurviveARestart() async throws {
        try await withTemporaryDirectory { dir in
            let db = try TSDB.open(directory: dir, logger: DBTests.quiet)
            try await Self.fill(db, from: 0, through: 1000)
            try await db.deleteSeries(matching: [.equal("i", "1")], from: 200, through: 500)
            let want = Paths(next: [0, 100, 600, 700, 800, 900, 1000], seek: 600, appended: [0, 100, 600, 700, 800],
                             appendedNext: 900, advanced: (800, 900))
            #expect(try await Self.paths(db, Self.a, seek: 250, through: 850) == want)
            #expect(try await Self.times(db, Self.b) == Array(stride(from: 0, through: 1000, by: 100)))
            #expect(db.head.tombstones.all.total == 1)

            // Clamped to what the series held: samples appended later stay visible.
            try await db.deleteSeries(matching: [.equal("i", "2")], from: .min, through: .max)
            #expect(try await DBTests.readAll(db)[Self.b] == nil)
            let app = db.makeAppender()
            try app.append(Self.b, at: 1100, value: 1)
            try await app.commit()
            #expect(try await Self.times(db, Self.b) == [1100])
            try db.close()

            // The WAL's tombstone records (type 3) bring both deletes back.
            let reopened = try TSDB.open(directory: dir, logger: DBTests.quiet)
            #expect(reopened.replayReport.tombstones == 2)
            #expect(try await Self.paths(reopened, Self.a, seek: 250, through: 850) == want)
            #expect(try await Self.times(reopened, Self.b) == [1100])
            try reopened.close()
        }
    }

    @Test func blockDeletesWriteTheTombstonesFileAndMetaAndSurviveARestart() async throws {
        try await withTemporaryDirectory { dir in
            var options = TSDBOptions()
            options.blockRange = 1000
            let db = try TSDB.open(directory: dir, options: options, logger: DBTests.quiet)
            try await Self.fill(db, from: 0, through: 2500)
            _ = try await db.maintainAsync()
            let block = try #require(db.blocks.first)
            #expect(block.meta.maxTime == 1000)

            try await db.deleteSeries(matching: [.equal("i", "1")], from: 300, through: 1500)
            // The block's stone is clamped to its chunks; the head's to its samples.
            let ref = try #require(block.postings("i", values: ["1"]).first)
            #expect(try TombstonesFile.read(blockDirectory: block.directory)[ref].list == [TimeInterval(300, 900)])
            #expect(try BlockMeta.read(directory: block.directory).stats.numTombstones == 1)
            #expect(try PosixFile.list(block.directory).sorted() == ["chunks", "index", "meta.json", "tombstones"])
            #expect(db.head.tombstones.all.stones.map(\.interval) == [TimeInterval(1000, 1500)])
            let want = [0, 100, 200] + Array(stride(from: Int64(1600), through: 2500, by: 100))
            #expect(try await Self.times(db, Self.a) == want)
            #expect(try await Self.paths(db, Self.a, seek: 300, through: 1700)
                    == Paths(next: want, seek: 1600, appended: [0, 100, 200, 1600, 1700], appendedNext: 1800, advanced: (1700, 1800)))
            #expect(try await Self.times(db, Self.b).count == 26)
            try db.close()

            // Prometheus' own reader (promtool opens the block with its tombstones file and
            // replays our WAL, tombstone records included) hides the same samples.
            let dump = try BlockPromtoolTests.run(["tsdb", "dump", "--min-time=-1000", "--max-time=100000", dir])
            let dumped = dump.split(separator: "\n").filter { $0.hasPrefix(#"{__name__="m", i="1"}"#) }
                .compactMap { $0.split(separator: " ").last.flatMap { Int64($0) } }
            #expect(dumped == want, "\(dump.prefix(2000))")

            let reopened = try TSDB.open(directory: dir, options: options, logger: DBTests.quiet)
            #expect(reopened.blocks.first?.tombstones.total == 1)
            #expect(try await Self.times(reopened, Self.a) == want)
            try reopened.close()
        }
    }

    @Test func headCompactionLeavesDeletedSamplesOutOfTheBlock() async throws {
        try await withTemporaryDirectory { dir in
            var options = TSDBOptions()
            options.blockRange = 1000
            let db = try TSDB.open(directory: dir, options: options, logger: DBTests.quiet)
            try await Self.fill(db, from: 0, through: 2500)
            try await db.deleteSeries(matching: [.equal("i", "1")], from: 200, through: 400)
            _ = try await db.maintainAsync()
            let block = try #require(db.blocks.first)
            #expect(block.tombstones.isEmpty)
            let ref = try #require(block.postings("i", values: ["1"]).first)
            let raw = try block.readSeries(ref, applyingTombstones: false).chunks.flatMap { chunk -> [Int64] in
                var iterator = chunk.makeIterator()
                var out: [Int64] = []
                while iterator.next() { out.append(iterator.current.timestamp) }
                return out
            }
            #expect(raw == [0, 100, 500, 600, 700, 800, 900])
            // Truncation dropped the head's interval with the range it covered.
            #expect(db.head.tombstones.all.isEmpty)
            try db.close()
        }
    }

    static func rawTimes(_ block: PersistedBlock, _ value: String) throws -> [Int64] {
        guard let ref = block.postings("i", values: [value]).first else { return [] }
        return try block.readSeries(ref, applyingTombstones: false).chunks.flatMap { chunk -> [Int64] in
            var iterator = chunk.makeIterator()
            var out: [Int64] = []
            while iterator.next() { out.append(iterator.current.timestamp) }
            return out
        }
    }

    @Test func cleanTombstonesRewritesBlocksAndDeletesEmptiedOnes() async throws {
        try await withTemporaryDirectory { dir in
            var options = TSDBOptions()
            options.blockRange = 1000
            let db = try TSDB.open(directory: dir, options: options, logger: DBTests.quiet)
            try await Self.fill(db, from: 0, through: 2900)
            _ = try await db.maintainAsync()
            let blocks = db.blocks
            try #require(blocks.count == 2)
            try await db.deleteSeries(matching: [.equal("__name__", "m")], from: 0, through: 999)
            try await db.deleteSeries(matching: [.equal("i", "1")], from: 1100, through: 1800)
            #expect(blocks.allSatisfy { !$0.tombstones.isEmpty })
            let before = try await DBTests.readAll(db)

            let created = try await db.cleanTombstones()
            #expect(created.count == 1) // the older block lost every sample: deleted, not rewritten
            let rewritten = try #require(db.blocks.first)
            #expect(db.blocks.map(\.ulid) == created)
            #expect(!FileManager.default.fileExists(atPath: blocks[0].directory))
            #expect(!FileManager.default.fileExists(atPath: blocks[1].directory))
            #expect(rewritten.tombstones.isEmpty)
            #expect(rewritten.meta.minTime == 1000 && rewritten.meta.maxTime == 2000)
            #expect(rewritten.meta.compaction.level == blocks[1].meta.compaction.level)
            #expect(rewritten.meta.compaction.sources == blocks[1].meta.compaction.sources)
            #expect(rewritten.meta.compaction.parents?.map(\.ulid) == [blocks[1].ulid])
            #expect(try Self.rawTimes(rewritten, "1") == [1000, 1900])
            #expect(try Self.rawTimes(rewritten, "2").count == 10)
            #expect(DBTests.sameData(try await DBTests.readAll(db), before))
            #expect(try await db.cleanTombstones().isEmpty) // nothing left to clean

            // The newest block emptied is rewritten empty, not deleted: its end keeps the WAL's
            // copies of its samples from coming back at the next open.
            try await db.deleteSeries(matching: [.equal("__name__", "m")], from: 1000, through: 1999)
            let emptied = try await db.cleanTombstones()
            #expect(emptied.count == 1 && db.blocks.map(\.ulid) == emptied)
            #expect(db.blocks.first?.meta.stats.numSeries == 0 && db.blocks.first?.meta.maxTime == 2000)
            let after = try await DBTests.readAll(db)
            #expect(after.values.allSatisfy { $0.allSatisfy { $0.timestamp >= 2000 } })
            try db.close()

            let reopened = try TSDB.open(directory: dir, options: options, logger: DBTests.quiet)
            #expect(reopened.blocks.map(\.ulid) == emptied)
            #expect(DBTests.sameData(try await DBTests.readAll(reopened), after))
            try reopened.close()
        }
    }

    @Test func blockCompactionDropsDeletedSamples() async throws {
        try await withTemporaryDirectory { dir in
            var options = TSDBOptions()
            options.blockRange = 1000
            let db = try TSDB.open(directory: dir, options: options, logger: DBTests.quiet)
            try await Self.fill(db, from: 0, through: 2900)
            _ = try await db.maintainAsync()
            try await db.deleteSeries(matching: [.equal("i", "2")], from: 500, through: 1500)
            let before = try await DBTests.readAll(db)
            let blocks = db.blocks
            let merged = try #require(try BlockCompactor.compact(blocks, into: dir + "/merged", ulid: ULID(milliseconds: 1)))
            let block = try PersistedBlock(directory: dir + "/merged/" + merged.ulid)
            #expect(block.tombstones.isEmpty)
            #expect(try Self.rawTimes(block, "2") == [0, 100, 200, 300, 400, 1600, 1700, 1800, 1900])
            #expect(try Self.rawTimes(block, "1").count == 20)
            #expect(before[Self.b]?.map(\.timestamp).prefix(5) == [0, 100, 200, 300, 400])
            try db.close()
        }
    }

    @Test func checkpointKeepsTombstonesOfKeptSeriesThatReachTheCut() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let wal = try WAL(directory: directory.path, segmentSize: WALFormat.pageSize, compression: .none)
        try wal.log([.series([RecordSeries(ref: 1, labels: Self.a), RecordSeries(ref: 2, labels: Self.b)])])
        try wal.log([.tombstones([RecordTombstone(ref: 1, interval: TimeInterval(0, 10)),
                                  RecordTombstone(ref: 1, interval: TimeInterval(100, 200)),
                                  RecordTombstone(ref: 2, interval: TimeInterval(100, 200))])])
        try wal.cutSegment()
        try wal.log([.samples([])])
        try wal.cutSegment()
        try wal.checkpoint(through: 0, keep: { $0 == 1 }, minTime: 50)
        try wal.close()
        var stones: [RecordTombstone] = []
        try WAL(directory: directory.path).replay { if case .tombstones(let list) = $0 { stones += list } }
        #expect(stones == [RecordTombstone(ref: 1, interval: TimeInterval(100, 200))])
    }

    @Test func aDamagedTombstonesFileKeepsTheBlockFromOpening() async throws {
        try await withTemporaryDirectory { dir in
            var options = TSDBOptions()
            options.blockRange = 1000
            let db = try TSDB.open(directory: dir, options: options, logger: DBTests.quiet)
            try await Self.fill(db, from: 0, through: 2500)
            _ = try await db.maintainAsync()
            let block = try #require(db.blocks.first)
            try db.close()
            try BlockFiles.writeFile(block.directory + "/tombstones", [0x01, 0x30, 0xBA, 0x30, 0x01, 0, 0, 0, 1])
            let error = try #require(throws: TSDBError.self) { try PersistedBlock(directory: block.directory) }
            #expect(error.kind == .corruptBlock)
            #expect(error.location == block.directory + "/tombstones at byte 5")
            #expect(error.message == "tombstones checksum mismatch (want 0x00000001, got 0x00000000)")
        }
    }
}
