import Foundation
import Logging
import PharosCore
import Synchronization

/// The active alerts of the embedded Alertmanager (Alertmanager's `provider/mem`), persisted
/// through an `AlertStore` so they survive a restart.
///
/// `put` merges a re-posted alert into the stored one as Alertmanager does and writes it
/// to the store (which may write it behind); `collectGarbage` drops resolved alerts. Thread-safe.
package final class AlertRegistry: Sendable {
    private let alerts: Mutex<[AlertFingerprint: AlertmanagerAlert]>
    private let store: any RecordStore<StoredAlert>
    private let logger: Logger

    /// Loads the stored alerts (later records win).
    package init(store: any RecordStore<StoredAlert>, logger: Logger) {
        self.store = store
        self.logger = logger
        var loaded: [AlertFingerprint: AlertmanagerAlert] = [:]
        for record in store.load() {
            let alert = record.alert
            loaded[alert.fingerprint] = alert
        }
        alerts = Mutex(loaded)
    }

    /// Stores `new` (merged with the stored alerts of the same fingerprint) and returns what
    /// was stored, in input order.
    @discardableResult
    package func put(_ new: [AlertmanagerAlert]) -> [AlertmanagerAlert] {
        let stored = alerts.withLock { alerts -> [AlertmanagerAlert] in
            new.map { alert in
                let fingerprint = alert.fingerprint
                let merged = AlertmanagerAlert.stored(old: alerts[fingerprint], new: alert)
                alerts[fingerprint] = merged
                return merged
            }
        }
        do {
            try store.append(stored.map(StoredAlert.init))
        } catch {
            logger.error("Cannot persist alerts", metadata: ["alerting.error": "\(error)"])
        }
        return stored
    }

    package func get(_ fingerprint: AlertFingerprint) -> AlertmanagerAlert? { alerts.withLock { $0[fingerprint] } }

    /// Every stored alert (resolved ones too, until collected).
    package var all: [AlertmanagerAlert] { alerts.withLock { Array($0.values) } }

    package var count: Int { alerts.withLock { $0.count } }

    /// Label sets of the alerts firing at `now` (the inhibitor's sources).
    package func firing(at now: Date) -> [Labels] {
        alerts.withLock { $0.values.filter { !$0.isResolved(at: now) }.map(\.labels) }
    }

    /// Drops the alerts resolved at `now` and compacts the store; returns how many went.
    @discardableResult
    package func collectGarbage(now: Date) -> Int {
        let (removed, live) = alerts.withLock { alerts -> (Int, [AlertmanagerAlert]) in
            let before = alerts.count
            alerts = alerts.filter { !$0.value.isResolved(at: now) }
            return (before - alerts.count, Array(alerts.values))
        }
        do {
            try store.compact(live.map(StoredAlert.init))
        } catch {
            logger.error("Cannot compact the alert store", metadata: ["alerting.error": "\(error)"])
        }
        return removed
    }
}
