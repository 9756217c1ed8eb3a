import Logging
import PharosConfig
import PharosServer
import Synchronization
import Testing

/// Reloads never interleave: each runs all its appliers before the next starts.
@Suite(.timeLimit(.minutes(5))) struct ConfigReloaderTests {
    @Test func concurrentReloadsRunOneAtATime() async throws {
        let events = Mutex<[String]>([])
        let slow = ConfigApplier(name: "slow") { _ in
            events.withLock { $0.append("start") }
            try await Task.sleep(for: .milliseconds(20))
            events.withLock { $0.append("end") }
        }
        let reloader = ConfigReloader(initial: (PharosConfig(), ""), appliers: [slow], logger: Logger(label: "test"),
                                      load: { (PharosConfig(), "") })
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<8 { group.addTask { try await reloader.reload() } }
            try await group.waitForAll()
        }
        #expect(events.withLock { $0 } == Array(repeating: ["start", "end"], count: 8).flatMap { $0 })
        #expect(reloader.lastReloadSucceeded)
    }
}
