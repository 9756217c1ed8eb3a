import PharosCore
import Testing
@testable import TSDB

@Suite(.timeLimit(.minutes(5))) struct BlockMergeQuerierTests {
    /// Series: a{x=1}, a{x=2,y=1}, a{y=2}, b{x=1}, b{x=""} (no x), c{x=10}.
    static func fixture() async throws -> Head {
        let head = Head()
        let app = head.makeAppender()
        for (index, set) in [
            labels(["__name__": "a", "x": "1"]), labels(["__name__": "a", "x": "2", "y": "1"]),
            labels(["__name__": "a", "y": "2"]), labels(["__name__": "b", "x": "1"]),
            labels(["__name__": "b"]), labels(["__name__": "c", "x": "10"]),
        ].enumerated() {
            try app.append(set, at: 1000, value: Double(index))
        }
        try await app.commit()
        return head
    }

    static let cases: [(String, [LabelMatcher], [String])] = [
        ("equal", [.equal("x", "1")], ["a{x=\"1\"}", "b{x=\"1\"}"]),
        ("equal name", [.equal("__name__", "a")], ["a{x=\"1\"}", "a{x=\"2\", y=\"1\"}", "a{y=\"2\"}"]),
        ("equal empty = missing", [.equal("x", "")], ["a{y=\"2\"}", "b"]),
        ("not equal keeps missing", [try! LabelMatcher(.notEqual, "x", "1")],
         ["a{x=\"2\", y=\"1\"}", "a{y=\"2\"}", "b", "c{x=\"10\"}"]),
        ("not equal empty = present", [try! LabelMatcher(.notEqual, "x", "")],
         ["a{x=\"1\"}", "a{x=\"2\", y=\"1\"}", "b{x=\"1\"}", "c{x=\"10\"}"]),
        ("regex set", [try! LabelMatcher(.regexMatch, "x", "1|2")], ["a{x=\"1\"}", "a{x=\"2\", y=\"1\"}", "b{x=\"1\"}"]),
        ("regex is anchored", [try! LabelMatcher(.regexMatch, "x", "1.*")], ["a{x=\"1\"}", "b{x=\"1\"}", "c{x=\"10\"}"]),
        ("regex matching empty", [try! LabelMatcher(.regexMatch, "x", "|2")], ["a{x=\"2\", y=\"1\"}", "a{y=\"2\"}", "b"]),
        ("regex dot star matches all", [try! LabelMatcher(.regexMatch, "x", ".*")],
         ["a{x=\"1\"}", "a{x=\"2\", y=\"1\"}", "a{y=\"2\"}", "b", "b{x=\"1\"}", "c{x=\"10\"}"]),
        ("regex dot plus needs label", [try! LabelMatcher(.regexMatch, "y", ".+")], ["a{x=\"2\", y=\"1\"}", "a{y=\"2\"}"]),
        ("not regex", [try! LabelMatcher(.regexNoMatch, "x", "1.*")], ["a{x=\"2\", y=\"1\"}", "a{y=\"2\"}", "b"]),
        ("not regex dot star matches none", [try! LabelMatcher(.regexNoMatch, "x", ".*")], []),
        ("combined", [.equal("__name__", "a"), try! LabelMatcher(.notEqual, "y", "1")], ["a{x=\"1\"}", "a{y=\"2\"}"]),
        ("missing label name", [.equal("nope", "1")], []),
        ("missing value", [.equal("x", "3")], []),
        ("no matchers selects all", [], ["a{x=\"1\"}", "a{x=\"2\", y=\"1\"}", "a{y=\"2\"}", "b", "b{x=\"1\"}", "c{x=\"10\"}"]),
    ]

    @Test(arguments: cases.indices)
    func matcherSemantics(_ index: Int) async throws {
        let (name, matchers, expected) = Self.cases[index]
        let head = try await Self.fixture()
        let result = try await selectAll(BlockMergeQuerier(head: head, from: 0, through: 2000), matchers)
        #expect(result.map(\.0.description) == expected, "\(name)")
        // Every result satisfies the matchers, checked independently of postings.
        #expect(result.allSatisfy { matchers.matches($0.0) }, "\(name)")
    }

    @Test func seriesWithoutSamplesInRangeAreLeftOut() async throws {
        let head = try await Self.fixture()
        #expect(try await selectAll(BlockMergeQuerier(head: head, from: 2000, through: 3000), []).isEmpty)
        #expect(try await BlockMergeQuerier(head: head, from: 2000, through: 3000).labelNames(matching: []) == [])
    }

    @Test func labelNamesAndValues() async throws {
        let head = try await Self.fixture()
        let querier = BlockMergeQuerier(head: head, from: 0, through: 2000)
        #expect(try await querier.labelNames(matching: []) == ["__name__", "x", "y"])
        #expect(try await querier.labelNames(matching: [.equal("__name__", "b")]) == ["__name__", "x"])
        #expect(try await querier.labelValues("x", matching: []) == ["1", "10", "2"])
        #expect(try await querier.labelValues("x", matching: [.equal("__name__", "a")]) == ["1", "2"])
        #expect(try await querier.labelValues("nope", matching: []) == [])
    }

    @Test func postingsSetOperations() {
        #expect(Postings.intersect([1, 3, 5, 7], [2, 3, 7, 9]) == [3, 7])
        #expect(Postings.intersect([[1, 2, 3], [2, 3], [3, 4]]) == [3])
        #expect(Postings.intersect([]) == [])
        #expect(Postings.intersect([[1, 2], [2, 3], [2, 9]]) == [2])
        #expect(Postings.intersect([[5, 6], [1, 2]]) == [])
        #expect(Postings.merge([1, 4, 9], [2, 4, 10]) == [1, 2, 4, 9, 10])
        #expect(Postings.merge([[5], [], [1, 5], [3]]) == [1, 3, 5])
        #expect(Postings.subtract([1, 2, 3, 4], [2, 4, 6]) == [1, 3])
        #expect(Postings.subtract([1, 2], []) == [1, 2])
    }

    /// A second reader standing in for a persisted block: same series, older and overlapping chunks.
    struct FakeBlock: BlockReader {
        var entries: [(Labels, [ChunkSnapshot])]
        var minTime: Timestamp { entries.flatMap(\.1).map(\.minTime).min() ?? .max }
        var maxTime: Timestamp { entries.flatMap(\.1).map(\.maxTime).max() ?? .min }
        func postings(_ name: String, values: [String]) -> [UInt64] {
            entries.indices.filter { values.contains(entries[$0].0[name]) && entries[$0].0.has(name) }.map { UInt64($0 + 1) }
        }
        func allPostings() -> [UInt64] { entries.indices.map { UInt64($0 + 1) } }
        func labelNames() -> [String] { Set(entries.flatMap { $0.0.map(\.name) }).sorted() }
        func labelValues(_ name: String) -> [String] { Set(entries.compactMap { $0.0.value(of: name) }).sorted() }
        func series(_ ref: UInt64, from mint: Timestamp, through maxt: Timestamp) -> (labels: Labels, chunks: [ChunkSnapshot])? {
            let entry = entries[Int(ref) - 1]
            return (entry.0, entry.1.filter { $0.overlaps(mint, maxt) })
        }
    }

    static func chunk(_ samples: [(Int64, Double)]) -> ChunkSnapshot {
        var chunk = XORChunk()
        for (t, v) in samples { chunk.append(timestamp: t, value: v) }
        return ChunkSnapshot(minTime: chunk.firstTimestamp, maxTime: chunk.lastTimestamp, bytes: chunk.bytes)
    }

    @Test func mergesReadersAndDeduplicatesOverlappingChunks() async throws {
        let head = try await Self.fixture() // every series has (1000, index)
        let block = FakeBlock(entries: [
            (labels(["__name__": "a", "x": "1"]), [Self.chunk([(100, -1), (500, -2), (1000, 99)]), Self.chunk([(700, -3), (900, -4)])]),
            (labels(["__name__": "z"]), [Self.chunk([(10, 1), (20, 2)])]),
        ])
        let querier = BlockMergeQuerier(readers: [block, HeadReader(head: head)], from: 0, through: 2000)
        let result = try await selectAll(querier, [try LabelMatcher(.regexMatch, "__name__", "a|z")], sorted: false)
        #expect(result.map(\.0.description) == ["a{x=\"1\"}", "a{x=\"2\", y=\"1\"}", "a{y=\"2\"}", "z"])
        // (1000) exists in both; the earlier-starting chunk (the block's) wins once.
        #expect(result[0].1 == [Sample(timestamp: 100, value: -1), Sample(timestamp: 500, value: -2), Sample(timestamp: 700, value: -3),
                                Sample(timestamp: 900, value: -4), Sample(timestamp: 1000, value: 99)])
        #expect(result[3].1.map(\.timestamp) == [10, 20])
        #expect(try await querier.labelValues("__name__", matching: []) == ["a", "b", "c", "z"])
    }

    /// Any `BlockReader` gets the head's treatment: read inside its stable view, postings redone
    /// when its series generation moved, its read warning passed on. No downcasts.
    @Test func everyReaderIsReadThroughTheProtocolAlone() async throws {
        final class Box: @unchecked Sendable { var views = 0; var generation = 0; var postingsCalls = 0 }
        struct Observed: BlockReader {
            let inner: FakeBlock
            let box: Box
            var minTime: Timestamp { inner.minTime }
            var maxTime: Timestamp { inner.maxTime }
            func postings(_ name: String, values: [String]) -> [UInt64] {
                box.postingsCalls += 1
                return inner.postings(name, values: values)
            }
            func allPostings() -> [UInt64] { inner.allPostings() }
            func labelNames() -> [String] { inner.labelNames() }
            func labelValues(_ name: String) -> [String] { inner.labelValues(name) }
            func series(_ ref: UInt64, from mint: Timestamp, through maxt: Timestamp) -> (labels: Labels, chunks: [ChunkSnapshot])? {
                inner.series(ref, from: mint, through: maxt)
            }
            var seriesGeneration: Int { box.generation }
            func withStableView(_ body: () -> Void) {
                box.views += 1
                box.generation += 1 // a series appeared between resolving postings and the view
                body()
            }
            var readWarning: String? { "reading fake: damaged" }
        }
        let box = Box()
        let reader = Observed(inner: FakeBlock(entries: [(labels(["__name__": "z"]), [Self.chunk([(10, 1)])])]), box: box)
        let querier = BlockMergeQuerier(readers: [reader], from: 0, through: 100)
        let set = try await querier.select([.equal("__name__", "z")], hints: nil, sorted: true)
        #expect(set.annotations.warnings == ["reading fake: damaged"])
        #expect(box.views == 1)
        #expect(box.postingsCalls == 2) // resolved outside the view, then again inside it
        #expect(try await selectAll(querier, [.equal("__name__", "z")]).map(\.1) == [[Sample(timestamp: 10, value: 1)]])
    }

    @Test func iteratorSeeksAcrossChunkGroups() {
        let chunks = [Self.chunk([(0, 0), (10, 1)]), Self.chunk([(20, 2), (30, 3)]), Self.chunk([(40, 4), (50, 5)])]
        var iterator = ChunkSeriesIterator(chunks: chunks, from: 5, through: 45)
        let found = iterator.seek(to: 25)
        #expect(found && iterator.current.timestamp == 30)
        let stay = iterator.seek(to: 1)
        #expect(stay && iterator.current.timestamp == 30)
        let next = iterator.next()
        #expect(next && iterator.current.timestamp == 40)
        let end = iterator.next()
        #expect(!end) // 50 is past maxt
        var fresh = ChunkSeriesIterator(chunks: chunks, from: 5, through: 45)
        var seen: [Int64] = []
        while fresh.next() { seen.append(fresh.current.timestamp) }
        #expect(seen == [10, 20, 30, 40])
    }
}

