import PharosCore

/// One active target as `/api/v1/targets` shows it.
package struct ActiveTargetSnapshot: Sendable, Hashable {
    package var scrapePool: String
    package var discoveredLabels: Labels
    /// Public labels (no `__` names).
    package var labels: Labels
    package var scrapeURL: String
    package var scrapeInterval: PrometheusDuration
    package var scrapeTimeout: PrometheusDuration
    package var status: TargetStatus
}

/// One dropped target as `/api/v1/targets` shows it.
package struct DroppedTargetSnapshot: Sendable, Hashable {
    package var scrapePool: String
    package var discoveredLabels: Labels
}

/// One active target's metadata store, as `/api/v1/targets/metadata` reads it.
package struct TargetMetadataSnapshot: Sendable {
    package var scrapePool: String
    /// Public labels (no `__` names), Prometheus' `Target.Labels()`.
    package var labels: Labels
    /// Live: reads see the latest scrape.
    package var metadata: TargetMetadataStore
}
