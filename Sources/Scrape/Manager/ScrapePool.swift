import Logging
import Metrics
import PharosConfig
import PharosCore

/// The targets and loops of one scrape config (Prometheus' `scrapePool`). Owned by the manager actor.
struct ScrapePool {
    private(set) var config: ScrapeConfig
    let options: ScrapeOptions
    let fetcher: any TargetFetcher
    /// The job's discovered groups, as the discovery manager last sent them.
    var groups: [TargetGroup] = []
    var targets = TargetSet()
    var loops: [Labels: ScrapeLoop] = [:]
    var limitError: ScrapeError?
    let metrics: ScrapeMetrics

    init(config: ScrapeConfig, fetcher: any TargetFetcher, metrics: ScrapeMetrics) {
        self.metrics = metrics
        self.config = config
        options = ScrapeOptions(config)
        self.fetcher = fetcher
    }

    /// Whether `other` differs from this pool's config only in its discovery sections, so the
    /// loops can stay and only the targets are re-synced (Prometheus handles those through
    /// discovery, not a pool reload).
    func canAdopt(_ other: ScrapeConfig) -> Bool {
        var mine = config, theirs = other
        mine.serviceDiscovery = ServiceDiscoveryConfigs()
        theirs.serviceDiscovery = ServiceDiscoveryConfigs()
        return mine == theirs
    }

    /// Takes `other`'s discovery sections (see `canAdopt`); the groups come from discovery.
    mutating func adopt(_ other: ScrapeConfig) {
        config = other
    }

    /// Prometheus' `scrapePool.sync`: keep loops of targets still present, stop the others
    /// (with staleness markers), make loops for new targets and return them to be started.
    mutating func sync(make: (ScrapeTarget) -> ScrapeLoop) -> [ScrapeLoop] {
        targets = TargetBuilder.build(config: config, groups: groups)
        var started: [ScrapeLoop] = []
        var next: [Labels: ScrapeLoop] = [:]
        for target in targets.active {
            if let loop = loops[target.labels] {
                next[target.labels] = loop
            } else {
                let loop = make(target)
                next[target.labels] = loop
                started.append(loop)
            }
        }
        for (labels, loop) in loops where next[labels] == nil { loop.stop(markStale: true) }
        loops = next
        limitError = TargetBuilder.targetLimitError(count: targets.active.count, limit: config.limits.targetLimit)
        if limitError != nil { metrics.targetLimit.increment() }
        metrics.targetsGauge(job: config.jobName).record(targets.active.count)
        for loop in loops.values { loop.setForcedError(limitError) }
        return started
    }

    /// Takes this pool's gauge off `/metrics` (`prometheus_sd_discovered_targets` is the
    /// discovery manager's): its job left the config.
    func forgetMetrics() {
        metrics.targetsGauge(job: config.jobName).destroy()
    }

    /// Stops every loop; with markers unless `except` will take the target over.
    func stopAll(keeping successors: Set<Labels> = []) {
        for (labels, loop) in loops { loop.stop(markStale: !successors.contains(labels)) }
    }
}
