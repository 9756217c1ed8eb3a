import Foundation
import Logging
import PharosCore
import Synchronization

/// An escalation policy (`escalations:` in the Pharos config): a firing group covered by
/// `matchers` and not acknowledged within a step's `after` (counted from the group's first
/// notification) is also sent to that step's receiver.
package struct EscalationPolicy: Sendable, Hashable {
    package struct Step: Sendable, Hashable {
        package var after: TimeInterval
        package var receiver: String
        package init(after: TimeInterval, receiver: String) {
            self.after = after
            self.receiver = receiver
        }
    }

    package var name: String
    /// A group is covered when one of its firing alerts matches all of them.
    package var matchers: [LabelMatcher]
    /// In increasing `after`.
    package var steps: [Step]

    package init(name: String, matchers: [LabelMatcher], steps: [Step]) {
        self.name = name
        self.matchers = matchers
        self.steps = steps.sorted { $0.after < $1.after }
    }

    package func covers(_ firing: [AlertmanagerAlert]) -> Bool {
        firing.contains { alert in matchers.allSatisfy { $0.matches(alert.labels.value(of: $0.name) ?? "") } }
    }
}

/// Where one group stands in its escalation: when it was first notified in this firing
/// episode and how many steps went out.
package struct EscalationEpisode: Codable, Sendable, Hashable {
    package var groupKey: String
    package var firstNotifiedAt: Date
    package var stepsSent: Int
    /// Set when the episode ended (a tombstone in the store).
    package var ended = false

    package init(groupKey: String, firstNotifiedAt: Date, stepsSent: Int = 0) {
        self.groupKey = groupKey
        self.firstNotifiedAt = firstNotifiedAt
        self.stepsSent = stepsSent
    }
}

/// The escalation bookkeeping as a pure state machine: fed notifications, ends of episodes
/// and the time, it says which steps are due. No clock, no I/O.
package struct EscalationState: Sendable, Hashable {
    package private(set) var episodes: [String: EscalationEpisode] = [:]

    package init(_ episodes: [EscalationEpisode] = []) {
        for episode in episodes {
            if episode.ended { self.episodes[episode.groupKey] = nil } else { self.episodes[episode.groupKey] = episode }
        }
    }

    /// A group's firing alerts were notified at `now`: starts its episode if none runs.
    package mutating func notified(_ groupKey: String, at now: Date) -> EscalationEpisode? {
        guard episodes[groupKey] == nil else { return nil }
        let episode = EscalationEpisode(groupKey: groupKey, firstNotifiedAt: now)
        episodes[groupKey] = episode
        return episode
    }

    /// The group has nothing firing any more: its episode ends.
    package mutating func ended(_ groupKey: String) -> EscalationEpisode? {
        guard var episode = episodes.removeValue(forKey: groupKey) else { return nil }
        episode.ended = true
        return episode
    }

    /// Indices of `policy`'s steps due at `now` for the group and not yet sent.
    package func due(_ groupKey: String, policy: EscalationPolicy, now: Date) -> [Int] {
        guard let episode = episodes[groupKey] else { return [] }
        let elapsed = now.timeIntervalSince(episode.firstNotifiedAt)
        return policy.steps.indices.filter { $0 >= episode.stepsSent && policy.steps[$0].after <= elapsed }
    }

    /// Steps up to and including `step` went out.
    package mutating func sent(_ groupKey: String, through step: Int) -> EscalationEpisode? {
        guard var episode = episodes[groupKey], step + 1 > episode.stepsSent else { return nil }
        episode.stepsSent = step + 1
        episodes[groupKey] = episode
        return episode
    }
}

/// `EscalationState` behind a lock, persisted through a `RecordStore` so a restart neither
/// repeats nor forgets a step. Thread-safe.
package final class Escalations: Sendable {
    private let state: Mutex<EscalationState>
    private let store: any RecordStore<EscalationEpisode>
    private let logger: Logger

    package init(store: any RecordStore<EscalationEpisode>, logger: Logger) {
        self.store = store
        self.logger = logger
        state = Mutex(EscalationState(store.load()))
    }

    package func notified(_ groupKey: String, at now: Date) {
        persist(state.withLock { $0.notified(groupKey, at: now) })
    }

    package func ended(_ groupKey: String) {
        persist(state.withLock { $0.ended(groupKey) })
    }

    package func due(_ groupKey: String, policy: EscalationPolicy, now: Date) -> [Int] {
        state.withLock { $0.due(groupKey, policy: policy, now: now) }
    }

    package func sent(_ groupKey: String, through step: Int) {
        persist(state.withLock { $0.sent(groupKey, through: step) })
    }

    package var episodes: [EscalationEpisode] { state.withLock { Array($0.episodes.values) } }

    /// Ends the episodes of groups not in `live` and compacts the store.
    package func collectGarbage(liveGroups live: Set<String>) {
        let kept = state.withLock { state -> [EscalationEpisode] in
            for key in state.episodes.keys where !live.contains(key) { _ = state.ended(key) }
            return Array(state.episodes.values)
        }
        do {
            try store.compact(kept)
        } catch {
            logger.error("Cannot compact the escalation state", metadata: ["alerting.error": "\(error)"])
        }
    }

    private func persist(_ episode: EscalationEpisode?) {
        guard let episode else { return }
        do {
            try store.append([episode])
        } catch {
            logger.error("Cannot persist the escalation state", metadata: ["alerting.error": "\(error)"])
        }
    }
}
