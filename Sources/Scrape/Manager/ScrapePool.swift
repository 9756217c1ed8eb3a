import Logging
import Metrics
import PharosConfig
import PharosCore

/// The targets and loops of one scrape config (Prometheus' `scrapePool`). Owned by the manager actor.
struct ScrapePool {
    private(set) var config: ScrapeConfig
    let options: ScrapeOptions
    let fetcher: any TargetFetcher
    var fileDiscoveries: [FileDiscovery]
    var targets = TargetSet()
    var loops: [Labels: ScrapeLoop] = [:]
    var limitError: ScrapeError?
    let metrics: ScrapeMetrics

    init(config: ScrapeConfig, fetcher: any TargetFetcher, metrics: ScrapeMetrics) {
        self.metrics = metrics
        self.config = config
        options = ScrapeOptions(config)
        self.fetcher = fetcher
        fileDiscoveries = config.fileSDConfigs.map(FileDiscovery.init(config:))
    }

    /// Whether `other` differs from this pool's config only in its discovery sections, so the
    /// loops can stay and only the targets are re-synced (Prometheus handles those through
    /// discovery, not a pool reload).
    func canAdopt(_ other: ScrapeConfig) -> Bool {
        var mine = config, theirs = other
        mine.staticConfigs = []; mine.fileSDConfigs = []
        theirs.staticConfigs = []; theirs.fileSDConfigs = []
        return mine == theirs
    }

    /// Takes `other`'s discovery sections (see `canAdopt`); file discovery restarts if it changed.
    mutating func adopt(_ other: ScrapeConfig, logger: Logger) {
        let filesChanged = other.fileSDConfigs != config.fileSDConfigs
        config = other
        if filesChanged {
            fileDiscoveries = other.fileSDConfigs.map(FileDiscovery.init(config:))
            _ = refreshDiscovery(force: true, logger: logger)
        }
    }

    var groups: [TargetGroup] { config.staticConfigs + fileDiscoveries.flatMap(\.groups) }

    /// Re-reads discovery files; true when any file's groups changed.
    mutating func refreshDiscovery(force: Bool, logger: Logger) -> Bool {
        var changed = false
        for index in fileDiscoveries.indices where fileDiscoveries[index].refresh(force: force, logger: logger) {
            changed = true
        }
        return changed
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
        let gauges = metrics.poolGauges(job: config.jobName)
        gauges.targets.record(targets.active.count)
        gauges.discovered.record(targets.active.count + targets.droppedCount)
        for loop in loops.values { loop.setForcedError(limitError) }
        return started
    }

    /// Takes this pool's gauges off `/metrics`: its job left the config.
    func forgetMetrics() {
        let gauges = metrics.poolGauges(job: config.jobName)
        gauges.targets.destroy()
        gauges.discovered.destroy()
    }

    /// Stops every loop; with markers unless `except` will take the target over.
    func stopAll(keeping successors: Set<Labels> = []) {
        for (labels, loop) in loops { loop.stop(markStale: !successors.contains(labels)) }
    }
}
