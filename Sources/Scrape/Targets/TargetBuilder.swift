import PharosConfig
import PharosCore
import Relabel

/// A target that relabeling dropped, or whose labels were unusable, kept for the targets API.
package struct DroppedTarget: Sendable, Hashable {
    /// Labels before relabeling.
    package var discoveredLabels: Labels
    /// Why it is not scraped; nil when relabeling dropped it (not an error in Prometheus).
    package var error: ScrapeError?
}

/// The targets of one scrape config, built from discovered groups.
package struct TargetSet: Sendable, Hashable {
    package var active: [ScrapeTarget] = []
    package var dropped: [DroppedTarget] = []
    /// Targets dropped in total (`dropped` may hold fewer: `keep_dropped_targets`).
    package var droppedCount = 0
}

/// Prometheus' `PopulateLabels` and `TargetsFromGroup`, pure.
package enum TargetBuilder {
    /// The labels a target has before relabeling: its own labels, then the group's labels where
    /// the target has none, then job, interval, timeout, metrics path and scheme where unset,
    /// then `__param_<name>` (first value) for each configured param where unset.
    package static func discoveredLabels(
        config: ScrapeConfig, targetLabels: Labels, groupLabels: Labels
    ) -> Labels {
        var builder = LabelsBuilder(groupLabels)
        for label in targetLabels { builder.set(label.name, label.value) }
        let defaults = [
            (TargetLabel.job, config.jobName),
            (TargetLabel.scrapeInterval, config.scrapeInterval.description),
            (TargetLabel.scrapeTimeout, config.scrapeTimeout.description),
            (TargetLabel.metricsPath, config.metricsPath),
            (TargetLabel.scheme, config.scheme),
        ]
        for (name, value) in defaults where builder.get(name).isEmpty { builder.set(name, value) }
        for (key, values) in config.params {
            let name = TargetLabel.paramPrefix + key
            if let first = values.first, builder.get(name).isEmpty { builder.set(name, first) }
        }
        return builder.labels()
    }

    /// One target's final labels.
    ///
    /// - Returns: `.success(nil)` when relabeling drops it; `.failure` for a missing or invalid
    ///   address, or an unparsable, zero or too-large interval/timeout.
    package static func populate(
        config: ScrapeConfig, discovered: Labels
    ) -> Result<ScrapeTarget?, ScrapeError> {
        guard let relabeled = Relabel.process(discovered, config.relabelConfigs) else { return .success(nil) }
        let address = relabeled[TargetLabel.address]
        if address.isEmpty { return .failure(ScrapeError(.invalidTarget, "no address")) }
        if address.contains("/") {
            return .failure(ScrapeError(.invalidTarget, "\(goQuote(address)) is not a valid hostname"))
        }
        var builder = LabelsBuilder(relabeled)
        for name in builder.names where name.hasPrefix(TargetLabel.metaPrefix) { builder.delete(name) }
        if builder.get(TargetLabel.instance).isEmpty { builder.set(TargetLabel.instance, address) }
        do {
            return .success(try ScrapeTarget(labels: builder.labels(), discoveredLabels: discovered, params: config.params))
        } catch {
            return .failure(error)
        }
    }

    /// All targets of a scrape config from its discovered groups, in group and target order;
    /// duplicates (same final labels) are scraped once. Each target's discovered labels are
    /// its own label set (`__address__` and `__meta_*`) over the group's labels.
    package static func build(config: ScrapeConfig, groups: [TargetGroup]) -> TargetSet {
        var set = TargetSet()
        var seen = Set<Labels>()
        let keep = config.limits.keepDroppedTargets
        for group in groups {
            for targetLabels in group.targets {
                let discovered = discoveredLabels(config: config, targetLabels: targetLabels, groupLabels: group.labels)
                switch populate(config: config, discovered: discovered) {
                case .success(let target?):
                    if seen.insert(target.labels).inserted { set.active.append(target) }
                case .success(nil):
                    set.droppedCount += 1
                    if keep == 0 || set.dropped.count < keep {
                        set.dropped.append(DroppedTarget(discoveredLabels: discovered, error: nil))
                    }
                case .failure(let error):
                    set.droppedCount += 1
                    if keep == 0 || set.dropped.count < keep {
                        set.dropped.append(DroppedTarget(discoveredLabels: discovered, error: error))
                    }
                }
            }
        }
        return set
    }

    /// Prometheus' target_limit check: nil when within the limit (0 = none).
    package static func targetLimitError(count: Int, limit: UInt64) -> ScrapeError? {
        guard limit > 0, count > Int(limit) else { return nil }
        return ScrapeError(.targetLimit, "target_limit exceeded (number of targets: \(count), limit: \(limit))")
    }
}
