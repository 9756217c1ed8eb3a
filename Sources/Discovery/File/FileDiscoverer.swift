import Logging
import PharosConfig
import PharosCore

/// `file_sd_configs`: the files are read when the discoverer is made (`initialGroups()`), then
/// checked every `filePollInterval` (a file is re-read when its mtime or size changed) and all
/// re-read every `refresh_interval`; each change sends every group, with empty groups for
/// sources that disappeared. Read errors are logged and counted
/// (`prometheus_sd_file_read_errors_total`); the file's previous groups stay.
package struct FileDiscoverer: Discoverer {
    private let config: FileSDConfig
    private let context: DiscovererContext
    private let initial: [TargetGroup]
    private let state: FileDiscovery

    package init(config: FileSDConfig, context: DiscovererContext) {
        self.config = config
        self.context = context
        var discovery = FileDiscovery(config: config)
        discovery.refresh(force: true, logger: context.logger)
        for _ in discovery.errors { context.metrics.fileReadError() }
        initial = discovery.update()
        state = discovery
    }

    package func initialGroups() -> [TargetGroup] { initial }

    package func run(_ updates: DiscoveryUpdates) async {
        var discovery = state
        let poll = max(context.filePollInterval.nanoseconds, 1_000_000)
        let refreshEvery = max(config.refreshInterval.milliseconds * 1_000_000, poll)
        var lastFull = context.clock.nowNanoseconds
        while !Task.isCancelled {
            do { try await context.clock.sleep(untilNanoseconds: context.clock.nowNanoseconds + poll) } catch { return }
            let now = context.clock.nowNanoseconds
            let force = now - lastFull >= refreshEvery
            if force { lastFull = now }
            let changed = discovery.refresh(force: force, logger: context.logger)
            for _ in discovery.errors { context.metrics.fileReadError() }
            if changed { await updates.send(discovery.update()) }
        }
    }
}