@Suite(.timeLimit(.minutes(5))) struct HeadIsolationTests {
    @Test func selectSeesEachCommitWholeOrNotAtAll() async throws {
        let head = Head()
        let seriesCount = 1000
        let sets = (0..<seriesCount).map { labels(["__name__": "iso", "s": "\($0)"]) }
        let first = head.makeAppender()
        for set in sets { try first.append(set, at: 0, value: 0) }
        try await first.commit()
        try await withThrowingTaskGroup(of: Int.self) { group in
            group.addTask {
                for t in 1...25 {
                    let app = head.makeAppender()
                    for set in sets { try app.append(set, at: Int64(t), value: Double(t)) }
                    try await app.commit()
                }
                return 0
            }
            group.addTask {
                var torn = 0
                for _ in 0..<25 {
                    let querier = BlockMergeQuerier(head: head, from: .min, through: .max)
                    let lengths = Set(querier.selectSeries([.equal("__name__", "iso")], sorted: false).map { series in
                        var iterator = series.makeIterator()
                        var count = 0
                        while iterator.next() { count += 1 }
                        return count
                    })
                    if lengths.count > 1 { torn += 1 }
                }
                return torn
            }
            var torn = 0
            for try await value in group { torn += value }
            #expect(torn == 0)
        }
    }
}
