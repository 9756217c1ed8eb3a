import Foundation
import PharosConfig
import PharosCore

/// Pharos' additions around the embedded Alertmanager, from the Pharos config
/// (CONFIG.md): `escalations:`, `silence_notices:` and `maintenance:`.
package struct AlertPolicies: Sendable, Hashable {
    package var escalations: [EscalationPolicy] = []
    package var silenceNotices: SilenceNoticeConfig?
    package var maintenance: [MaintenanceWindow] = []

    package init(escalations: [EscalationPolicy] = [], silenceNotices: SilenceNoticeConfig? = nil,
                 maintenance: [MaintenanceWindow] = []) {
        self.escalations = escalations
        self.silenceNotices = silenceNotices
        self.maintenance = maintenance
    }

    /// How often to look for due steps and notices: a quarter of the shortest wait, between
    /// 250ms and `limit`.
    package func followUpInterval(atMost limit: TimeInterval) -> TimeInterval {
        let waits = escalations.flatMap { $0.steps.map(\.after) } + (silenceNotices.map { [$0.beforeExpiry] } ?? [])
        guard let shortest = waits.min() else { return limit }
        return min(limit, max(0.25, shortest / 4))
    }

    /// Decodes the sections; every receiver and time interval they name must be `alertmanager`'s.
    package static func from(_ config: PharosConfig, alertmanager: AlertmanagerConfig?) throws(ConfigError) -> AlertPolicies {
        var policies = AlertPolicies()
        let receivers = Set(alertmanager?.receivers.map(\.name) ?? [])
        func receiver(_ cursor: ConfigCursor) throws(ConfigError) -> String {
            let name = try cursor.string()
            guard alertmanager != nil else {
                throw cursor.fail("receiver \(goQuote(name)) needs an alertmanager: section that defines it")
            }
            guard receivers.contains(name) else {
                throw cursor.fail("undefined receiver \(goQuote(name)) (not in the alertmanager config's receivers)")
            }
            return name
        }
        if let cursor = config.cursor(for: "escalations"), !cursor.isNull {
            var names: Set<String> = []
            for item in try cursor.sequence() {
                let fields = try item.mapping("escalation policy")
                guard let nameCursor = fields.take("name") else { throw item.fail("an escalation policy needs a name") }
                let name = try nameCursor.string()
                guard !name.isEmpty else { throw nameCursor.fail("an escalation policy needs a name") }
                guard names.insert(name).inserted else { throw nameCursor.fail("escalation policy \(goQuote(name)) is defined twice") }
                let matchers = try fields.take("matchers")?.matcherList(.fallback) ?? []
                guard let stepsCursor = fields.take("steps") else {
                    throw item.fail("escalation policy \(goQuote(name)) has no steps")
                }
                var steps: [EscalationPolicy.Step] = []
                for stepCursor in try stepsCursor.sequence() {
                    let step = try stepCursor.mapping("escalation step")
                    guard let after = try step.duration("after") else { throw stepCursor.fail("an escalation step needs after") }
                    guard let receiverCursor = step.take("receiver") else {
                        throw stepCursor.fail("an escalation step needs a receiver")
                    }
                    steps.append(.init(after: TimeInterval(after.milliseconds) / 1000, receiver: try receiver(receiverCursor)))
                    try step.finish()
                }
                guard !steps.isEmpty else { throw stepsCursor.fail("escalation policy \(goQuote(name)) has no steps") }
                try fields.finish()
                policies.escalations.append(EscalationPolicy(name: name, matchers: matchers, steps: steps))
            }
        }
        if let cursor = config.cursor(for: "silence_notices"), !cursor.isNull {
            let fields = try cursor.mapping("silence_notices")
            guard let receiverCursor = fields.take("receiver") else { throw cursor.fail("silence_notices needs a receiver") }
            var notices = SilenceNoticeConfig(receiver: try receiver(receiverCursor))
            if let before = try fields.duration("before_expiry") { notices.beforeExpiry = TimeInterval(before.milliseconds) / 1000 }
            try fields.finish()
            policies.silenceNotices = notices
        }
        if let cursor = config.cursor(for: "maintenance"), !cursor.isNull {
            let intervals = Set(alertmanager.map { ($0.timeIntervals + $0.muteTimeIntervals).map(\.name) } ?? [])
            policies.maintenance = try MaintenanceWindow.decodeAll(cursor, timeIntervals: intervals, hasAlertmanager: alertmanager != nil)
        }
        return policies
    }
}
