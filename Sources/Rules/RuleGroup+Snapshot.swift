import PharosCore
import Synchronization

/// A consistent copy of one rule group's state, for the rules and alerts APIs.
package struct RuleGroupSnapshot: Sendable {
    package var name: String
    package var file: String
    /// ms.
    package var interval: Int64
    package var queryOffset: Int64
    package var limit: Int
    /// Wall-clock start of the last evaluation (ms); nil before the first.
    package var lastEvaluation: Timestamp?
    package var evaluationSeconds: Double
    package var rules: [RuleSnapshot]
}

/// One rule's definition and state.
package struct RuleSnapshot: Sendable {
    package var definition: RuleDefinition
    package var health: RuleHealth
    package var lastError: String?
    package var lastEvaluation: Timestamp?
    package var evaluationSeconds: Double
    /// Alerting rules only.
    package var alerting: AlertingRuleState?
}

extension RuleGroup {
    package func snapshot() -> RuleGroupSnapshot {
        let state = self.state.withLock { $0 }
        let rules = zip(self.rules, state.rules).map { definition, runtime in
            RuleSnapshot(definition: definition, health: runtime.health, lastError: runtime.lastError,
                         lastEvaluation: runtime.lastEvaluation, evaluationSeconds: runtime.evaluationSeconds,
                         alerting: runtime.alerting)
        }
        return RuleGroupSnapshot(name: name, file: file, interval: interval, queryOffset: queryOffset, limit: limit,
                                 lastEvaluation: state.lastEvaluation, evaluationSeconds: state.evaluationSeconds, rules: rules)
    }
}
