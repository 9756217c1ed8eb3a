import Logging
import CoreMetrics
import Synchronization
import PharosCore

extension RuleGroup {
    /// Evaluates the group every `interval` at its aligned slots until `stop()` or
    /// cancellation (Prometheus' `Group.run`). Slots missed because an evaluation overran are
    /// skipped and counted; after a (re)start with restoring, `for` state is restored after the
    /// second evaluation.
    package func run() async {
        running.withLock { $0 = true }
        defer {
            running.withLock { $0 = false }
            finished.stop()
        }
        var evalTimestamp = evalTimestamp(startTime: options.now()) + interval
        guard await stopSignal.sleep(milliseconds: evalTimestamp - options.now()) else { return }
        await iterate(at: evalTimestamp)
        if state.withLock({ $0.shouldRestore }) {
            guard await waitForNextSlot(&evalTimestamp) else { return }
            await iterate(at: evalTimestamp)
            await restoreForState(at: options.now())
        }
        while await waitForNextSlot(&evalTimestamp) {
            await iterate(at: evalTimestamp)
        }
    }

    private func waitForNextSlot(_ evalTimestamp: inout Timestamp) async -> Bool {
        guard await stopSignal.sleep(milliseconds: evalTimestamp + interval - options.now()) else { return false }
        let missed = (options.now() - evalTimestamp) / interval - 1
        if missed > 0 {
            metrics.iterationsMissed.increment(by: Int64(missed))
            metrics.iterationsScheduled.increment(by: Int64(missed))
        }
        evalTimestamp += (max(missed, 0) + 1) * interval
        return true
    }

    /// One scheduled evaluation with its bookkeeping (Prometheus' `DefaultEvalIterationFunc`).
    package func iterate(at evalTimestamp: Timestamp) async {
        metrics.iterationsScheduled.increment()
        let started = options.now()
        let clockStart = ContinuousClock.now
        await evaluate(at: evalTimestamp)
        let elapsed = ContinuousClock.now - clockStart
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        options.metrics.groupDuration.recordNanoseconds(Int64(seconds * 1e9))
        metrics.lastDuration.record(seconds)
        metrics.lastEvaluation.record(Double(started) / 1000)
        state.withLock {
            $0.lastEvaluation = started
            $0.evaluationSeconds = seconds
            $0.lastEvalTimestamp = evalTimestamp
        }
    }

    /// Restores `activeAt` of pending and firing alerts from `ALERTS_FOR_STATE` written before
    /// a restart (Prometheus' `RestoreForState`), then lets alerting rules write `ALERTS`.
    package func restoreForState(at now: Timestamp) async {
        defer {
            state.withLock { state in
                state.shouldRestore = false
                for index in state.rules.indices { state.rules[index].alerting?.restored = true }
            }
        }
        let mint = now - options.outageTolerance
        let wanted = state.withLock { state -> [(Int, [ActiveAlert])] in
            state.rules.indices.compactMap { index in
                guard let alerting = state.rules[index].alerting, alerting.holdDuration >= options.forGracePeriod else { return nil }
                return (index, alerting.alerts)
            }
        }
        guard !wanted.isEmpty else { return }
        var restored: [(Int, Labels, Timestamp)] = []
        do {
            restored = try await options.queryable.withQuerier(from: mint, through: now) { querier in
                var out: [(Int, Labels, Timestamp)] = []
                for (index, alerts) in wanted {
                    let hold = self.rules[index].spec.holdDuration.milliseconds
                    for alert in alerts {
                        let series = AlertingRuleState.forStateSeries(alert.labels)
                        let matchers = try series.map { label throws in try LabelMatcher(.equal, label.name, label.value) }
                        var set = try await querier.select(matchers, hints: SelectHints(start: mint, end: now), sorted: true)
                        while let found = try set.next() {
                            guard found.labels == series else { continue }
                            var iterator = found.makeIterator()
                            var last: (Timestamp, Double)?
                            while iterator.next() { last = (iterator.current.timestamp, iterator.current.value) }
                            if let last, let activeAt = AlertingRuleState.restoredActiveAt(
                                downAt: last.0, value: last.1, now: now, holdDuration: hold, gracePeriod: self.options.forGracePeriod) {
                                out.append((index, alert.labels, activeAt))
                            }
                            break
                        }
                    }
                }
                return out
            }
        } catch {
            options.logger.error("Failed to restore 'for' state", metadata: ["rules.group": "\(name)", "rules.error": "\(error)"])
        }
        state.withLock { state in
            for (index, labels, activeAt) in restored {
                state.rules[index].alerting?.active[labels]?.activeAt = activeAt
            }
        }
    }
}
