import PharosCore
import Synchronization

/// A snapshot of the exemplar store's gauges and counters, for `/metrics` under Prometheus'
/// `prometheus_tsdb_exemplar_*` names.
package struct ExemplarStats: Sendable, Hashable {
    /// `…_exemplars_appended_total`.
    package var appended: Int
    /// `…_out_of_order_exemplars_total`: refused when committed (appenders check earlier and
    /// report to their caller without counting, as Prometheus' head does).
    package var outOfOrder: Int
    /// `…_exemplars_in_storage`.
    package var stored: Int
    /// `…_series_with_exemplars_in_storage`.
    package var series: Int
    /// `…_last_exemplars_timestamp_seconds` in ms: the oldest stored exemplar's time; nil when empty.
    package var oldestTimestamp: Timestamp?
    /// `…_max_exemplars`.
    package var capacity: Int
}

/// The head's exemplars: a `CircularExemplars` ring behind one lock, thread-safe.
///
/// Appenders `check` when an exemplar is staged and `add` at commit, under the head's commit
/// lock, after the WAL record is written; the replay `add`s logged exemplars. Queries copy the
/// matching exemplars out under the lock. The exemplars live in memory only: after a restart
/// they come back from the WAL (and its checkpoint), not from blocks.
package final class ExemplarStore: ExemplarQueryable, Sendable {
    private let ring: Mutex<CircularExemplars>

    /// - Parameter capacity: slots in the ring; 0 or less keeps no exemplars (until `resize`).
    package init(capacity: Int) {
        ring = Mutex(CircularExemplars(capacity: capacity))
    }

    package var capacity: Int { ring.withLock { $0.capacity } }

    package var stats: ExemplarStats {
        ring.withLock {
            ExemplarStats(appended: $0.appended, outOfOrder: $0.outOfOrder, stored: $0.count, series: $0.seriesCount,
                          oldestTimestamp: $0.oldestTimestamp, capacity: $0.capacity)
        }
    }

    /// See `CircularExemplars.check`.
    package func check(_ labels: Labels, _ exemplar: Exemplar) -> Result<CircularExemplars.Outcome, AppendError> {
        ring.withLock { $0.check(labels, exemplar) }
    }

    /// See `CircularExemplars.add`.
    @discardableResult
    package func add(_ labels: Labels, _ exemplar: Exemplar) throws(AppendError) -> CircularExemplars.Outcome {
        try ring.withLock { ring throws(AppendError) in try ring.add(labels, exemplar) }
    }

    /// Changes the ring's size keeping the newest exemplars (config reload of
    /// `storage.exemplars.max_exemplars`); returns how many were kept.
    @discardableResult
    package func resize(to capacity: Int) -> Int {
        ring.withLock { $0.resize(to: capacity) }
    }

    /// Every stored exemplar with its series' labels, oldest first.
    package func all() -> [(series: Labels, exemplar: Exemplar)] { ring.withLock { $0.all() } }

    package func exemplars(from start: Timestamp, through end: Timestamp,
                           matching selectors: [[LabelMatcher]]) async throws -> [ExemplarQueryResult] {
        select(from: start, through: end, matching: selectors)
    }

    /// The synchronous body of `exemplars(from:through:matching:)`.
    package func select(from start: Timestamp, through end: Timestamp, matching selectors: [[LabelMatcher]]) -> [ExemplarQueryResult] {
        ring.withLock { $0.select(from: start, through: end, matching: selectors) }
    }
}
