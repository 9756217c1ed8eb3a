import PharosConfig
import Scrape
import ServiceLifecycle

/// Starts scraping once storage is ready (so the first scrapes are not lost to a replaying
/// WAL), with the config the server started with; reloads go through `ScrapeManager.apply`.
package struct ScrapeService: Service {
    package var manager: ScrapeManager
    package var gate: ReadinessGate
    /// The config to start with, asked for once storage is ready (the embedded default waits
    /// for the bound port there).
    package var initialConfig: @Sendable () async throws -> PharosConfig

    package func run() async throws {
        try await cancelWhenGracefulShutdown { await gate.waitUntilReady() }
        guard gate.isReady, !Task.isCancelled else { return }
        let config = try await cancelWhenGracefulShutdown { try await initialConfig() }
        try await manager.apply(config)
        try await manager.run()
    }
}
