import Dispatch
import Foundation
import PharosCore
import PharosTestSupport
import Synchronization
import Testing
@testable import TSDB

/// Blocking TSDB work (commits' WAL writes, maintenance, snapshots, deletes, replay) runs on
/// NIO thread pools, so tasks on Swift's cooperative pool keep running while it is stuck.
///
/// Each test holds a lock the blocking work needs from a plain thread, starts more of that work
/// than the cooperative pool has threads, and then requires other tasks to finish while the work
/// is still held up. If the work ran on the cooperative pool it would occupy every one of its
/// threads and the test would hang until its time limit: no clock is asserted on.
@Suite(.timeLimit(.minutes(2))) struct CooperativePoolTests {
    /// Runs `withLock` (which takes a lock and runs its body) on a new thread, holding the
    /// lock until `release` is signalled; returns once the lock is held.
    static func hold(until release: DispatchSemaphore, _ withLock: @escaping @Sendable (() -> Void) -> Void) {
        let held = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            withLock {
                held.signal()
                release.wait()
            }
        }
        held.wait()
    }

    final class Counter: Sendable {
        let value = Atomic<Int>(0)
        func add() { value.add(1, ordering: .relaxed) }
        var count: Int { value.load(ordering: .relaxed) }
    }

    /// Work the cooperative pool must get through: more tasks than it has threads, each
    /// yielding, all awaited.
    static func cooperativeWork() async -> Int {
        await withTaskGroup(of: Int.self) { group in
            for index in 0..<(ProcessInfo.processInfo.activeProcessorCount * 4) {
                group.addTask {
                    var sum = 0
                    for step in 0..<1000 { sum &+= step * index }
                    await Task.yield()
                    return sum
                }
            }
            return await group.reduce(0, &+)
        }
    }

    @Test func commitsAndMaintenanceWaitOffTheCooperativePool() async throws {
        try await withTemporaryDirectory { dir in
            let db = try TSDB.open(directory: dir, logger: DBTests.quiet)
            let width = ProcessInfo.processInfo.activeProcessorCount * 2 + 2
            let finished = Counter()
            let release = DispatchSemaphore(value: 0)
            Self.hold(until: release) { body in db.head.commitLock.withLock { _ in body() } }
            Self.hold(until: release) { body in db.maintenanceLock.withLock { _ in body() } }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<width {
                    group.addTask {
                        let app = db.makeAppender()
                        try app.append(labels(["i": "\(index)"]), at: 1000, value: 1)
                        try await app.commit() // waits for the commit lock on an io thread
                        finished.add()
                    }
                    group.addTask {
                        _ = try await db.maintainAsync() // waits for the maintenance lock on its thread
                        finished.add()
                    }
                }
                group.addTask {
                    _ = try await db.snapshot(into: dir + "/snap", withHead: true)
                    finished.add()
                }
                // Everything above is stuck; the cooperative pool is not.
                _ = await Self.cooperativeWork()
                #expect(finished.count == 0)
                release.signal()
                release.signal()
                try await group.waitForAll()
            }
            #expect(finished.count == 2 * width + 1)
            #expect(db.head.stats.numSeries == width)
            try db.close()
        }
    }

    @Test func replayRunsOffTheCooperativePool() async throws {
        try await withTemporaryDirectory { dir in
            let segments = try await WALReplayProgressTests.makeWAL(in: dir)
            let (reached, continuation) = AsyncStream.makeStream(of: Void.self)
            let release = DispatchSemaphore(value: 0)
            let progress = WALReplayProgress(onSegmentLoaded: { status in
                guard status.current == segments.first else { return }
                continuation.yield()
                release.wait()
            })
            async let opened = TSDB.open(directory: dir, logger: DBTests.quiet, threads: .shared, replayProgress: progress)
            var iterator = reached.makeAsyncIterator()
            await iterator.next()
            _ = await Self.cooperativeWork() // the replay is stuck mid-way meanwhile
            #expect(progress.status.current == segments.first)
            release.signal()
            let db = try await opened
            #expect(db.head.stats.numSeries == 100)
            try db.close()
        }
    }
}
