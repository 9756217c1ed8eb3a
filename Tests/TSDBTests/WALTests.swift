import Foundation
import PharosCore
import PharosTestSupport
import Testing
@testable import TSDB

/// Deterministic records of varied sizes: series records with long labels, sample batches.
func makeWALRecords(count: Int, seed: UInt64 = 1) -> [WALRecord] {
    var state = seed
    func next() -> UInt64 {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return state >> 33
    }
    return (0..<count).map { index in
        if index % 3 == 0 {
            let width = Int(next() % 3000)
            return .series((0..<Int(next() % 5 + 1)).map { entry in
                RecordSeries(ref: UInt64(index * 10 + entry), labels: Labels([
                    "__name__": "metric_\(index)", "pad": String(repeating: "x", count: width), "n": "\(entry)",
                ]))
            })
        }
        return .samples((0..<Int(next() % 800)).map { entry in
            RecordSample(ref: next() % 1000, timestamp: 1_700_000_000_000 + Int64(index * 1000 + entry),
                         value: Double(next()) / 7)
        })
    }
}

func replayAll(_ wal: WAL) throws -> ([WALRecord], WALReplayReport) {
    var seen: [WALRecord] = []
    let report = try wal.replay { seen.append($0) }
    return (seen, report)
}

@Suite(.timeLimit(.minutes(5))) struct WALTests {
    @Test func roundTripAcrossPagesAndSegments() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let records = makeWALRecords(count: 300)
        let wal = try WAL(directory: directory.path, segmentSize: 4 * WALFormat.pageSize)
        for batch in stride(from: 0, to: records.count, by: 7) {
            try wal.log(Array(records[batch..<min(batch + 7, records.count)]))
        }
        try wal.close()
        let segments = try wal.segments()
        #expect(segments.count > 5)
        #expect(segments == Array(0..<segments.count))

        let reopened = try WAL(directory: directory.path, segmentSize: 4 * WALFormat.pageSize)
        let (seen, report) = try replayAll(reopened)
        #expect(seen == records)
        #expect(report.repair == nil)
        #expect(report.records == records.count)
        #expect(report.segments == segments)
    }

    @Test func recordLargerThanASegmentGetsItsOwnSegment() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let huge = WALRecord.series([RecordSeries(ref: 1, labels: Labels(["big": String(repeating: "y", count: 100_000)]))])
        let small = WALRecord.samples([RecordSample(ref: 1, timestamp: 1, value: 1)])
        let wal = try WAL(directory: directory.path, segmentSize: WALFormat.pageSize, compression: .none)
        try wal.log([small])
        try wal.log([huge])
        try wal.log([small])
        try wal.close()
        #expect(try wal.segments() == [0, 1, 2])
        let (seen, _) = try replayAll(try WAL(directory: directory.path, segmentSize: WALFormat.pageSize))
        #expect(seen == [small, huge, small])
    }

    @Test func reopenAppendsToANewSegment() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let first = makeWALRecords(count: 10, seed: 3)
        let second = makeWALRecords(count: 10, seed: 4)
        do {
            let wal = try WAL(directory: directory.path)
            try wal.log(first)
            try wal.close()
        }
        let wal = try WAL(directory: directory.path)
        let (seen, _) = try replayAll(wal)
        #expect(seen == first)
        try wal.log(second)
        #expect(wal.currentSegment == 1)
        try wal.close()
        #expect(try wal.segments() == [0, 1])
        let (all, _) = try replayAll(try WAL(directory: directory.path))
        #expect(all == first + second)
    }

    @Test func truncateBeforeDeletesOldSegmentsButNotTheOpenOne() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let wal = try WAL(directory: directory.path, segmentSize: WALFormat.pageSize)
        for record in makeWALRecords(count: 30) { try wal.log([record]) }
        let segments = try wal.segments()
        let open = try #require(wal.currentSegment)
        try wal.truncate(before: 3)
        #expect(try wal.segments() == segments.filter { $0 >= 3 })
        try wal.truncate(before: open + 10)
        #expect(try wal.segments() == [open])
        try wal.close()
    }

    @Test func writeFailureIsAnIOErrorNamingTheSegment() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let wal = try WAL(directory: directory.path)
        // The first segment the WAL opens is a symlink to /dev/full: writes fail with ENOSPC.
        try FileManager.default.createSymbolicLink(atPath: directory.path + "/00000000", withDestinationPath: "/dev/full")
        do {
            try wal.log([.samples([RecordSample(ref: 1, timestamp: 1, value: 1)])])
            Issue.record("log to /dev/full succeeded")
        } catch let error as TSDBError {
            #expect(error.kind == .io)
            #expect(error.description.hasPrefix("wal 00000000: i/o error: write "), "\(error)")
        }
    }

    @Test func logAfterCloseThrows() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let wal = try WAL(directory: directory.path)
        try wal.close()
        #expect(throws: TSDBError.self) { try wal.log([.samples([])]) }
    }

    @Test func segmentSizeMustBeAWholeNumberOfPages() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        #expect(throws: TSDBError.self) { try WAL(directory: directory.path, segmentSize: 1000) }
    }

    @Test func gapInSegmentNumbersIsAnError() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let wal = try WAL(directory: directory.path, segmentSize: WALFormat.pageSize)
        for record in makeWALRecords(count: 30) { try wal.log([record]) }
        try wal.close()
        try PosixFile.remove(directory.path + "/00000001")
        #expect(throws: TSDBError.self) { try replayAll(try WAL(directory: directory.path, segmentSize: WALFormat.pageSize)) }
    }

    @Test func concurrentLoggersKeepRecordsWhole() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let wal = try WAL(directory: directory.path, segmentSize: 2 * WALFormat.pageSize)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<4 {
                group.addTask {
                    for index in 0..<50 {
                        try wal.log([.samples([RecordSample(ref: UInt64(worker), timestamp: Int64(index), value: 0)])])
                    }
                }
            }
            try await group.waitForAll()
        }
        try wal.close()
        let (seen, _) = try replayAll(try WAL(directory: directory.path))
        for worker in 0..<4 {
            let timestamps = seen.flatMap { record -> [Int64] in
                guard case .samples(let samples) = record else { return [] }
                return samples.filter { $0.ref == UInt64(worker) }.map(\.timestamp)
            }
            #expect(timestamps == (0..<50).map(Int64.init))
        }
    }
}

