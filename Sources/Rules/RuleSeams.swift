import PharosCore
import PromQL
import PromQLParser

/// One sample of a rule's query result.
package struct RuleSample: Sendable, Hashable {
    package var labels: Labels
    package var value: Double

    package init(labels: Labels, value: Double) {
        self.labels = labels
        self.value = value
    }
}

/// "Evaluate this expression at this time" (Prometheus' `QueryFunc`). Thread-safe.
///
/// A scalar result is one sample with no labels; a string or range-vector result throws.
package protocol InstantQuerying: Sendable {
    func query(_ expr: Expr, source: String, at time: Timestamp) async throws -> [RuleSample]
}

/// "Send these alerts" (Prometheus' `NotifyFunc`): the notifier or the embedded Alertmanager.
/// Called after each evaluation of an alerting rule with the alerts that need sending (may be
/// empty: then nothing is to be done). Must not block for long: queue and return.
package protocol AlertSink: Sendable {
    func send(_ alerts: [Alert], expression: String) async
}

/// An alert as handed to an `AlertSink`, in Alertmanager's terms.
package struct Alert: Sendable, Hashable {
    package var labels: Labels
    package var annotations: Labels
    /// When the alert started firing (ms).
    package var startsAt: Timestamp
    /// When it resolved, or until when it stays valid without a resend (ms).
    package var endsAt: Timestamp
    /// `<external URL>/graph?g0.expr=…&g0.tab=1`.
    package var generatorURL: String

    package init(labels: Labels, annotations: Labels, startsAt: Timestamp, endsAt: Timestamp, generatorURL: String) {
        self.labels = labels
        self.annotations = annotations
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.generatorURL = generatorURL
    }
}

/// An `AlertSink` that drops everything (no notifier configured).
package struct DiscardingAlertSink: AlertSink {
    package init() {}
    package func send(_ alerts: [Alert], expression: String) async {}
}

/// `InstantQuerying` through the local PromQL engine over a `Queryable` (Prometheus'
/// `EngineQueryFunc`).
package struct EngineQuerying: InstantQuerying {
    package var engine: Engine
    package var storage: any Queryable

    package init(engine: Engine, storage: any Queryable) {
        self.engine = engine
        self.storage = storage
    }

    package func query(_ expr: Expr, source: String, at time: Timestamp) async throws -> [RuleSample] {
        let result: QueryResult
        do {
            result = try await engine.instantQuery(expr, source: source, at: time, on: storage)
        } catch {
            throw RuleError(.evaluation, message: error.message)
        }
        switch result.value {
        case .vector(let samples): return samples.map { RuleSample(labels: $0.labels, value: $0.value) }
        case .scalar(_, let value): return [RuleSample(labels: .empty, value: value)]
        default: throw RuleError(.evaluation, message: "rule result is not a vector or scalar")
        }
    }
}
