import Dispatch
import Foundation
import Logging
import NIOHTTP1
import PharosCore
import PharosServer
import PharosTestSupport
import ServiceLifecycle
import TSDB
import Testing

/// `/api/v1/status/walreplay` answers while the WAL replays (the HTTP server is up, startup is
/// 503), with the live segment numbers, and the admin endpoints say the TSDB is not ready.
@Suite(.serialized, .timeLimit(.minutes(3))) struct WALReplayStatusLiveTests {
    /// A data folder whose WAL spans several 32 KiB segments; returns their indexes.
    static func makeWAL(in dir: String) async throws -> [Int] {
        var options = TSDBOptions()
        options.walSegmentSize = 32 * 1024
        options.walCompression = false
        let db = try TSDB.open(directory: dir, options: options, logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
        for batch in 0..<300 {
            let app = db.makeAppender()
            for index in 0..<100 {
                _ = try app.append(SeriesRef(0), Labels(["__name__": "replay_m", "i": "\(index)"]), at: Int64(batch) * 15_000,
                                   value: Double(batch), options: AppendOptions())
            }
            try await app.commit()
        }
        let segments = try WAL(directory: dir + "/wal").segments()
        try db.close()
        return segments
    }

    @Test func walReplayIsReadableWhileTheReplayRuns() async throws {
        try await withTemporaryDirectory { dir in
            let segments = try await Self.makeWAL(in: dir)
            try #require(segments.count >= 3)
            // max is the segment writes go on in (Prometheus opens it before replaying).
            let (first, last) = (segments.first!, segments.last! + 1)
            let (reached, continuation) = AsyncStream.makeStream(of: Void.self)
            let release = DispatchSemaphore(value: 0)
            let progress = WALReplayProgress(onSegmentLoaded: { status in
                guard status.current == first + 1 else { return }
                continuation.yield()
                release.wait() // holds the replay on its pool thread, not on the cooperative pool
            })
            var options = ServerOptions()
            options.listenHost = "127.0.0.1"
            options.listenPort = 0
            options.storagePath = dir
            options.enableAdminAPI = true
            var server = try PharosServer.standard(options: options, logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() },
                                                   metrics: ServerMetrics(version: PharosServer.version), replayProgress: progress)
            server.shutdownSignals = []
            let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
            let group = try server.makeServiceGroup(onListening: { port in portContinuation.yield(port) })
            let gate = server.gate
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                var portIterator = ports.makeAsyncIterator()
                guard let port = await portIterator.next() else { throw CancellationError() }
                let client = TestHTTPClient(port: port)
                var reachedIterator = reached.makeAsyncIterator()
                await reachedIterator.next()

                let during = try await client.get("/api/v1/status/walreplay")
                #expect(during.status == 200)
                #expect(during.body == #"{"status":"success","data":{"min":\#(first),"max":\#(last),"current":\#(first + 1)}}"#)
                #expect(try await client.get("/health/startup").status == 503)
                let snapshot = try await client.send(.POST, "/api/v1/admin/tsdb/snapshot", body: nil)
                #expect(snapshot.status == 500)
                #expect(snapshot.body == #"{"status":"error","errorType":"unavailable","error":"TSDB not ready"}"#)

                release.signal()
                await gate.waitUntilReady()
                let after = try await client.get("/api/v1/status/walreplay")
                #expect(after.body == #"{"status":"success","data":{"min":\#(first),"max":\#(last),"current":\#(last)}}"#)
                #expect(try await client.get("/health/startup").status == 200)
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
            }
        }
    }
}
