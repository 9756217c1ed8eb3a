import PharosHTTP
import Scrape

/// Serves the scrape loops' metadata stores to `/api/v1/metadata` and `/api/v1/targets/metadata`.
struct ScrapeMetadataAdapter: MetadataProviding {
    let manager: ScrapeManager

    func targetMetadata() async -> [APITargetMetadata] {
        await manager.targetMetadata().map { APITargetMetadata(target: $0.labels, metadata: $0.metadata.list()) }
    }
}
