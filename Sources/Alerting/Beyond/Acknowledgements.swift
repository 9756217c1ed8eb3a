import Foundation
import Logging
import PharosCore
import Synchronization

/// An acknowledgement (`POST /api/pharos/v1/alerts/acks`): someone has seen these alerts.
///
/// It covers the alerts that were firing when it was made — those of one group (`groupKey`) or
/// those matching `matchers` — and stays in force for a group while every firing alert of the
/// group is covered; a new alert joining the group ends it for that group. An alert that
/// resolves leaves the ack (so its return is new), and an ack that covers nothing any more is
/// retired.
package struct AlertAck: Codable, Sendable, Hashable {
    package var id: String
    /// The group acknowledged, or nil for an ack by matchers (any group).
    package var groupKey: String?
    package var matchers: [SilenceMatcher]
    package var by: String
    package var comment: String
    package var createdAt: Date
    /// Fingerprints of the alerts covered.
    package var covered: Set<UInt64>
    /// Set when withdrawn or retired (a tombstone in the store).
    package var endedAt: Date?

    package init(id: String, groupKey: String?, matchers: [SilenceMatcher], by: String, comment: String,
                 createdAt: Date, covered: Set<UInt64>) {
        self.id = id
        self.groupKey = groupKey
        self.matchers = matchers
        self.by = by
        self.comment = comment
        self.createdAt = createdAt
        self.covered = covered
    }

    /// Whether this ack applies to the group `groupKey`.
    func applies(to groupKey: String) -> Bool { self.groupKey == nil || self.groupKey == groupKey }
}

/// The acks in force, persisted through a `RecordStore` (later records win). Thread-safe.
package final class Acknowledgements: Sendable {
    private let acks: Mutex<[String: AlertAck]>
    private let store: any RecordStore<AlertAck>
    private let logger: Logger
    private let makeID: @Sendable () -> String

    package init(store: any RecordStore<AlertAck>, logger: Logger,
                 makeID: @escaping @Sendable () -> String = { UUID().uuidString.lowercased() }) {
        self.store = store
        self.logger = logger
        self.makeID = makeID
        var loaded: [String: AlertAck] = [:]
        for ack in store.load() { loaded[ack.id] = ack }
        acks = Mutex(loaded.filter { $0.value.endedAt == nil })
    }

    /// Stores a new ack (its id is assigned here) and returns it.
    package func add(_ ack: AlertAck) -> AlertAck {
        var ack = ack
        ack.id = makeID()
        let stored = ack
        acks.withLock { $0[stored.id] = stored }
        persist([stored])
        return stored
    }

    /// Withdraws the ack `id`; false when there is none.
    package func withdraw(_ id: String, now: Date) -> Bool {
        let ended: AlertAck? = acks.withLock { acks in
            guard var ack = acks.removeValue(forKey: id) else { return nil }
            ack.endedAt = now
            return ack
        }
        guard let ended else { return false }
        persist([ended])
        return true
    }

    /// The acks in force, oldest first.
    package var all: [AlertAck] { acks.withLock { Array($0.values) }.sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) } }

    /// The acks that make the group `groupKey` acknowledged while `firing` fires: empty unless
    /// every firing alert is covered by an ack applying to the group.
    package func acknowledging(groupKey: String, firing: Set<UInt64>) -> [AlertAck] {
        guard !firing.isEmpty else { return [] }
        return acks.withLock { acks in
            let applying = acks.values.filter { $0.applies(to: groupKey) }
            var uncovered = firing
            for ack in applying { uncovered.subtract(ack.covered) }
            return uncovered.isEmpty ? applying.filter { !$0.covered.isDisjoint(with: firing) } : []
        }
    }

    package func isAcknowledged(groupKey: String, firing: Set<UInt64>) -> Bool {
        !acknowledging(groupKey: groupKey, firing: firing).isEmpty
    }

    /// Removes resolved alerts from every ack; acks left covering nothing are retired.
    package func alertsResolved(_ fingerprints: [AlertFingerprint], now: Date) {
        guard !fingerprints.isEmpty else { return }
        let raw = Set(fingerprints.map(\.raw))
        let changed: [AlertAck] = acks.withLock { acks in
            var changed: [AlertAck] = []
            for (id, var ack) in acks where !ack.covered.isDisjoint(with: raw) {
                ack.covered.subtract(raw)
                if ack.covered.isEmpty {
                    ack.endedAt = now
                    acks[id] = nil
                } else {
                    acks[id] = ack
                }
                changed.append(ack)
            }
            return changed
        }
        persist(changed)
    }

    /// Compacts the store to the acks in force.
    package func collectGarbage() {
        do {
            try store.compact(all)
        } catch {
            logger.error("Cannot compact the acknowledgements", metadata: ["alerting.error": "\(error)"])
        }
    }

    private func persist(_ acks: [AlertAck]) {
        guard !acks.isEmpty else { return }
        do {
            try store.append(acks)
        } catch {
            logger.error("Cannot persist acknowledgements", metadata: ["alerting.error": "\(error)"])
        }
    }
}
