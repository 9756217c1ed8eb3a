import Logging
import PharosConfig

/// Prometheus' `refresh.Discovery`: refresh at once, then every `interval`; a refresh that
/// throws is logged (`Unable to refresh target groups`), counted in
/// `prometheus_sd_refresh_failures_total{mechanism,config}` and sends nothing, so the previous
/// groups stay. Ends when the task is cancelled.
struct RefreshLoop: Sendable {
    let mechanism: String
    let interval: Duration
    let context: DiscovererContext

    func run(_ updates: DiscoveryUpdates,
             refresh: @Sendable () async throws(DiscoveryError) -> [TargetGroup]) async {
        let every = max(interval.nanoseconds, 1_000_000)
        var next = context.clock.nowNanoseconds
        while !Task.isCancelled {
            do {
                let groups = try await refresh()
                if Task.isCancelled { return }
                await updates.send(groups)
            } catch {
                if Task.isCancelled { return }
                context.metrics.refreshFailure(mechanism: mechanism, config: context.setName)
                context.logger.error("Unable to refresh target groups", metadata: [
                    "discovery.mechanism": "\(mechanism)", "discovery.config": "\(context.setName)", "error": "\(error)",
                ])
            }
            next += every
            let now = context.clock.nowNanoseconds
            if next < now { next = now + every - (now - next) % every }  // skip missed ticks
            do { try await context.clock.sleep(untilNanoseconds: next) } catch { return }
        }
    }
}
