import Foundation
import Logging
import PharosCore
import Synchronization

/// `silence_notices:` in the Pharos config: `receiver` is told when a silence starts, when it
/// has `beforeExpiry` left, and when it ends.
package struct SilenceNoticeConfig: Sendable, Hashable {
    package var receiver: String
    package var beforeExpiry: TimeInterval
    package init(receiver: String, beforeExpiry: TimeInterval = 3600) {
        self.receiver = receiver
        self.beforeExpiry = beforeExpiry
    }
}

/// A notice sent for one silence.
package struct SilenceNotice: Codable, Sendable, Hashable {
    package enum Kind: String, Codable, Sendable, CaseIterable {
        case started, expiring, ended

        /// The `alertname` of the notice's alert.
        package var alertname: String {
            switch self {
            case .started: "SilenceStarted"
            case .expiring: "SilenceExpiring"
            case .ended: "SilenceEnded"
            }
        }
    }

    package var silenceID: String
    package var kind: Kind
    package var sentAt: Date

    package init(silenceID: String, kind: Kind, sentAt: Date) {
        self.silenceID = silenceID
        self.kind = kind
        self.sentAt = sentAt
    }

    /// The notice due for `silence` at `now` given those already `sent`, if any. A silence that
    /// ended before a start notice went out gets none; one whose start was noticed gets an end.
    package static func due(for silence: Silence, sent: Set<Kind>, beforeExpiry: TimeInterval, now: Date) -> Kind? {
        switch silence.state(at: now) {
        case .pending:
            return nil
        case .active:
            if !sent.contains(.started) { return .started }
            if !sent.contains(.expiring), silence.endsAt.timeIntervalSince(now) <= beforeExpiry { return .expiring }
            return nil
        case .expired:
            return sent.contains(.started) && !sent.contains(.ended) ? .ended : nil
        }
    }

    /// The alert a receiver is sent for this notice: `alertname` names the kind, the silence's
    /// id, author and matchers are labels, its comment the summary. An `ended` notice is resolved.
    package static func alert(for silence: Silence, kind: Kind, now: Date) -> AlertmanagerAlert {
        let matchers = silence.matchers.map(\.description).joined(separator: ", ")
        let labels = Labels([
            Label(name: "alertname", value: kind.alertname),
            Label(name: "silence_id", value: silence.id),
            Label(name: "created_by", value: silence.createdBy),
            Label(name: "matchers", value: matchers),
        ])
        let summary: String = switch kind {
        case .started: "Silence \(silence.id) by \(silence.createdBy) started: \(silence.comment)"
        case .expiring: "Silence \(silence.id) by \(silence.createdBy) expires at \(AlertmanagerTime.apiString(silence.endsAt)): \(silence.comment)"
        case .ended: "Silence \(silence.id) by \(silence.createdBy) ended: \(silence.comment)"
        }
        let annotations = Labels([
            Label(name: "summary", value: summary),
            Label(name: "description", value: "Alerts matching {\(matchers)} are silenced from \(AlertmanagerTime.apiString(silence.startsAt)) to \(AlertmanagerTime.apiString(silence.endsAt))."),
        ])
        let endsAt = kind == .ended ? min(silence.endsAt, now) : silence.endsAt
        return AlertmanagerAlert(labels: labels, annotations: annotations, startsAt: silence.startsAt, endsAt: endsAt,
                                 generatorURL: "", updatedAt: now, timeout: false)
    }
}

/// The notices sent, persisted so a restart does not repeat one. Thread-safe.
package final class SilenceNoticeLog: Sendable {
    private let sent: Mutex<[String: Set<SilenceNotice.Kind>]>
    private let store: any RecordStore<SilenceNotice>
    private let logger: Logger

    package init(store: any RecordStore<SilenceNotice>, logger: Logger) {
        self.store = store
        self.logger = logger
        var loaded: [String: Set<SilenceNotice.Kind>] = [:]
        for notice in store.load() { loaded[notice.silenceID, default: []].insert(notice.kind) }
        sent = Mutex(loaded)
    }

    package func sentKinds(_ silenceID: String) -> Set<SilenceNotice.Kind> { sent.withLock { $0[silenceID] ?? [] } }

    /// The ids logged that start with `prefix` (a maintenance window's episodes).
    package func ids(withPrefix prefix: String) -> [String] {
        sent.withLock { $0.keys.filter { $0.hasPrefix(prefix) }.sorted() }
    }

    package func log(_ notice: SilenceNotice) {
        sent.withLock { _ = $0[notice.silenceID, default: []].insert(notice.kind) }
        do {
            try store.append([notice])
        } catch {
            logger.error("Cannot persist the silence notices", metadata: ["alerting.error": "\(error)"])
        }
    }

    /// Forgets the notices of silences no longer stored, and of maintenance episodes whose end
    /// was told, and compacts the store.
    package func collectGarbage(liveSilences live: Set<String>, now: Date) {
        let kept = sent.withLock { sent -> [SilenceNotice] in
            sent = sent.filter { id, kinds in
                live.contains(id) || (id.hasPrefix(MaintenanceWindow.episodePrefix) && !kinds.contains(.ended))
            }
            return sent.flatMap { id, kinds in kinds.map { SilenceNotice(silenceID: id, kind: $0, sentAt: now) } }
        }
        do {
            try store.compact(kept)
        } catch {
            logger.error("Cannot compact the silence notices", metadata: ["alerting.error": "\(error)"])
        }
    }
}
