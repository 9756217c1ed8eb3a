import PharosConfig
import Scrape
import ServiceLifecycle

/// Starts scraping once storage is ready (so the first scrapes are not lost to a replaying
/// WAL), with the config the server started with; reloads go through `ScrapeManager.apply`.
package struct ScrapeService: Service {
    package var manager: ScrapeManager
    package var gate: ReadinessGate
    package var initialConfig: PharosConfig

    package func run() async throws {
        try await cancelWhenGracefulShutdown { await gate.waitUntilReady() }
        guard gate.isReady, !Task.isCancelled else { return }
        try await manager.apply(initialConfig)
        try await manager.run()
    }
}
