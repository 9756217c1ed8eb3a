import Foundation
import PharosCore
import PharosTestSupport
import Testing
@testable import TSDB

/// `TSDB.snapshot`: hard-linked blocks plus the head cut into a block, usable as a data folder
/// by Pharos and by Prometheus' tools.
@Suite(.timeLimit(.minutes(3))) struct SnapshotTests {
    static func inode(_ path: String) -> UInt64? {
        (try? FileManager.default.attributesOfItem(atPath: path)[.systemFileNumber] as? NSNumber)?.uint64Value
    }

    @Test func snapshotNamesAreUTCTimeAndSixteenHexDigits() {
        let date = Date(timeIntervalSince1970: 1_796_625_556) // 2026-12-07T06:39:16Z
        #expect(TSDB.snapshotName(at: date, random: 0x1234) == "20261207T063916Z-0000000000001234")
        #expect(TSDB.snapshotName(at: date, random: UInt64(Int64.max)) == "20261207T063916Z-7fffffffffffffff")
    }

    @Test func snapshotLinksBlocksCutsTheHeadAndOpensAsTheSameData() async throws {
        try await withTemporaryDirectory { dir in
            var options = TSDBOptions()
            options.blockRange = 1000
            let db = try TSDB.open(directory: dir + "/data", options: options, logger: DBTests.quiet)
            try await DeleteSeriesTests.fill(db, from: 0, through: 2500)
            _ = try await db.maintainAsync()
            let block = try #require(db.blocks.first)
            try await db.deleteSeries(matching: [.equal("i", "1")], from: 200, through: 1200)
            let before = try await DBTests.readAll(db)

            let report = try await db.snapshot(into: dir + "/snap", withHead: true)
            #expect(report.blocks == [block.ulid])
            let headBlock = try #require(report.headBlock)
            let linked = dir + "/snap/" + block.ulid
            for name in ["meta.json", "index", "tombstones", "chunks/000001"] {
                #expect(Self.inode(linked + "/" + name) == Self.inode(block.directory + "/" + name), "\(name) is a hard link")
            }
            #expect(try PosixFile.list(dir + "/snap").sorted() == [block.ulid, headBlock].sorted()) // no WAL
            let cut = try PersistedBlock(directory: dir + "/snap/" + headBlock)
            #expect(cut.meta.minTime == 1000 && cut.meta.maxTime == 2501)
            #expect(cut.tombstones.isEmpty) // the head's deletes are applied, not copied

            // A later delete rewrites the live block's tombstones; the snapshot keeps its own.
            try await db.deleteSeries(matching: [.equal("i", "2")], from: 0, through: 500)
            #expect(try TombstonesFile.read(blockDirectory: linked).total == 1)
            try db.close()

            let copy = try TSDB.open(directory: dir + "/snap", options: options, logger: DBTests.quiet)
            #expect(DBTests.sameData(try await DBTests.readAll(copy), before))
            try copy.close()
            // promtool reads the snapshot folder as a Prometheus data folder.
            let analysis = try BlockPromtoolTests.run(["tsdb", "analyze", dir + "/snap", headBlock])
            #expect(analysis.contains("Block ID: \(headBlock)"))
        }
    }

    @Test func skipHeadCopiesBlocksOnlyAndAnEmptyDatabaseGivesAnEmptyFolder() async throws {
        try await withTemporaryDirectory { dir in
            var options = TSDBOptions()
            options.blockRange = 1000
            let db = try TSDB.open(directory: dir + "/data", options: options, logger: DBTests.quiet)
            #expect(try await db.snapshot(into: dir + "/empty", withHead: true) == SnapshotReport())
            #expect(try PosixFile.list(dir + "/empty").isEmpty)
            try await DeleteSeriesTests.fill(db, from: 0, through: 2500)
            _ = try await db.maintainAsync()
            let report = try await db.snapshot(into: dir + "/blocks", withHead: false)
            #expect(report.headBlock == nil && report.blocks == db.blocks.map(\.ulid))
            #expect(try PosixFile.list(dir + "/blocks") == report.blocks)
            try db.close()
        }
    }
}
