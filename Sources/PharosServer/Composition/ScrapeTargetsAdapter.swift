import PharosCore
import PharosHTTP
import Scrape

/// Serves the scrape manager's target snapshots to `/api/v1/targets`.
struct ScrapeTargetsAdapter: TargetsProviding {
    let manager: ScrapeManager

    func activeTargets() async -> [APIActiveTarget] {
        await manager.activeTargets().map { target in
            APIActiveTarget(
                discoveredLabels: target.discoveredLabels, labels: target.labels, scrapePool: target.scrapePool,
                scrapeURL: target.scrapeURL, lastError: target.status.lastError, lastScrape: target.status.lastScrape,
                lastScrapeDuration: target.status.lastScrapeDuration, health: target.status.health.rawValue,
                scrapeInterval: target.scrapeInterval.description, scrapeTimeout: target.scrapeTimeout.description)
        }
    }

    func droppedTargets() async -> [(scrapePool: String, discoveredLabels: Labels)] {
        await manager.droppedTargets().map { ($0.scrapePool, $0.discoveredLabels) }
    }

    func droppedTargetCounts() async -> [String: Int] {
        await manager.droppedTargetCounts()
    }
}
