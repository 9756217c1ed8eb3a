import Logging
import PharosCore
import PharosTestSupport
import Synchronization
import Testing
import TSDB
@testable import Push

@Suite(.timeLimit(.minutes(5))) struct PushIngesterTests {
    let logger = Logger(label: "push-tests")

    func withSetup(_ body: (TSDB, Pushgateway, PushIngester) async throws -> Void) async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let db = try TSDB.open(directory: directory.path + "/db", logger: logger)
        defer { try? db.close() }
        let store = try GroupStore(persistence: FileGroupPersistence(dataDirectory: directory.path))
        let ingester = PushIngester(store: store, appendable: db, logger: logger)
        let gateway = Pushgateway(store: store, ingester: ingester, logger: logger, now: { 1_000 })
        try await body(db, gateway, ingester)
    }

    @Test func pushesAreAppendedAtThePushTimeAndRefreshed() async throws {
        try await withSetup { db, gateway, ingester in
            try await gateway.push(path: "/metrics/job/batch/instance/i", body: Array("# TYPE done gauge\ndone 1\n".utf8),
                                   contentType: nil, replace: true)
            try await ingester.refresh(at: 16_000)
            #expect(try await dump(db, "done") == [#"done{instance="i", job="batch"}@1000=1.0"#,
                                                   #"done{instance="i", job="batch"}@16000=1.0"#])
            #expect(try await dump(db, "push_time_seconds") == [#"push_time_seconds{instance="i", job="batch"}@1000=1.0"#,
                                                                #"push_time_seconds{instance="i", job="batch"}@16000=1.0"#])
        }
    }

    @Test func removedSeriesGetStalenessMarkers() async throws {
        try await withSetup { db, gateway, ingester in
            try await gateway.push(path: "/metrics/job/a", body: Array("x 1\ny 2\n".utf8), contentType: nil, replace: true)
            try await ingester.refresh(at: 5_000)
            try gateway.store.push(GroupingKey(path: "/metrics/job/a"), body: body("x 3\n"), replace: true, at: 10_000)
            try await ingester.ingest(GroupingKey(path: "/metrics/job/a"), at: 10_000)
            try gateway.store.delete(GroupingKey(path: "/metrics/job/a"))
            try await ingester.ingest(GroupingKey(path: "/metrics/job/a"), at: 20_000)
            try await ingester.refresh(at: 35_000)
            #expect(try await dump(db, "x") == [#"x{job="a"}@1000=1.0"#, #"x{job="a"}@5000=1.0"#,
                                                #"x{job="a"}@10000=3.0"#, #"x{job="a"}@20000=stale"#])
            #expect(try await dump(db, "y") == [#"y{job="a"}@1000=2.0"#, #"y{job="a"}@5000=2.0"#, #"y{job="a"}@10000=stale"#])
            #expect(await ingester.writtenSeries.isEmpty)
        }
    }

    @Test func refreshMarksGroupsDeletedBehindItsBack() async throws {
        try await withSetup { db, gateway, ingester in
            try await gateway.push(path: "/metrics/job/a", body: Array("x 1\n".utf8), contentType: nil, replace: true)
            try gateway.store.delete(GroupingKey(path: "/metrics/job/a"))
            try await ingester.refresh(at: 2_000)
            #expect(try await dump(db, "x") == [#"x{job="a"}@1000=1.0"#, #"x{job="a"}@2000=stale"#])
        }
    }

    @Test func runStopsWhenCancelled() async throws {
        try await withSetup { db, gateway, ingester in
            try await gateway.push(path: "/metrics/job/a", body: Array("x 1\n".utf8), contentType: nil, replace: true)
            let task = Task { await ingester.run(clock: ContinuousClock(), now: { 7_000 }) }
            defer { task.cancel() }
            #expect(await ingester.interval == .seconds(15))
            task.cancel()
            await task.value
            // At most the start-up refresh ran; the 15 s sleep ended with the cancellation.
            let samples = try await dump(db, "x")
            #expect(samples == [#"x{job="a"}@1000=1.0"#] || samples == [#"x{job="a"}@1000=1.0"#, #"x{job="a"}@7000=1.0"#])
        }
    }
}


/// A clock whose sleeps return at once, until `ticks` sleeps have happened; then it throws
/// `CancellationError`, which ends `PushIngester.run` deterministically.
final class TickingClock: Clock {
    typealias Instant = ContinuousClock.Instant
    private let remaining: Mutex<Int>
    init(ticks: Int) { remaining = Mutex(ticks) }
    var now: Instant { ContinuousClock.now }
    var minimumResolution: Duration { .zero }
    func sleep(until deadline: Instant, tolerance: Duration?) async throws {
        let left = remaining.withLock { value -> Int in
            value -= 1
            return value
        }
        if left < 0 { throw CancellationError() }
    }
}

@Suite(.timeLimit(.minutes(5))) struct PushIngesterRunTests {
    @Test func runRefreshesEveryTick() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let logger = Logger(label: "push-tests")
        let db = try TSDB.open(directory: directory.path, logger: logger)
        defer { try? db.close() }
        let store = try GroupStore(persistence: nil)
        try store.push(GroupingKey(path: "/metrics/job/a"), body: body("x 1\n"), replace: true, at: 1_000)
        let ingester = PushIngester(store: store, appendable: db, interval: .seconds(30), logger: logger)
        let times = Mutex<Timestamp>(0)
        await ingester.run(clock: TickingClock(ticks: 2)) { times.withLock { $0 += 30_000; return $0 } }
        #expect(try await dump(db, "x") == [#"x{job="a"}@30000=1.0"#, #"x{job="a"}@60000=1.0"#, #"x{job="a"}@90000=1.0"#])
    }
}
