import CoreMetrics
import Synchronization
import Logging
import PharosCore
import PromQL
import Synchronization

/// `ok`, `err` or `unknown` (not evaluated yet), as the rules API shows it.
package enum RuleHealth: String, Sendable, Hashable { case unknown, ok, err }

/// What one rule remembers between evaluations.
struct RuleRuntime: Sendable {
    var health = RuleHealth.unknown
    var lastError: String?
    /// Wall-clock start of the last evaluation (ms).
    var lastEvaluation: Timestamp?
    var evaluationSeconds = 0.0
    /// Series written by the last successful evaluation, so vanished ones get stale markers.
    var previousSeries: Set<Labels> = []
    var alerting: AlertingRuleState?
}

struct GroupState: Sendable {
    var rules: [RuleRuntime]
    /// Series of removed rules, marked stale at the next evaluation.
    var staleSeries: [Labels] = []
    var lastEvaluation: Timestamp?
    var evaluationSeconds = 0.0
    var lastEvalTimestamp: Timestamp?
    var shouldRestore: Bool
}

/// A rule group: rules evaluated in order, every `interval`, at an offset derived from the
/// group's identity (Prometheus' `Group`). Thread-safe: one evaluation at a time runs it (its
/// loop, or a test calling `evaluate`); snapshots may be read concurrently.
package final class RuleGroup: Sendable {
    package let name: String
    package let file: String
    /// Evaluation interval and query offset, ms.
    package let interval: Int64
    package let queryOffset: Int64
    package let limit: Int
    package let labels: Labels
    package let rules: [RuleDefinition]
    let options: RuleGroupOptions
    let metrics: GroupMetrics
    let state: Mutex<GroupState>
    let stopSignal = StopSignal()
    /// Set when `run()` has returned; `running` while it runs.
    let finished = StopSignal()
    let running = Mutex(false)

    /// `shouldRestore`: restore `for` state from `ALERTS_FOR_STATE` after the second evaluation
    /// (first load after start); otherwise alerting rules write `ALERTS` right away.
    package init(spec: RuleGroupSpec, file: String, defaultInterval: Int64, defaultQueryOffset: Int64,
                 options: RuleGroupOptions, shouldRestore: Bool) throws(RuleError) {
        name = spec.name
        self.file = file
        // As Prometheus' LoadGroups: an absent or zero interval is the default one.
        let ownInterval = spec.interval?.milliseconds ?? 0
        interval = max(ownInterval > 0 ? ownInterval : defaultInterval, 1)
        queryOffset = spec.queryOffset?.milliseconds ?? defaultQueryOffset
        limit = spec.limit
        labels = spec.labels
        var definitions: [RuleDefinition] = []
        for rule in spec.rules { definitions.append(try RuleDefinition(rule, groupLabels: spec.labels)) }
        rules = definitions
        self.options = options
        metrics = options.metrics.group(file + ";" + spec.name)
        let runtimes = definitions.map { definition -> RuleRuntime in
            var runtime = RuleRuntime()
            if definition.spec.kind == .alerting {
                runtime.alerting = AlertingRuleState(holdDuration: definition.spec.holdDuration.milliseconds,
                                                     keepFiringFor: definition.spec.keepFiringFor.milliseconds,
                                                     restored: !shouldRestore)
            }
            return runtime
        }
        state = Mutex(GroupState(rules: runtimes, shouldRestore: shouldRestore))
        metrics.interval.record(Double(interval) / 1000)
        metrics.rules.record(definitions.count)
    }

    /// `file;name`, the manager's key and the `rule_group` metric label.
    package var key: String { file + ";" + name }

    /// Prometheus' `Group.Equals`: same identity, settings and rules (as printed).
    func hasSameDefinition(as other: RuleGroup) -> Bool {
        name == other.name && file == other.file && interval == other.interval && queryOffset == other.queryOffset
            && limit == other.limit && labels == other.labels && rules.map(\.comparable) == other.rules.map(\.comparable)
    }

    /// Prometheus' `Group.EvalTimestamp`: the latest aligned slot at or before `startTime`
    /// (ms), offset within the interval by the hash of `{file, name}` so groups spread out.
    package func evalTimestamp(startTime: Timestamp) -> Timestamp {
        let step = max(interval, 1)
        let hash = LimitRatio.hash(Labels([Label(name: "name", value: name), Label(name: "file", value: file)]))
        // Prometheus computes in nanoseconds; samples carry milliseconds, so the offset is floored to ms.
        let offset = Int64(hash % (UInt64(step) * 1_000_000) / 1_000_000)
        let adjusted = startTime - offset
        var base = adjusted - adjusted % step
        if adjusted % step < 0 { base -= step }
        return base + offset
    }

    /// Takes over the state of `old` for rules with the same name and labels (Prometheus'
    /// `CopyState`): previous series, active alerts, last evaluation; series of rules that
    /// have no match are marked stale at this group's next evaluation.
    func copyState(from old: RuleGroup) {
        let oldState = old.state.withLock { $0 }
        var byIdentity: [String: [Int]] = [:]
        for (index, rule) in old.rules.enumerated() { byIdentity[rule.identity, default: []].append(index) }
        state.withLock { state in
            state.lastEvaluation = oldState.lastEvaluation
            state.evaluationSeconds = oldState.evaluationSeconds
            for (index, rule) in rules.enumerated() {
                guard var candidates = byIdentity[rule.identity], let from = candidates.first else { continue }
                candidates.removeFirst()
                byIdentity[rule.identity] = candidates
                state.rules[index].previousSeries = oldState.rules[from].previousSeries
                if let oldAlerting = oldState.rules[from].alerting, state.rules[index].alerting != nil {
                    for (labels, alert) in oldAlerting.active { state.rules[index].alerting?.active[labels] = alert }
                }
            }
            state.staleSeries = oldState.staleSeries
            for indexes in byIdentity.values {
                for index in indexes { state.staleSeries += oldState.rules[index].previousSeries.sorted() }
            }
        }
    }

    /// Every series the group wrote last (for stale markers when it is removed).
    func takeAllSeries() -> [Labels] {
        state.withLock { state in
            var out = state.staleSeries
            for index in state.rules.indices {
                out += state.rules[index].previousSeries.sorted()
                state.rules[index].previousSeries = []
            }
            state.staleSeries = []
            return out
        }
    }

    /// Ends `run()` at its next wait.
    package func stop() { stopSignal.stop() }

    /// Ends `run()` and waits for an evaluation in progress to finish (Prometheus' `Group.stop`).
    package func stopAndWait() async {
        stopSignal.stop()
        if running.withLock({ $0 }) { await finished.wait() }
    }
}
