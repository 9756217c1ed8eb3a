import PharosCore
import PharosTestSupport
import Testing
@testable import TSDB

@Suite(.timeLimit(.minutes(5))) struct BlockCompactionPlanTests {
    /// Blocks named "1", "2", … as (minTime, maxTime) pairs; the planner's ULID strings are
    /// only sorted and echoed, so short names keep the cases readable.
    struct Case: Sendable, CustomStringConvertible {
        var name: String
        var blocks: [(Int64, Int64)]
        var want: [String]
        var description: String { name }
    }

    static let cases: [Case] = [
        Case(name: "nothing", blocks: [], want: []),
        Case(name: "one block", blocks: [(0, 20)], want: []),
        Case(name: "newest block is never compacted", blocks: [(0, 20), (20, 40)], want: []),
        Case(name: "two small blocks wait for the third", blocks: [(0, 20), (20, 40), (40, 60)], want: []),
        Case(name: "full 60-range window", blocks: [(0, 20), (20, 40), (40, 60), (60, 80)], want: ["1", "2", "3"]),
        Case(name: "window ended before the newest block", blocks: [(0, 20), (20, 40), (60, 80), (80, 100)], want: ["1", "2"]),
        Case(name: "bigger range once the small windows are done",
             blocks: [(0, 60), (60, 120), (120, 180), (180, 200), (200, 220)], want: ["1", "2", "3"]),
        Case(name: "block spanning its window boundary is skipped", blocks: [(10, 70), (70, 80), (80, 100), (120, 140)], want: []),
        Case(name: "overlapping blocks first", blocks: [(0, 20), (10, 30), (40, 60)], want: ["1", "2"]),
        Case(name: "overlap run stops at the first gap", blocks: [(0, 20), (19, 40), (30, 45), (50, 60), (55, 70)], want: ["1", "2", "3"]),
        Case(name: "negative times align downwards", blocks: [(-60, -40), (-40, -20), (-20, 0), (0, 20)], want: ["1", "2", "3"]),
    ]

    @Test(arguments: cases)
    func plan(testCase: Case) {
        let metas = testCase.blocks.enumerated().map { index, range in
            BlockMeta(ulid: "\(index + 1)", minTime: range.0, maxTime: range.1)
        }
        let planner = CompactionPlanner(ranges: [20, 60, 180, 540])
        #expect(planner.plan(metas.shuffled()) == testCase.want)
    }

    @Test func exponentialRangesMatchPrometheusDefaults() {
        let hour: Int64 = 3_600_000
        #expect(CompactionPlanner.exponentialRanges(minimum: 2 * hour, count: 4, factor: 3) == [2 * hour, 6 * hour, 18 * hour, 54 * hour])
        #expect(CompactionPlanner.exponentialRanges(minimum: .max / 2, count: 5, factor: 3).count == 1)
    }

    @Test func blockDirectoryListsOnlyCompleteBlocks() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let kept = ULID(milliseconds: 10), torn = ULID(milliseconds: 20)
        try BlockWriter.write([BlockSeries(labels: .init(["a": "1"]), chunks: makeChunks([(1, 1)]))],
                              into: directory.path, ulid: kept, minTime: 0, maxTime: 2)
        try PosixFile.makeDirectory(directory.path + "/" + torn.description + ".tmp")
        try PosixFile.makeDirectory(directory.path + "/wal")
        #expect(try BlockDirectory.blockNames(in: directory.path) == [kept.description])
        #expect(try BlockDirectory.openAll(in: directory.path).map(\.ulid) == [kept.description])
        try BlockDirectory.removeTemporaryFolders(in: directory.path)
        #expect(try PosixFile.list(directory.path).sorted() == [kept.description, "wal"])
        try BlockDirectory.delete(kept.description, in: directory.path)
        #expect(try BlockDirectory.blockNames(in: directory.path) == [])
        #expect(throws: TSDBError.self) { try BlockDirectory.delete("wal", in: directory.path) }
    }
}
