import Foundation
import Logging
import PharosCore
import Synchronization

/// The silences of the embedded Alertmanager (Alertmanager's `silence.Silences`), with its
/// rules for create, update and expire (`SilenceRules`), persisted through a `RecordStore`.
/// Thread-safe.
package final class Silences: Sendable {
    private let silences: Mutex<[String: Silence]>
    private let store: any RecordStore<Silence>
    private let logger: Logger
    private let makeID: @Sendable () -> String
    /// How long an expired silence is kept (Alertmanager's `--data.retention`, 120h).
    package let retention: TimeInterval

    package init(store: any RecordStore<Silence>, retention: TimeInterval = 120 * 3600, logger: Logger,
                 makeID: @escaping @Sendable () -> String = { UUID().uuidString.lowercased() }) {
        self.store = store
        self.retention = retention
        self.logger = logger
        self.makeID = makeID
        var loaded: [String: Silence] = [:]
        for silence in store.load() { loaded[silence.id] = silence }
        silences = Mutex(loaded)
    }

    /// Creates or updates `silence` (`Silences.Set`) and returns its id: the same id for an
    /// update in place, a new one otherwise (an active silence being replaced is expired).
    package func set(_ silence: Silence, now: Date) throws(SilenceError) -> String {
        let result: Result<([Silence], String), SilenceError> = silences.withLock { silences in
            do throws(SilenceError) {
                let existing = silence.id.isEmpty ? nil : silences[silence.id]
                switch try SilenceRules.set(silence, existing: existing, now: now) {
                case .update(let updated):
                    silences[updated.id] = updated
                    return .success(([updated], updated.id))
                case .replace(let expiring, var created):
                    var written: [Silence] = []
                    if let expiring {
                        silences[expiring.id] = expiring
                        written.append(expiring)
                    }
                    created.id = makeID()
                    silences[created.id] = created
                    written.append(created)
                    return .success((written, created.id))
                }
            } catch {
                return .failure(error)
            }
        }
        let (written, id) = try result.get()
        persist(written)
        return id
    }

    /// Expires the silence `id` (`Silences.Expire`).
    package func expire(_ id: String, now: Date) throws(SilenceError) {
        let result: Result<Silence, SilenceError> = silences.withLock { silences in
            guard let silence = silences[id] else { return .failure(SilenceError(notFound: true, "silence not found")) }
            guard let expired = SilenceRules.expired(silence, now: now) else {
                return .failure(SilenceError("silence \(id) already expired"))
            }
            silences[id] = expired
            return .success(expired)
        }
        persist([try result.get()])
    }

    package func get(_ id: String) -> Silence? { silences.withLock { $0[id] } }

    package var all: [Silence] { silences.withLock { Array($0.values) } }

    /// Ids of the active silences muting `labels` at `now`, sorted.
    package func mutedBy(_ labels: Labels, now: Date) -> [String] {
        silences.withLock { silences in
            silences.values.filter { $0.state(at: now) == .active && $0.matches(labels) }.map(\.id).sorted()
        }
    }

    /// Drops silences expired for longer than the retention and compacts the store.
    package func collectGarbage(now: Date) {
        let live = silences.withLock { silences -> [Silence] in
            silences = silences.filter { $0.value.endsAt.addingTimeInterval(retention) > now }
            return Array(silences.values)
        }
        do {
            try store.compact(live)
        } catch {
            logger.error("Cannot compact the silence store", metadata: ["alerting.error": "\(error)"])
        }
    }

    private func persist(_ written: [Silence]) {
        do {
            try store.append(written)
        } catch {
            logger.error("Cannot persist silences", metadata: ["alerting.error": "\(error)"])
        }
    }
}
