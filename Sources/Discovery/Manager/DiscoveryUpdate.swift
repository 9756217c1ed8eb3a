import PharosConfig

/// The groups of every target set at one moment, as the manager sends them.
package struct DiscoveryUpdate: Sendable, Hashable {
    /// Increases with every `apply`; a consumer that applied generation N ignores older updates
    /// still in flight (they describe a config it no longer runs).
    package var generation: Int
    /// Every set of the applied config, each with its groups (an empty list when a set has no
    /// targets, so consumers drop stale ones): discoverers in config order, groups in source order.
    package var sets: [String: [TargetGroup]]

    package init(generation: Int, sets: [String: [TargetGroup]]) {
        self.generation = generation
        self.sets = sets
    }
}
