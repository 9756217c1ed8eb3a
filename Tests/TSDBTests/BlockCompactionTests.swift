import PharosCore
import PharosTestSupport
import Testing
@testable import TSDB

@Suite(.timeLimit(.minutes(5))) struct BlockCompactionTests {
    private func block(_ series: [(Labels, [(Int64, Double)])], in directory: String, ulid: ULID,
                       minTime: Int64, maxTime: Int64) throws -> PersistedBlock {
        let input = series.map { BlockSeries(labels: $0.0, chunks: makeChunks($0.1)) }
        try BlockWriter.write(input, into: directory, ulid: ulid, minTime: minTime, maxTime: maxTime)
        return try PersistedBlock(directory: directory + "/" + ulid.description)
    }

    private func contents(_ block: PersistedBlock) throws -> [Labels: [(Int64, Double)]] {
        var out: [Labels: [(Int64, Double)]] = [:]
        for ref in try block.index.allPostings() {
            let (labels, chunks) = try block.readSeries(ref)
            out[labels] = decodeSamples(chunks)
        }
        return out
    }

    private static let a = Labels(["__name__": "m", "s": "a"])
    private static let b = Labels(["__name__": "m", "s": "b"])
    private static let c = Labels(["__name__": "m", "s": "c"])

    private static func points(_ range: Range<Int>, _ value: (Int) -> Double) -> [(Int64, Double)] {
        range.map { (Int64($0) * 1000, value($0)) }
    }

    @Test func adjacentBlocksMergeSeriesAndCopyChunks() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let first = try block([(Self.a, Self.points(0..<300) { Double($0) }), (Self.b, Self.points(0..<10) { _ in 1 })],
                              in: directory.path, ulid: ULID(milliseconds: 1), minTime: 0, maxTime: 300_000)
        let second = try block([(Self.a, Self.points(300..<500) { Double($0) }), (Self.c, Self.points(300..<301) { _ in 7 })],
                               in: directory.path, ulid: ULID(milliseconds: 2), minTime: 300_000, maxTime: 600_000)
        let ulid = ULID(milliseconds: 3)
        let meta = try #require(try BlockCompactor.compact([first, second], into: directory.path, ulid: ulid))
        #expect(meta.minTime == 0 && meta.maxTime == 600_000)
        #expect(meta.compaction.level == 2)
        #expect(meta.compaction.sources == [first.ulid, second.ulid].sorted())
        #expect(meta.compaction.parents?.map(\.ulid) == [first.ulid, second.ulid])
        #expect(meta.stats.numSeries == 3 && meta.stats.numSamples == 511)

        let merged = try PersistedBlock(directory: directory.path + "/" + ulid.description)
        let got = try contents(merged)
        #expect(got[Self.a]?.map(\.0) == (0..<500).map { Int64($0) * 1000 })
        #expect(got[Self.a]?.map(\.1) == (0..<500).map(Double.init))
        #expect(got[Self.b]?.count == 10 && got[Self.c]?.first?.1 == 7)
        // Non-overlapping chunks are copied, not re-encoded: same bytes as the inputs.
        let ref = try #require(merged.postings("s", values: ["a"]).first)
        let inputChunks = try first.readSeries(first.postings("s", values: ["a"])[0]).chunks
            + second.readSeries(second.postings("s", values: ["a"])[0]).chunks
        #expect(try merged.readSeries(ref).chunks.map(\.bytes) == inputChunks.map(\.bytes))
    }

    @Test func overlappingBlocksAreReencodedAndTheLaterBlockWinsTies() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let first = try block([(Self.a, Self.points(0..<200) { _ in 1 })],
                              in: directory.path, ulid: ULID(milliseconds: 1), minTime: 0, maxTime: 200_000)
        let second = try block([(Self.a, Self.points(150..<400) { _ in 2 })],
                               in: directory.path, ulid: ULID(milliseconds: 2), minTime: 150_000, maxTime: 400_000)
        let ulid = ULID(milliseconds: 3)
        let meta = try #require(try BlockCompactor.compact([first, second], into: directory.path, ulid: ulid, samplesPerChunk: 100))
        #expect(meta.stats.numSamples == 400)
        #expect(meta.stats.numChunks == 4)
        let merged = try PersistedBlock(directory: directory.path + "/" + ulid.description)
        let samples = try #require(try contents(merged)[Self.a])
        #expect(samples.map(\.0) == (0..<400).map { Int64($0) * 1000 })
        #expect(samples.map(\.1) == (0..<400).map { $0 < 150 ? 1 : 2 })
    }

    @Test func emptyInputsProduceNoBlock() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let empty = try block([], in: directory.path, ulid: ULID(milliseconds: 1), minTime: 0, maxTime: 10)
        #expect(try BlockCompactor.compact([empty], into: directory.path, ulid: ULID(milliseconds: 2)) == nil)
        #expect(try BlockCompactor.compact([], into: directory.path, ulid: ULID(milliseconds: 2)) == nil)
    }

    @Test func corruptInputIsAnErrorAndLeavesNoBlock() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let first = try block([(Self.a, Self.points(0..<50) { Double($0) })],
                              in: directory.path + "/in", ulid: ULID(milliseconds: 1), minTime: 0, maxTime: 50_000)
        let path = first.directory + "/chunks/000001"
        var bytes = try PosixFile.readAll(path)
        bytes[20] ^= 0xFF
        try BlockFiles.writeFile(path, bytes)
        let reopened = try PersistedBlock(directory: first.directory)
        #expect(throws: TSDBError.self) {
            try BlockCompactor.compact([reopened], into: directory.path + "/out", ulid: ULID(milliseconds: 2))
        }
        let leftovers = PosixFile.isDirectory(directory.path + "/out") ? try PosixFile.list(directory.path + "/out") : []
        #expect(leftovers.isEmpty)
    }
}
