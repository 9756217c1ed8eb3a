import Foundation
import Logging
import Synchronization

/// What was last sent for one group to one integration of a receiver (Alertmanager's
/// `nflogpb.Entry`): the fingerprints of the firing and resolved alerts, and when.
package struct NotificationLogEntry: Codable, Sendable, Hashable {
    package var groupKey: String
    package var receiver: String
    package var integration: String
    package var index: Int
    package var firing: Set<UInt64>
    package var resolved: Set<UInt64>
    package var timestamp: Date
    package var expiresAt: Date

    package init(groupKey: String, receiver: String, integration: String, index: Int,
                 firing: Set<UInt64>, resolved: Set<UInt64>, timestamp: Date, expiresAt: Date) {
        self.groupKey = groupKey
        self.receiver = receiver
        self.integration = integration
        self.index = index
        self.firing = firing
        self.resolved = resolved
        self.timestamp = timestamp
        self.expiresAt = expiresAt
    }

    var key: String { NotificationLog.key(groupKey, receiver, integration, index) }
}

/// The notification log (Alertmanager's `nflog`): consulted before each notification so a
/// group is not notified again unless something changed or `repeat_interval` passed, and
/// persisted so a restart neither repeats nor loses a notification. Thread-safe.
package final class NotificationLog: Sendable {
    private let entries: Mutex<[String: NotificationLogEntry]>
    private let store: any RecordStore<NotificationLogEntry>
    private let logger: Logger
    /// How long an entry is kept (Alertmanager's `--data.retention`, 120h).
    package let retention: TimeInterval

    package init(store: any RecordStore<NotificationLogEntry>, retention: TimeInterval = 120 * 3600, logger: Logger) {
        self.store = store
        self.retention = retention
        self.logger = logger
        var loaded: [String: NotificationLogEntry] = [:]
        for entry in store.load() { loaded[entry.key] = entry }
        entries = Mutex(loaded)
    }

    static func key(_ groupKey: String, _ receiver: String, _ integration: String, _ index: Int) -> String {
        "\(groupKey)\u{0}\(receiver)\u{0}\(integration)\u{0}\(index)"
    }

    package func entry(groupKey: String, receiver: String, integration: String, index: Int) -> NotificationLogEntry? {
        let key = Self.key(groupKey, receiver, integration, index)
        return entries.withLock { $0[key] }
    }

    /// Records a successful notification and hands it to the store.
    package func log(_ entry: NotificationLogEntry) {
        var entry = entry
        entry.expiresAt = entry.timestamp.addingTimeInterval(retention)
        let stored = entry
        entries.withLock { $0[stored.key] = stored }
        do {
            try store.append([stored])
        } catch {
            logger.error("Cannot persist the notification log", metadata: ["alerting.error": "\(error)"])
        }
    }

    package var all: [NotificationLogEntry] { entries.withLock { Array($0.values) } }

    /// Drops expired entries and compacts the store.
    package func collectGarbage(now: Date) {
        let live = entries.withLock { entries -> [NotificationLogEntry] in
            entries = entries.filter { $0.value.expiresAt > now }
            return Array(entries.values)
        }
        do {
            try store.compact(live)
        } catch {
            logger.error("Cannot compact the notification log", metadata: ["alerting.error": "\(error)"])
        }
    }
}

extension NotificationLogEntry? {
    /// Alertmanager's `DedupStage.needsUpdate`; an `acknowledged` group is not repeated.
    package func needsUpdate(firing: Set<UInt64>, resolved: Set<UInt64>, sendResolved: Bool,
                             repeatInterval: TimeInterval, acknowledged: Bool = false, now: Date) -> Bool {
        guard let entry = self else { return !firing.isEmpty }
        if !firing.isSubset(of: entry.firing) { return true }
        // All resolved: notify (whatever send_resolved says) only when something was firing.
        if firing.isEmpty { return !entry.firing.isEmpty }
        if sendResolved, !resolved.isSubset(of: entry.resolved) { return true }
        return !acknowledged && entry.timestamp < now.addingTimeInterval(-repeatInterval)
    }
}
