import PharosCore
import PharosConfig
import PharosHTTP
import Rules
import ServiceLifecycle

/// Starts rule evaluation once storage is ready, with the config the server started with;
/// reloads go through `RuleManager.apply`. An invalid rule file at start-up is logged and the
/// server runs without those rules (a reload with fixed files loads them), as Prometheus.
package struct RulesService: Service {
    package var manager: RuleManager
    package var gate: ReadinessGate
    package var initialConfig: PharosConfig

    package func run() async throws {
        try await cancelWhenGracefulShutdown { await gate.waitUntilReady() }
        guard gate.isReady, !Task.isCancelled else { return }
        try? await manager.apply(initialConfig, generated: (try? PharosServer.sloRuleFiles(initialConfig)) ?? [])
        await cancelWhenGracefulShutdown { await manager.run() }
    }
}

/// The rule manager's groups in the rules API's shape.
package struct RulesAdapter: RulesProviding {
    package var manager: RuleManager

    package func ruleGroups() async -> [APIRuleGroup] {
        await manager.ruleGroups.map { group in
            let snapshot = group.snapshot()
            return APIRuleGroup(name: snapshot.name, file: snapshot.file, interval: Double(snapshot.interval) / 1000,
                                limit: snapshot.limit, evaluationTime: snapshot.evaluationSeconds,
                                lastEvaluation: snapshot.lastEvaluation, rules: snapshot.rules.map(Self.rule))
        }
    }

    static func rule(_ rule: RuleSnapshot) -> APIRule {
        let spec = rule.definition.spec
        var out = APIRule(isAlerting: spec.kind == .alerting, name: spec.name, query: rule.definition.query, labels: spec.labels,
                          health: rule.health.rawValue, lastError: rule.lastError, evaluationTime: rule.evaluationSeconds,
                          lastEvaluation: rule.lastEvaluation)
        if let alerting = rule.alerting {
            out.state = alerting.state.rawValue
            out.duration = Double(spec.holdDuration.milliseconds) / 1000
            out.keepFiringFor = Double(spec.keepFiringFor.milliseconds) / 1000
            out.annotations = spec.annotations
            out.alerts = alerting.alerts.filter { $0.state != .inactive }.map { alert in
                APIAlert(labels: alert.labels, annotations: alert.annotations, state: alert.state.rawValue,
                         activeAt: alert.activeAt, keepFiringSince: alert.keepFiringSince, value: alert.value)
            }
        }
        return out
    }
}
