import Foundation
import PharosCore

/// Why an ack was refused.
package struct AckError: Error, Sendable, CustomStringConvertible {
    package var notFound: Bool
    package var message: String
    package init(notFound: Bool = false, _ message: String) {
        self.notFound = notFound
        self.message = message
    }
    package var description: String { message }
}

extension EmbeddedAlertmanager {
    /// Acknowledges the firing alerts of the group `groupKey`, or (groupKey nil) every firing
    /// alert matching `matchers`, and records it in the history.
    package func acknowledge(groupKey: String?, matchers: [SilenceMatcher], by: String, comment: String) throws(AckError) -> AlertAck {
        let now = configuration.clock.now()
        var covered: Set<UInt64> = []
        var labels = Labels()
        if let groupKey {
            guard let group = dispatcher?.currentGroups.first(where: { $0.groupKey == groupKey }) else {
                throw AckError(notFound: true, "no alert group has the key \(goQuote(groupKey))")
            }
            covered = Set(group.alerts.filter { !$0.isResolved(at: now) }.map(\.fingerprint.raw))
            labels = group.groupLabels
            guard !covered.isEmpty else { throw AckError(notFound: true, "alert group \(goQuote(groupKey)) has no firing alert") }
        } else {
            guard !matchers.isEmpty else { throw AckError("an ack needs a groupKey or matchers") }
            var compiled: [LabelMatcher] = []
            for (index, matcher) in matchers.enumerated() {
                guard let labelMatcher = matcher.labelMatcher else {
                    throw AckError("matchers.\(index): invalid regular expression \(goQuote(matcher.value))")
                }
                compiled.append(labelMatcher)
            }
            for alert in alerts.all where !alert.isResolved(at: now) {
                if compiled.allSatisfy({ $0.matches(alert.labels.value(of: $0.name) ?? "") }) { covered.insert(alert.fingerprint.raw) }
            }
            guard !covered.isEmpty else { throw AckError(notFound: true, "no firing alert matches \(matchers.map(\.description).joined(separator: ","))") }
            labels = Self.equalityLabels(matchers)
        }
        let ack = journal.acks.add(AlertAck(id: "", groupKey: groupKey, matchers: matchers, by: by, comment: comment,
                                            createdAt: now, covered: covered))
        journal.history.record([HistoryEntry(time: now, kind: .ack, groupKey: groupKey ?? "", labels: labels, by: by,
                                             comment: "ack \(ack.id) (\(covered.count) alerts): \(comment)")])
        return ack
    }

    /// Withdraws the ack `id`; false when none is in force.
    package func withdrawAck(_ id: String, by: String = "") -> Bool {
        let now = configuration.clock.now()
        guard let ack = journal.acks.all.first(where: { $0.id == id }), journal.acks.withdraw(id, now: now) else { return false }
        journal.history.record([HistoryEntry(time: now, kind: .ack, groupKey: ack.groupKey ?? "", labels: Self.equalityLabels(ack.matchers),
                                             by: by, comment: "ack \(id) withdrawn")])
        return true
    }

    /// Creates or updates a silence (`Silences.set`) and records it in the history.
    package func setSilence(_ silence: Silence) throws(SilenceError) -> String {
        let now = configuration.clock.now()
        let id = try silences.set(silence, now: now)
        journal.history.record([HistoryEntry(
            time: now, kind: .silenced, labels: Self.equalityLabels(silence.matchers), by: silence.createdBy,
            comment: "silence \(id) set {\(silence.matchers.map(\.description).joined(separator: ", "))} until \(AlertmanagerTime.apiString(silence.endsAt)): \(silence.comment)")])
        return id
    }

    /// Expires the silence `id` and records it in the history.
    package func expireSilence(_ id: String) throws(SilenceError) {
        let now = configuration.clock.now()
        try silences.expire(id, now: now)
        let silence = silences.get(id)
        journal.history.record([HistoryEntry(
            time: now, kind: .silenced, labels: Self.equalityLabels(silence?.matchers ?? []), by: silence?.createdBy ?? "",
            comment: "silence \(id) expired")])
    }

    /// The `name="value"` matchers as labels, so history filters by label find the entry.
    static func equalityLabels(_ matchers: [SilenceMatcher]) -> Labels {
        var seen: Set<String> = []
        return Labels(matchers.filter { !$0.isRegex && $0.isEqual && seen.insert($0.name).inserted }
            .map { Label(name: $0.name, value: $0.value) })
    }
}
