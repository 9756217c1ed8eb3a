import Logging
import PharosCore

/// Writes pushed groups into storage the way Prometheus scraping a Pushgateway with
/// `honor_labels: true` would: every series of a group at the push time, then all groups again
/// every `interval` so they stay inside the query lookback window, and a staleness marker for
/// each series that left its group (PUT without it, DELETE of the group).
///
/// An actor: calls are serialized up to their commit. Samples the storage refuses (out of
/// order after a clock step, duplicates) are skipped and counted in `rejectedSamples`.
package actor PushIngester {
    private let store: GroupStore
    private let appendable: any Appendable
    private let logger: Logger
    /// How often `run` re-appends every group; 15 s by default, like a common scrape interval.
    package let interval: Duration
    /// Series last written per group, for staleness markers.
    private var written: [GroupingKey: Set<Labels>] = [:]
    /// Samples the storage refused since start.
    package private(set) var rejectedSamples = 0

    package init(store: GroupStore, appendable: any Appendable, interval: Duration = .seconds(15), logger: Logger) {
        self.store = store
        self.appendable = appendable
        self.interval = interval
        self.logger = logger
    }

    /// Appends the current state of group `key` at `time` (ms): its samples, and stale markers
    /// for series written before that it no longer has (all of them when it was deleted).
    package func ingest(_ key: GroupingKey, at time: Timestamp) async throws {
        try await write(keys: [key], at: time)
    }

    /// Appends every group at `time`, and stale markers for groups deleted since the last write.
    package func refresh(at time: Timestamp) async throws {
        let keys = Set(written.keys).union(store.snapshot().map(\.key))
        try await write(keys: keys.sorted(), at: time)
    }

    /// Calls `refresh` at once (groups loaded from disk become visible at start-up) and then
    /// every `interval` on `clock` until the task is cancelled; failures are logged and retried
    /// at the next tick. Start it once storage is ready.
    package func run<C: Clock>(clock: C, now: @Sendable () -> Timestamp) async where C.Duration == Duration {
        while !Task.isCancelled {
            do { try await refresh(at: now()) } catch {
                logger.warning("Cannot append pushed metrics", metadata: ["push.error": "\(error)"])
            }
            do { try await clock.sleep(for: interval) } catch { return }
        }
    }

    /// The series written per group, for tests and status pages.
    package var writtenSeries: [GroupingKey: Set<Labels>] { written }

    private func write(keys: [GroupingKey], at time: Timestamp) async throws {
        let groups = Dictionary(uniqueKeysWithValues: store.snapshot().map { ($0.key, $0) })
        let live = Set(groups.values.flatMap { $0.samples.map(\.labels) })
        let appender = appendable.makeAppender()
        var rejected = 0
        for key in keys {
            let samples = groups[key]?.samples ?? []
            let current = Set(samples.map(\.labels))
            for sample in samples {
                do { try appender.append(sample.labels, at: time, value: sample.value) } catch { rejected += 1 }
            }
            for old in written[key] ?? [] where !current.contains(old) && !live.contains(old) {
                do { try appender.append(old, at: time, value: StaleNaN.value) } catch { rejected += 1 }
            }
            written[key] = current.isEmpty ? nil : current
        }
        rejectedSamples += rejected
        try await appender.commit()
    }
}
