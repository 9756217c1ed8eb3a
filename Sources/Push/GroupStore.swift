import Logging
import PharosCore
import Synchronization

/// The Pushgateway's metric store: groups by grouping key, with Pushgateway's PUT/POST/DELETE
/// semantics and its push-time consistency check, persisted through `GroupPersistence`.
///
/// Thread-safe. Each change is applied atomically and then saved; saves are serialized and
/// always write the newest state, so the file never goes back in time. A failed save is
/// reported to the caller (the change stays applied in memory).
package final class GroupStore: Sendable {
    private let groups: Mutex<[GroupingKey: MetricGroup]>
    private let saveLock = Mutex<Void>(())
    private let persistence: (any GroupPersistence)?

    /// Loads the groups `persistence` holds (none when nil or when nothing was saved yet).
    package init(persistence: (any GroupPersistence)?) throws(PushError) {
        self.persistence = persistence
        var loaded: [GroupingKey: MetricGroup] = [:]
        for group in try persistence?.load() ?? [] { loaded[group.key] = group }
        groups = Mutex(loaded)
    }

    /// All groups, sorted by key.
    package func snapshot() -> [MetricGroup] {
        groups.withLock { Array($0.values) }.sorted { $0.key < $1.key }
    }

    /// One group, if present.
    package func group(_ key: GroupingKey) -> MetricGroup? { groups.withLock { $0[key] } }

    /// Applies a push at `time` (ms). `replace` is PUT (all families of the group are replaced)
    /// versus POST (only families with the pushed names). The grouping labels overwrite any
    /// pushed label of the same name, as in Pushgateway; pushed `push_time_seconds` and
    /// `push_failure_time_seconds` families are ignored.
    ///
    /// Throws `.inconsistent` when the body had timestamps or the result would not be
    /// consistent (a family's type differs from another group's, two samples have the same
    /// labels, a family name collides with a histogram/summary suffix); the group's
    /// `push_failure_time_seconds` is then set to `time`. Returns the group after the push.
    @discardableResult
    package func push(_ key: GroupingKey, body: PushBody, replace: Bool, at time: Timestamp) throws(PushError) -> MetricGroup {
        let result: Result<MetricGroup, PushError> = groups.withLock { groups in
            var candidate = groups[key] ?? MetricGroup(key: key)
            do throws(PushError) {
                if body.hasTimestamps {
                    throw PushError(.inconsistent, "pushed metrics must not have timestamps")
                }
                if replace {
                    for name in candidate.families.keys where name != MetricGroup.pushTimeName && name != MetricGroup.pushFailureTimeName {
                        candidate.families[name] = nil
                    }
                }
                for (name, family) in body.families where name != MetricGroup.pushTimeName && name != MetricGroup.pushFailureTimeName {
                    candidate.families[name] = Self.sanitize(family, key: key, at: time)
                }
                candidate.setTimestampGauge(MetricGroup.pushTimeName, help: MetricGroup.pushTimeHelp, at: time, pushedAt: time)
                if candidate.families[MetricGroup.pushFailureTimeName] == nil {
                    candidate.setTimestampGauge(MetricGroup.pushFailureTimeName, help: MetricGroup.pushFailureTimeHelp, at: 0, pushedAt: time)
                }
                var all = groups
                all[key] = candidate
                try ConsistencyCheck.check(all.values.sorted { $0.key < $1.key })
                groups[key] = candidate
                return .success(candidate)
            } catch {
                var failed = groups[key] ?? MetricGroup(key: key)
                failed.setTimestampGauge(MetricGroup.pushFailureTimeName, help: MetricGroup.pushFailureTimeHelp, at: time, pushedAt: time)
                if failed.families[MetricGroup.pushTimeName] == nil {
                    failed.setTimestampGauge(MetricGroup.pushTimeName, help: MetricGroup.pushTimeHelp, at: 0, pushedAt: time)
                }
                groups[key] = failed
                return .failure(PushError(.inconsistent, "pushed metrics are invalid or inconsistent with existing metrics: \(error.message)",
                                          location: "push to \(key)"))
            }
        }
        try save()
        return try result.get()
    }

    /// Removes the group; returns it, or nil when there was none (a no-op, not an error).
    @discardableResult
    package func delete(_ key: GroupingKey) throws(PushError) -> MetricGroup? {
        let removed = groups.withLock { $0.removeValue(forKey: key) }
        if removed != nil { try save() }
        return removed
    }

    /// Removes every group (Pushgateway's admin wipe).
    package func wipe() throws(PushError) {
        groups.withLock { $0.removeAll() }
        try save()
    }

    /// Sets the grouping labels on every sample of `family` and stamps it with the push time.
    static func sanitize(_ family: PushedFamily, key: GroupingKey, at time: Timestamp) -> PushedFamily {
        var family = family
        family.pushedAt = time
        for index in family.samples.indices {
            var builder = LabelsBuilder(family.samples[index].labels)
            for pair in key.pairs { builder.set(pair.name, pair.value) }
            family.samples[index].labels = builder.labels()
        }
        return family
    }

    private func save() throws(PushError) {
        guard let persistence else { return }
        try saveLock.withLock { _ throws(PushError) in
            try persistence.save(snapshot())
        }
    }
}
