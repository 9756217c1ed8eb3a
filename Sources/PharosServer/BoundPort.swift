import Synchronization

/// The TCP port the HTTP server actually bound, known once it listens. With
/// `--web.listen-address=…:0` the embedded default config needs it to scrape Pharos itself.
package final class BoundPort: Sendable {
    private let port = Mutex<Int?>(nil)

    package init() {}

    package var current: Int? { port.withLock { $0 } }

    package func set(_ value: Int) { port.withLock { $0 = value } }

    /// Returns the port once the server listens; throws if the task is cancelled first.
    package func wait() async throws -> Int {
        while true {
            if let current { return current }
            try await Task.sleep(for: .milliseconds(20))
        }
    }
}
