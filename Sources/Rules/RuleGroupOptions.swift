import Foundation
import Logging
import PharosCore

/// What a rule group needs from the world (Prometheus' `ManagerOptions`). Thread-safe value.
package struct RuleGroupOptions: Sendable {
    package var querying: any InstantQuerying
    package var appendable: any Appendable
    /// Where `ALERTS_FOR_STATE` is read back after a restart.
    package var queryable: any Queryable
    package var sink: any AlertSink
    package var templates: any AlertTemplateExpander
    package var externalLabels: Labels
    /// The server's external URL, for alert generator URLs and `$externalURL`.
    package var externalURL: String
    /// Firing alerts are re-sent this often (`--rules.alert.resend-delay`, 1m), ms.
    package var resendDelay: Int64 = 60_000
    /// How long an outage may last for `for` state to be restored (`--rules.alert.for-outage-tolerance`, 1h), ms.
    package var outageTolerance: Int64 = 3_600_000
    /// Least time a restored alert waits before firing (`--rules.alert.for-grace-period`, 10m), ms.
    package var forGracePeriod: Int64 = 600_000
    package var metrics: RuleMetrics
    package var logger: Logger
    /// Wall-clock now in ms.
    package var now: @Sendable () -> Timestamp

    package init(querying: any InstantQuerying, appendable: any Appendable, queryable: any Queryable,
                 sink: any AlertSink = DiscardingAlertSink(), templates: (any AlertTemplateExpander)? = nil,
                 externalLabels: Labels = .empty, externalURL: String = "", metrics: RuleMetrics = RuleMetrics(),
                 logger: Logger = Logger(label: "pharos.rules"),
                 now: @escaping @Sendable () -> Timestamp = RuleGroupOptions.wallClock) {
        self.querying = querying
        self.appendable = appendable
        self.queryable = queryable
        self.sink = sink
        self.templates = templates ?? GoAlertTemplates(querying: querying)
        self.externalLabels = externalLabels
        self.externalURL = externalURL
        self.metrics = metrics
        self.logger = logger
        self.now = now
    }
}

extension RuleGroupOptions {
    /// Wall-clock now in ms.
    package static let wallClock: @Sendable () -> Timestamp = { Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)) }
}
