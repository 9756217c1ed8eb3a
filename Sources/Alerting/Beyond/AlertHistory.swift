import Foundation
import Logging
import PharosCore
import Synchronization

/// One line of the alert history (`GET /api/pharos/v1/alerts/history`).
package struct HistoryEntry: Codable, Sendable, Hashable {
    package enum Kind: String, Codable, Sendable, CaseIterable {
        case firing, resolved, notification, ack, escalation, silenced, inhibited
        case notificationFailed = "notification_failed"
    }

    package var time: Date
    package var kind: Kind
    /// The group the entry is about; "" for an alert's own state changes.
    package var groupKey: String
    package var receiver: String
    /// The alert's labels, or the group's labels for group-level entries.
    package var labels: [String: String]
    package var by: String
    package var comment: String
    package var error: String

    package init(time: Date, kind: Kind, groupKey: String = "", receiver: String = "", labels: Labels,
                 by: String = "", comment: String = "", error: String = "") {
        self.time = time
        self.kind = kind
        self.groupKey = groupKey
        self.receiver = receiver
        self.labels = Dictionary(uniqueKeysWithValues: labels.map { ($0.name, $0.value) })
        self.by = by
        self.comment = comment
        self.error = error
    }

    package var labelSet: Labels { Labels(labels) }
}

/// Every state change, notification, failure, ack, escalation, silence and inhibition of the
/// embedded Alertmanager, in time order, kept for `retention` and persisted through a
/// `RecordStore` (Alertmanager keeps none of this).
///
/// `firing`/`resolved` and `silenced`/`inhibited` are recorded once per episode: an alert that
/// is re-posted while firing, or muted at every flush, gives one entry. Thread-safe.
package final class AlertHistory: Sendable {
    private struct State {
        var entries: [HistoryEntry] = []
        /// Alerts whose `firing` entry has no `resolved` yet.
        var firing: Set<AlertFingerprint> = []
        /// Alerts currently muted, and by what.
        var muted: [AlertFingerprint: HistoryEntry.Kind] = [:]
    }

    private let state: Mutex<State>
    private let store: any RecordStore<HistoryEntry>
    private let logger: Logger
    package let retention: TimeInterval

    package init(store: any RecordStore<HistoryEntry>, retention: TimeInterval = 30 * 86_400, logger: Logger) {
        self.store = store
        self.retention = retention
        self.logger = logger
        var loaded = State()
        loaded.entries = store.load().sorted { $0.time < $1.time }
        for entry in loaded.entries {
            let fingerprint = AlertFingerprint(entry.labelSet)
            switch entry.kind {
            case .firing: loaded.firing.insert(fingerprint)
            case .resolved: loaded.firing.remove(fingerprint)
            case .silenced, .inhibited: loaded.muted[fingerprint] = entry.kind
            default: break
            }
        }
        state = Mutex(loaded)
    }

    /// Appends `entries` and hands them to the store.
    package func record(_ entries: [HistoryEntry]) {
        guard !entries.isEmpty else { return }
        state.withLock { $0.entries += entries }
        persist(entries)
    }

    /// Records a `firing` or `resolved` entry for each alert that changed between the two at
    /// `now` (one write for all). Returns the alerts whose firing episode ended.
    @discardableResult
    package func noteStates(of alerts: [AlertmanagerAlert], now: Date) -> [AlertFingerprint] {
        var ended: [AlertFingerprint] = []
        let entries: [HistoryEntry] = state.withLock { state in
            var entries: [HistoryEntry] = []
            for alert in alerts {
                let fingerprint = alert.fingerprint
                if alert.isResolved(at: now) {
                    guard state.firing.remove(fingerprint) != nil else { continue }
                    state.muted[fingerprint] = nil
                    entries.append(HistoryEntry(time: min(alert.endsAt, now), kind: .resolved, labels: alert.labels))
                    ended.append(fingerprint)
                } else if state.firing.insert(fingerprint).inserted {
                    entries.append(HistoryEntry(time: alert.startsAt, kind: .firing, labels: alert.labels,
                                                comment: alert.annotations.value(of: "summary") ?? ""))
                }
            }
            state.entries += entries
            return entries
        }
        if !entries.isEmpty { persist(entries) }
        return ended
    }

    /// Records that `alert` is muted (`.silenced` or `.inhibited`, `by` naming the silences or
    /// the inhibiting alerts) or, with `kind` nil, that it no longer is. One entry per episode.
    package func noteMute(of alert: AlertmanagerAlert, kind: HistoryEntry.Kind?, by: String, groupKey: String,
                          receiver: String, now: Date) {
        let fingerprint = alert.fingerprint
        let entry: HistoryEntry? = state.withLock { state in
            guard state.muted[fingerprint] != kind else { return nil }
            state.muted[fingerprint] = kind
            guard let kind else { return nil }
            let entry = HistoryEntry(time: now, kind: kind, groupKey: groupKey, receiver: receiver, labels: alert.labels, by: by)
            state.entries.append(entry)
            return entry
        }
        if let entry { persist([entry]) }
    }

    /// Entries whose labels match every matcher, within `[start, end]`, newest first, at most `limit`.
    package func query(matchers: [LabelMatcher] = [], start: Date? = nil, end: Date? = nil, limit: Int? = nil) -> [HistoryEntry] {
        let entries = state.withLock { $0.entries }
        var out = entries.filter { entry in
            if let end, entry.time > end { return false }
            if let start, entry.time < start { return false }
            let labels = entry.labelSet
            return matchers.allSatisfy { $0.matches(labels.value(of: $0.name) ?? "") }
        }
        // Appended in arrival order; a `firing` entry carries the alert's own `startsAt`.
        out.reverse()
        out.sort { $0.time > $1.time }
        if let limit, out.count > limit { out.removeLast(out.count - limit) }
        return out
    }

    package var count: Int { state.withLock { $0.entries.count } }

    /// Drops entries older than the retention and compacts the store.
    package func collectGarbage(now: Date) {
        let cutoff = now.addingTimeInterval(-retention)
        let live = state.withLock { state -> [HistoryEntry] in
            state.entries.removeAll { $0.time < cutoff }
            return state.entries
        }
        do {
            try store.compact(live)
        } catch {
            logger.error("Cannot compact the alert history", metadata: ["alerting.error": "\(error)"])
        }
    }

    private func persist(_ entries: [HistoryEntry]) {
        do {
            try store.append(entries)
        } catch {
            logger.error("Cannot persist the alert history", metadata: ["alerting.error": "\(error)"])
        }
    }
}
