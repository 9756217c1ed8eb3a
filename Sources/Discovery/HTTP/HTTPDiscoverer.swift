import Logging
import PharosConfig
import PharosCore
import PharosHTTPClient
import Synchronization

/// `http_sd_configs` (Prometheus' `discovery/http`): GET the URL every `refresh_interval`
/// with `Accept: application/json` and `X-Prometheus-Refresh-Interval-Seconds`, timing out
/// after one interval; the answer must be 200 with a JSON content type and a JSON list of
/// `{targets, labels}`. Group *i* gets source `<url>:<i>` and `__meta_url`; groups beyond the
/// previous answer's length are sent empty so they are dropped. Any failure keeps the
/// previous groups, is logged and counts `prometheus_sd_http_failures_total` and
/// `prometheus_sd_refresh_failures_total{mechanism="http"}`.
package final class HTTPDiscoverer: Discoverer {
    package static let urlLabel = "__meta_url"

    private let config: HTTPSDConfig
    private let context: DiscovererContext
    private let client: PharosHTTPClient
    private let userAgent: String

    package init(config: HTTPSDConfig, context: DiscovererContext, userAgent: String = "Pharos/0.1") throws(DiscoveryError) {
        self.config = config
        self.context = context
        self.userAgent = userAgent
        do {
            client = try PharosHTTPClient(config: config.httpClient, logger: context.logger)
        } catch {
            throw DiscoveryError(.config, location: "http_sd \(config.url)", error.description)
        }
    }

    package func run(_ updates: DiscoveryUpdates) async {
        let loop = RefreshLoop(mechanism: "http", interval: .milliseconds(config.refreshInterval.milliseconds), context: context)
        let lastCount = LastCount()
        await loop.run(updates) { () throws(DiscoveryError) in
            do throws(DiscoveryError) {
                let groups = try await self.refresh()
                return groups + lastCount.emptyGroupsBeyond(groups.count, url: self.config.url)
            } catch {
                self.context.metrics.httpFailure()
                throw error
            }
        }
        await client.shutdown()
    }

    /// One GET and parse.
    func refresh() async throws(DiscoveryError) -> [TargetGroup] {
        let location = "http_sd \(config.url)"
        let seconds = Double(config.refreshInterval.milliseconds) / 1000
        let response: HTTPFetchResponse
        do {
            response = try await client.get(config.url, headers: [
                ("Accept", "application/json"), ("User-Agent", userAgent),
                ("X-Prometheus-Refresh-Interval-Seconds", HTTPSDResponse.formatSeconds(seconds)),
            ], timeout: .milliseconds(max(config.refreshInterval.milliseconds, 1)))
        } catch {
            throw DiscoveryError(.transport, location: location, error.description)
        }
        guard response.status == 200 else {
            throw DiscoveryError(.httpStatus, location: location, "server returned HTTP status \(response.statusLine)")
        }
        let contentType = response.header("Content-Type") ?? ""
        guard HTTPSDResponse.isJSONContentType(contentType) else {
            throw DiscoveryError(.parse, location: location, "unsupported content type \(goQuote(contentType))")
        }
        return try HTTPSDResponse.parse(response.body, url: config.url)
    }
}

/// The number of groups of the last good answer.
private final class LastCount: Sendable {
    private let count = Mutex(0)

    /// Empty groups for the sources `url:now…` the previous answer had; remembers `now`.
    func emptyGroupsBeyond(_ now: Int, url: String) -> [TargetGroup] {
        let previous = count.withLock { count in
            defer { count = now }
            return count
        }
        guard previous > now else { return [] }
        return (now..<previous).map { TargetGroup(targets: [], source: "\(url):\($0)") }
    }
}
