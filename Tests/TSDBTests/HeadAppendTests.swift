import PharosCore
import Synchronization
import Testing
@testable import TSDB

@Suite(.timeLimit(.minutes(5))) struct HeadAppendTests {
    @Test func appendedSamplesAreInvisibleUntilCommit() async throws {
        let head = Head()
        let app = head.makeAppender()
        let ref = try app.append(labels(["__name__": "up", "job": "a"]), at: 1000, value: 1)
        #expect(!ref.isUnknown)
        #expect(try await selectAll(BlockMergeQuerier(head: head, from: 0, through: 10_000), [.equal("__name__", "up")]).isEmpty)
        try await app.commit()
        let result = try await selectAll(BlockMergeQuerier(head: head, from: 0, through: 10_000), [.equal("__name__", "up")])
        #expect(result.count == 1)
        #expect(result.first?.1 == [Sample(timestamp: 1000, value: 1)])
        #expect(head.stats.samplesAppended == 1 && head.stats.numSeries == 1)
        #expect(head.stats.minTime == 1000 && head.stats.maxTime == 1000)
    }

    @Test func rollbackDiscards() async throws {
        let head = Head()
        let app = head.makeAppender()
        try app.append(labels(["__name__": "x"]), at: 5, value: 1)
        app.rollback()
        try await app.commit()
        #expect(head.stats.samplesAppended == 0)
        #expect(try await selectAll(BlockMergeQuerier(head: head, from: .min, through: .max), []).isEmpty)
    }

    @Test func roundTripsManySamplesAcrossChunks() async throws {
        let head = Head()
        let series = labels(["__name__": "m", "i": "1"])
        var expected: [Sample] = []
        let app = head.makeAppender()
        var ref = SeriesRef.unknown
        for i in 0..<1000 {
            let sample = Sample(timestamp: Int64(i) * 15_000, value: i % 17 == 0 ? StaleNaN.value : Double(i))
            ref = try app.append(ref, series, at: sample.timestamp, value: sample.value, options: .none)
            expected.append(sample)
        }
        try await app.commit()
        let stats = head.stats
        #expect(stats.chunks >= 1000 / 120)
        #expect(head.series(ref)!.chunks == stats.chunks)
        let result = try await selectAll(BlockMergeQuerier(head: head, from: .min, through: .max), [.equal("i", "1")])
        #expect(sameBits(result[0].1, expected))
        // Clipped to [mint, maxt].
        let clipped = try await selectAll(BlockMergeQuerier(head: head, from: 150_000, through: 300_000), [.equal("i", "1")])
        #expect(sameBits(clipped[0].1, expected.filter { $0.timestamp >= 150_000 && $0.timestamp <= 300_000 }))
    }

    @Test func chunksAreCutAtTheChunkRangeBoundary() async throws {
        var options = HeadOptions()
        options.chunkRange = 1000
        let head = Head(options: options)
        let app = head.makeAppender()
        for t in stride(from: Int64(0), to: 3000, by: 100) { try app.append(labels(["a": "b"]), at: t, value: 1) }
        try await app.commit()
        #expect(head.stats.chunks == 3)
        let chunks = head.series.get(labels(["a": "b"]))!.chunks(from: .min, through: .max)
        #expect(chunks.map(\.minTime) == [0, 1000, 2000])
        #expect(chunks.map(\.maxTime) == [900, 1900, 2900])
    }

    @Test func rejectsOutOfOrderAndDuplicatesAndCountsThem() async throws {
        let head = Head()
        let series = labels(["__name__": "x"])
        let first = head.makeAppender()
        try first.append(series, at: 100, value: 1)
        try await first.commit()

        let app = head.makeAppender()
        #expect(throws: AppendError(.outOfOrder, "timestamp 99 for x")) { try app.append(series, at: 99, value: 1) }
        #expect(throws: AppendError(.duplicateTimestamp, "timestamp 100 for x")) { try app.append(series, at: 100, value: 2) }
        try app.append(series, at: 100, value: 1) // identical: a no-op
        try app.append(series, at: 200, value: 2)
        #expect(throws: AppendError(.outOfOrder, "timestamp 150 for x")) { try app.append(series, at: 150, value: 2) }
        #expect(throws: AppendError(.duplicateTimestamp, "timestamp 200 for x")) { try app.append(series, at: 200, value: 3) }
        #expect(app.pendingCount == 1)
        try await app.commit()
        #expect(head.counters.outOfOrder.load(ordering: .relaxed) == 2)
        #expect(head.counters.duplicateTimestamp.load(ordering: .relaxed) == 2)
        #expect(head.stats.samplesAppended == 2)
        let result = try await selectAll(BlockMergeQuerier(head: head, from: .min, through: .max), [])
        #expect(result[0].1 == [Sample(timestamp: 100, value: 1), Sample(timestamp: 200, value: 2)])
    }

    @Test func commitDropsSamplesAnotherCommitMadeOutOfOrder() async throws {
        let head = Head()
        let series = labels(["__name__": "x"])
        let slow = head.makeAppender(), fast = head.makeAppender()
        try slow.append(series, at: 10, value: 1)
        try fast.append(series, at: 20, value: 2)
        try await fast.commit()
        try await slow.commit()
        #expect(head.counters.outOfOrder.load(ordering: .relaxed) == 1)
        #expect(try await selectAll(BlockMergeQuerier(head: head, from: .min, through: .max), [])[0].1 == [Sample(timestamp: 20, value: 2)])
    }

    @Test(arguments: [Labels.empty, Labels(sortedUnchecked: [Label(name: "", value: "v")]),
                      Labels(sortedUnchecked: [Label(name: "a", value: "1"), Label(name: "a", value: "2")])])
    func rejectsInvalidLabelSets(_ bad: Labels) {
        let head = Head()
        let app = head.makeAppender()
        #expect(throws: AppendError.self) { try app.append(bad, at: 1, value: 1) }
        #expect(head.counters.invalidLabels.load(ordering: .relaxed) == 1)
        #expect(head.stats.numSeries == 0)
    }

    @Test func rejectsSamplesOlderThanHalfAChunkRangeBeforeTheNewest() async throws {
        var options = HeadOptions()
        options.chunkRange = 10_000
        let head = Head(options: options)
        let app = head.makeAppender()
        try app.append(labels(["a": "1"]), at: 100_000, value: 1)
        try await app.commit()
        let late = head.makeAppender()
        #expect(throws: AppendError.self) { try late.append(labels(["a": "2"]), at: 94_999, value: 1) }
        try late.append(labels(["a": "2"]), at: 95_000, value: 1)
        #expect(head.counters.outOfBounds.load(ordering: .relaxed) == 1)
    }

    @Test func refsAreReusableAndStable() async throws {
        let head = Head()
        let app = head.makeAppender()
        let a = try app.append(labels(["a": "1"]), at: 1, value: 1)
        let b = try app.append(labels(["a": "2"]), at: 1, value: 1)
        let again = try app.append(a, .empty, at: 2, value: 2, options: .none)
        #expect(a != b && a == again && a.raw != 0 && b.raw != 0)
        // An unknown ref falls back to the labels.
        let fallback = try app.append(SeriesRef(999_999), labels(["a": "2"]), at: 2, value: 1, options: .none)
        #expect(fallback == b)
        try await app.commit()
        #expect(head.stats.numSeries == 2)
    }

    @Test func logsNewSeriesOnceBeforeTheirSamples() async throws {
        let log = RecordingLog()
        let head = Head(log: log)
        let app = head.makeAppender()
        let ref = try app.append(labels(["a": "1"]), at: 1, value: 1)
        try app.append(labels(["a": "1"]), at: 2, value: 2)
        try await app.commit()
        try app.append(ref, .empty, at: 3, value: 3, options: .none)
        try app.append(labels(["b": "1"]), at: 3, value: 3)
        try await app.commit()
        let commits = log.commits.withLock { $0 }
        #expect(commits.count == 2)
        #expect(commits[0].series.map(\.labels) == [labels(["a": "1"])])
        #expect(commits[0].samples.map(\.timestamp) == [1, 2])
        #expect(commits[1].series.map(\.labels) == [labels(["b": "1"])])
        #expect(commits[1].samples.count == 2)
    }

    @Test func aFailedLogWriteAppliesNothing() async throws {
        let log = RecordingLog()
        let head = Head(log: log)
        let app = head.makeAppender()
        try app.append(labels(["a": "1"]), at: 1, value: 1)
        log.failNext.store(true, ordering: .relaxed)
        await #expect(throws: RecordingLog.Injected.self) { try await app.commit() }
        #expect(head.stats.samplesAppended == 0)
        // The series record is logged by the next successful commit.
        try app.append(labels(["a": "1"]), at: 2, value: 2)
        try await app.commit()
        #expect(log.commits.withLock { $0 }[0].series.count == 1)
    }

    @Test func concurrentAppendersOnDifferentSeries() async throws {
        let head = Head(log: RecordingLog())
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<8 {
                group.addTask {
                    for batch in 0..<20 {
                        let app = head.makeAppender()
                        for series in 0..<25 {
                            try app.append(labels(["__name__": "load", "worker": "\(worker)", "s": "\(series)"]),
                                           at: Int64(batch) * 1000, value: Double(batch))
                        }
                        try await app.commit()
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(head.stats.numSeries == 200)
        #expect(head.stats.samplesAppended == 200 * 20)
        let result = try await selectAll(BlockMergeQuerier(head: head, from: .min, through: .max), [.equal("worker", "3")])
        #expect(result.count == 25)
        #expect(result.allSatisfy { $0.1.count == 20 })
        #expect(try await BlockMergeQuerier(head: head, from: .min, through: .max).labelValues("worker", matching: []) == (0..<8).map { "\($0)" })
    }

    @Test func truncateDropsOldChunksAndEmptySeries() async throws {
        var options = HeadOptions()
        options.chunkRange = 1000
        let head = Head(options: options)
        let app = head.makeAppender()
        for t in stride(from: Int64(0), to: 3000, by: 100) { try app.append(labels(["a": "old-and-new"]), at: t, value: 1) }
        try app.append(labels(["a": "old"]), at: 500, value: 1)
        try await app.commit()
        let keptRef = try #require(head.series.get(labels(["a": "old-and-new"]))?.ref.raw)
        #expect(head.truncate(before: 2000) == 1)
        #expect(head.stats.numSeries == 1)
        #expect(head.postings.all() == [keptRef])
        #expect(head.postings.names() == ["a"])
        #expect(head.postings.postings("a", "old").isEmpty)
        #expect(head.stats.minTime == 2000)
        #expect(head.minValidTime == 2000)
        #expect(try await BlockMergeQuerier(head: head, from: .min, through: .max).labelValues("a", matching: []) == ["old-and-new"])
        let late = head.makeAppender()
        #expect(throws: AppendError.self) { try late.append(labels(["a": "new"]), at: 1999, value: 1) }
    }

    @Test func truncateKeepsSeriesWithStagedSamples() async throws {
        var options = HeadOptions()
        options.chunkRange = 1000
        let head = Head(options: options)
        let setup = head.makeAppender()
        try setup.append(labels(["a": "1"]), at: 100, value: 1)
        try setup.append(labels(["a": "2"]), at: 100, value: 1)
        try await setup.commit()
        let open = head.makeAppender()
        let kept = try open.append(labels(["a": "1"]), at: 2500, value: 2)
        #expect(head.truncate(before: 2000) == 1) // a=2 goes, a=1 is staged
        try await open.commit()
        #expect(head.series(kept) != nil)
        let result = try await selectAll(BlockMergeQuerier(head: head, from: .min, through: .max), [])
        #expect(result.map(\.0) == [labels(["a": "1"])])
        #expect(result[0].1 == [Sample(timestamp: 2500, value: 2)])
    }

    @Test func manySeriesAreIndexedAndSelectable() async throws {
        let head = Head(options: { var o = HeadOptions(); o.stripes = 16; return o }())
        let app = head.makeAppender()
        for index in 0..<20_000 {
            try app.append(labels(["__name__": "m\(index % 10)", "id": "\(index)", "mod7": "\(index % 7)"]), at: 1, value: Double(index))
        }
        try await app.commit()
        #expect(head.stats.numSeries == 20_000)
        let querier = BlockMergeQuerier(head: head, from: 0, through: 1)
        let result = try await selectAll(querier, [.equal("__name__", "m3"), .equal("mod7", "0")])
        #expect(result.count == (0..<20_000).filter { $0 % 10 == 3 && $0 % 7 == 0 }.count)
        #expect(result.map(\.0) == result.map(\.0).sorted())
        #expect(result.allSatisfy { Int($0.1[0].value) % 70 == 63 })
        #expect(try await querier.labelValues("mod7", matching: []).count == 7)
    }
}
