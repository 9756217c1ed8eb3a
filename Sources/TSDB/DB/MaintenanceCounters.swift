import Synchronization

/// Outcomes of maintenance passes, counted under the meaning of Prometheus' `prometheus_tsdb_*`
/// compaction, truncation and reload metrics so its self-monitoring alerts
/// (`PrometheusTSDBCompactionsFailing`, `PrometheusTSDBReloadsFailing`, …) work on Pharos.
package final class MaintenanceCounters: Sendable {
    /// Head ranges found due for persisting.
    package let compactionsTriggered = Atomic<Int>(0)
    /// Blocks written from the head or merged from blocks.
    package let compactions = Atomic<Int>(0)
    package let compactionsFailed = Atomic<Int>(0)
    /// Head truncations after persisting a range (they cannot fail: in-memory only).
    package let headTruncations = Atomic<Int>(0)
    package let checkpointCreations = Atomic<Int>(0)
    package let checkpointCreationsFailed = Atomic<Int>(0)
    /// Passes that re-read the block list (merges and retention), as Prometheus' `reloadBlocks`.
    package let reloads = Atomic<Int>(0)
    package let reloadsFailed = Atomic<Int>(0)
    /// Blocks deleted by retention.
    package let retentionDeletions = Atomic<Int>(0)
    /// Bytes of the persisted blocks, refreshed at open and after every pass.
    package let blocksBytes = Atomic<Int64>(0)

    init() {}

    /// Runs `body`, counting a success in `done` or a failure in `failed` (and rethrowing).
    func count<R>(_ done: borrowing Atomic<Int>, failing failed: borrowing Atomic<Int>, _ body: () throws -> R) throws -> R {
        do {
            let result = try body()
            done.add(1, ordering: .relaxed)
            return result
        } catch {
            failed.add(1, ordering: .relaxed)
            throw error
        }
    }
}