@Suite(.timeLimit(.minutes(5))) struct WALCheckpointTests {
    @Test func checkpointKeepsLiveSeriesAndRecentSamples() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let wal = try WAL(directory: directory.path, segmentSize: WALFormat.pageSize, compression: .none)
        let series = (0..<6).map { RecordSeries(ref: UInt64($0), labels: Labels(["__name__": "m", "i": "\($0)"])) }
        try wal.log([.series(series)])
        for t in 0..<100 {
            try wal.log([.samples(series.map { RecordSample(ref: $0.ref, timestamp: Int64(t), value: Double(t)) }),
                         .series([RecordSeries(ref: 100 + UInt64(t), labels: Labels(["pad": String(repeating: "p", count: 900)]))])])
        }
        try wal.cutSegment()
        let last = try #require(try wal.segments().last)
        #expect(last >= 2)
        let stats = try wal.checkpoint(through: last, keep: { $0 % 2 == 0 && $0 < 100 }, minTime: 20)
        #expect(stats.checkpoint == last)
        #expect(stats.droppedSeries > 0 && stats.droppedSamples > 0)
        #expect(try wal.segments() == [])
        try wal.log([.samples([RecordSample(ref: 0, timestamp: 1000, value: 99)])])
        #expect(wal.currentSegment == last + 1)
        try wal.close()

        var seenSeries: Set<UInt64> = []
        var seenSamples: [RecordSample] = []
        let report = try WAL(directory: directory.path, segmentSize: WALFormat.pageSize).replay { record in
            switch record {
            case .series(let list): seenSeries.formUnion(list.map(\.ref))
            case .samples(let list): seenSamples += list
            case .tombstones, .exemplars: break
            }
        }
        #expect(report.checkpoint == last)
        #expect(seenSeries.sorted() == [0, 2, 4])
        #expect(seenSamples.allSatisfy { $0.ref % 2 == 0 })
        #expect(seenSamples.count == 3 * 80 + 1)
        #expect(seenSamples.last == RecordSample(ref: 0, timestamp: 1000, value: 99))
        #expect(!seenSamples.contains { $0.timestamp < 20 })
    }

    @Test func gapAfterTheCheckpointIsAnError() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let wal = try WAL(directory: directory.path, segmentSize: WALFormat.pageSize)
        for index in 0..<4 {
            try wal.log([.series([RecordSeries(ref: UInt64(index), labels: Labels(["i": "\(index)"]))])])
            try wal.cutSegment()
        }
        try wal.checkpoint(through: 1, keep: { _ in true }, minTime: 0)
        try wal.close()
        #expect(try wal.segments() == [2, 3])
        try PosixFile.remove(directory.path + "/00000002")
        #expect(throws: TSDBError.self) { try replayAll(try WAL(directory: directory.path)) }
    }

    @Test func checkpointOfTheOpenSegmentIsRejected() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let wal = try WAL(directory: directory.path)
        try wal.log([.samples([])])
        #expect(throws: TSDBError.self) { try wal.checkpoint(through: 0, keep: { _ in true }, minTime: 0) }
        try wal.close()
    }

    @Test func secondCheckpointFoldsTheFirst() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let wal = try WAL(directory: directory.path, segmentSize: WALFormat.pageSize)
        try wal.log([.series([RecordSeries(ref: 1, labels: Labels(["a": "1"]))])])
        try wal.cutSegment()
        try wal.log([.series([RecordSeries(ref: 2, labels: Labels(["a": "2"]))])])
        try wal.cutSegment()
        try wal.log([.samples([])])
        try wal.checkpoint(through: 0, keep: { _ in true }, minTime: 0)
        try wal.checkpoint(through: 1, keep: { _ in true }, minTime: 0)
        let names = try PosixFile.list(directory.path).sorted()
        #expect(names == ["00000002", "checkpoint.00000001"])
        try wal.close()
        var refs: [UInt64] = []
        try WAL(directory: directory.path).replay { if case .series(let s) = $0 { refs += s.map(\.ref) } }
        #expect(refs == [1, 2])
    }
}
