import Dispatch
import InMemoryLogging
import Logging
import PharosCore
import PharosTestSupport
import Testing
@testable import TSDB

/// Live WAL replay progress (`/api/v1/status/walreplay`'s source) and the per-segment log.
@Suite(.timeLimit(.minutes(2))) struct WALReplayProgressTests {
    /// A data folder whose WAL spans several 32 KiB segments; returns their indexes.
    static func makeWAL(in dir: String) async throws -> [Int] {
        var options = TSDBOptions()
        options.walSegmentSize = 32 * 1024
        options.walCompression = false
        let db = try TSDB.open(directory: dir, options: options, logger: DBTests.quiet)
        _ = try await DBTests.fill(db, seriesCount: 100, batches: 300)
        let segments = try db.wal.segments()
        try db.close()
        return segments
    }

    @Test func progressIsReadableWhileTheReplayRunsAndEachSegmentIsLogged() async throws {
        try await withTemporaryDirectory { dir in
            let segments = try await Self.makeWAL(in: dir)
            try #require(segments.count >= 3)
            let (first, last) = (segments.first!, segments.last! + 1) // the segment writes go on in counts
            let (reached, continuation) = AsyncStream.makeStream(of: WALReplayProgress.Status.self)
            let release = DispatchSemaphore(value: 0)
            let progress = WALReplayProgress(onSegmentLoaded: { status in
                guard status.current == first + 1 else { return }
                continuation.yield(status)
                release.wait() // the replay stands still on its pool thread until the test has looked
            })
            #expect(progress.status == .init(min: 0, max: 0, current: 0))
            let handler = InMemoryLogHandler()
            let logger = Logger(label: "test") { _ in handler }
            var options = TSDBOptions()
            options.walSegmentSize = 32 * 1024
            async let opened = TSDB.open(directory: dir, options: options, logger: logger, threads: .shared, replayProgress: progress)

            var iterator = reached.makeAsyncIterator()
            let midway = await iterator.next()
            #expect(midway == .init(min: first, max: last, current: first + 1))
            #expect(progress.status == .init(min: first, max: last, current: first + 1))
            release.signal()
            let db = try await opened
            #expect(progress.status == .init(min: first, max: last, current: last))
            let loaded = handler.entries.filter { $0.message == "WAL segment loaded" }
            #expect(loaded.map { $0.metadata["tsdb.wal.segment"]?.description } == segments.map { "\($0)" }) // real ones only
            #expect(loaded.allSatisfy { $0.metadata["tsdb.wal.max_segment"]?.description == "\(last)" })
            #expect(loaded.allSatisfy { $0.level == .info })
            try db.close()
        }
    }

    @Test func aFreshFolderReportsZeros() async throws {
        try await withTemporaryDirectory { dir in
            let progress = WALReplayProgress()
            let db = try await TSDB.open(directory: dir, logger: DBTests.quiet, threads: .shared, replayProgress: progress)
            #expect(progress.status == .init(min: 0, max: 0, current: 0))
            try db.close()
        }
    }
}
