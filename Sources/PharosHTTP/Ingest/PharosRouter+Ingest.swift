import Hummingbird

extension PharosRouter {
    /// Adds the ingest and federation routes (`/api/v1/write`, `/federate`, the Pushgateway
    /// routes) to a router built by `build()`; the composition root calls it.
    package func addIngest<Context: RequestContext>(_ ingest: IngestEndpoints, to router: Router<Context>) {
        ingest.add(to: router)
    }
}
