import Prometheus
import Synchronization
import TSDB

/// The TSDB's statistics under Prometheus' own metric names, so Prometheus self-monitoring
/// dashboards and alerts work on Pharos. Refreshed from the database on every `/metrics` render.
package final class TSDBMetrics: Sendable {
    private let storage: OpenedStorage
    private let headSeries, headChunks, headMinTime, headMaxTime, blocksLoaded, walSegmentCurrent: Prometheus.Gauge
    private let retentionLimitBytes, storageBlocksBytes: Prometheus.Gauge
    private let exemplarsInStorage, seriesWithExemplars, lastExemplarsTimestamp, maxExemplars: Prometheus.Gauge
    private let totals: [(counter: Prometheus.Counter, read: @Sendable (TSDB) -> Int)]
    private let lastTotals: Mutex<[Int]>

    package init(registry: PrometheusCollectorRegistry, storage: OpenedStorage) {
        self.storage = storage
        func gauge(_ name: String, _ help: String) -> Prometheus.Gauge {
            registry.makeGauge(descriptor: MetricNameDescriptor(metricName: name, unitName: "", helpText: help))
        }
        func counter(_ name: String, _ help: String, _ labels: [(String, String)] = []) -> Prometheus.Counter {
            registry.makeCounter(descriptor: MetricNameDescriptor(metricName: name, unitName: "", helpText: help), labels: labels)
        }
        headSeries = gauge("prometheus_tsdb_head_series", "Total number of series in the head block.")
        headChunks = gauge("prometheus_tsdb_head_chunks", "Total number of chunks in the head block.")
        headMinTime = gauge("prometheus_tsdb_head_min_time", "Minimum time bound of the head block.")
        headMaxTime = gauge("prometheus_tsdb_head_max_time", "Maximum timestamp of the head block.")
        blocksLoaded = gauge("prometheus_tsdb_blocks_loaded", "Number of currently loaded data blocks")
        walSegmentCurrent = gauge("prometheus_tsdb_wal_segment_current", "Write log segment index that TSDB is currently writing to.")
        retentionLimitBytes = gauge("prometheus_tsdb_retention_limit_bytes", "Max number of bytes to be retained in the tsdb blocks, configured 0 means disabled")
        storageBlocksBytes = gauge("prometheus_tsdb_storage_blocks_bytes", "The number of bytes that are currently used for local storage by all blocks.")
        exemplarsInStorage = gauge("prometheus_tsdb_exemplar_exemplars_in_storage", "Number of exemplars currently in circular storage.")
        seriesWithExemplars = gauge("prometheus_tsdb_exemplar_series_with_exemplars_in_storage",
                                    "Number of series with exemplars currently in circular storage.")
        lastExemplarsTimestamp = gauge("prometheus_tsdb_exemplar_last_exemplars_timestamp_seconds",
                                       "The timestamp of the oldest exemplar stored in circular storage. Useful to check for what time range the current exemplar buffer limit allows. This usually means the last timestamp for all exemplars for a typical setup. This is not true though if one of the series timestamp is in future compared to rest series.")
        maxExemplars = gauge("prometheus_tsdb_exemplar_max_exemplars", "Total number of exemplars the exemplar storage can store, resizeable.")
        let float = [("type", "float")]
        let totals: [(counter: Prometheus.Counter, read: @Sendable (TSDB) -> Int)] = [
            (counter("prometheus_tsdb_head_samples_appended_total", "Total number of appended samples.", float),
             { $0.head.counters.samplesAppended.load(ordering: .relaxed) }),
            (counter("prometheus_tsdb_head_series_created_total", "Total number of series created in the head"),
             { $0.head.counters.seriesCreated.load(ordering: .relaxed) }),
            (counter("prometheus_tsdb_head_series_removed_total", "Total number of series removed in the head"),
             { $0.head.counters.seriesRemoved.load(ordering: .relaxed) }),
            (counter("prometheus_tsdb_head_chunks_created_total", "Total number of chunks created in the head"),
             { $0.head.counters.chunksCreated.load(ordering: .relaxed) }),
            (counter("prometheus_tsdb_head_chunks_removed_total", "Total number of chunks removed in the head"),
             { $0.head.counters.chunksRemoved.load(ordering: .relaxed) }),
            (counter("prometheus_tsdb_out_of_order_samples_total", "Total number of out of order samples ingestion failed attempts due to out of order being disabled.", float),
             { $0.head.counters.outOfOrder.load(ordering: .relaxed) + $0.head.counters.duplicateTimestamp.load(ordering: .relaxed) }),
            (counter("prometheus_tsdb_out_of_bound_samples_total", "Total number of out of bound samples ingestion failed attempts with out of order support disabled.", float),
             { $0.head.counters.outOfBounds.load(ordering: .relaxed) }),
            (counter("prometheus_tsdb_too_old_samples_total", "Total number of out of order samples ingestion failed attempts with out of support enabled, but sample outside of time window.", float),
             { $0.head.counters.tooOld.load(ordering: .relaxed) }),
            (counter("prometheus_tsdb_wal_corruptions_total", "Total number of WAL corruptions."),
             { $0.replayReport.wal?.repair == nil ? 0 : 1 }),
            (counter("prometheus_tsdb_compactions_triggered_total", "Total number of triggered compactions for the partition."),
             { $0.counters.compactionsTriggered.load(ordering: .relaxed) }),
            (counter("prometheus_tsdb_compactions_total", "Total number of compactions that were executed for the partition."),
             { $0.counters.compactions.load(ordering: .relaxed) }),
            (counter("prometheus_tsdb_compactions_failed_total", "Total number of compactions that failed for the partition."),
             { $0.counters.compactionsFailed.load(ordering: .relaxed) }),
            (counter("prometheus_tsdb_head_truncations_total", "Total number of head truncations attempted."),
             { $0.counters.headTruncations.load(ordering: .relaxed) }),
            (counter("prometheus_tsdb_checkpoint_creations_total", "Total number of checkpoint creations attempted."),
             { $0.counters.checkpointCreations.load(ordering: .relaxed) + $0.counters.checkpointCreationsFailed.load(ordering: .relaxed) }),
            (counter("prometheus_tsdb_checkpoint_creations_failed_total", "Total number of checkpoint creations that failed."),
             { $0.counters.checkpointCreationsFailed.load(ordering: .relaxed) }),
            (counter("prometheus_tsdb_reloads_total", "Number of times the database reloaded block data from disk."),
             { $0.counters.reloads.load(ordering: .relaxed) + $0.counters.reloadsFailed.load(ordering: .relaxed) }),
            (counter("prometheus_tsdb_reloads_failures_total", "Number of times the database failed to reloadBlocks block data from disk."),
             { $0.counters.reloadsFailed.load(ordering: .relaxed) }),
            (counter("prometheus_tsdb_exemplar_exemplars_appended_total", "Total number of appended exemplars."),
             { $0.head.exemplars.stats.appended }),
            (counter("prometheus_tsdb_exemplar_out_of_order_exemplars_total", "Total number of out of order exemplar ingestion failed attempts."),
             { $0.head.exemplars.stats.outOfOrder }),
            (counter("pharos_tsdb_retention_deleted_blocks_total", "Blocks deleted because they were beyond the retention time or size."),
             { $0.counters.retentionDeletions.load(ordering: .relaxed) }),
        ]
        self.totals = totals
        lastTotals = Mutex(Array(repeating: 0, count: totals.count))
    }

    /// Copies the database's current statistics into the registry; no-op before the WAL replay.
    package func refresh() {
        guard let tsdb = storage.tsdb else { return }
        let stats = tsdb.stats
        headSeries.set(to: Double(stats.head.numSeries))
        headChunks.set(to: Double(stats.head.chunks))
        headMinTime.set(to: Double(stats.head.minTime ?? 0))
        headMaxTime.set(to: Double(stats.head.maxTime ?? 0))
        blocksLoaded.set(to: Double(stats.blocks.count))
        walSegmentCurrent.set(to: Double(stats.walSegments.last ?? 0))
        retentionLimitBytes.set(to: Double(tsdb.options.retentionSize ?? 0))
        storageBlocksBytes.set(to: Double(tsdb.counters.blocksBytes.load(ordering: .relaxed)))
        let exemplars = tsdb.head.exemplars.stats
        exemplarsInStorage.set(to: Double(exemplars.stored))
        seriesWithExemplars.set(to: Double(exemplars.series))
        lastExemplarsTimestamp.set(to: Double(exemplars.oldestTimestamp ?? 0) / 1000)
        maxExemplars.set(to: Double(exemplars.capacity))
        let values = totals.map { $0.read(tsdb) }
        let deltas = lastTotals.withLock { last -> [Int] in
            defer { last = zip(last, values).map { Swift.max($0, $1) } }
            return zip(last, values).map { Swift.max($1 - $0, 0) }
        }
        for (index, delta) in deltas.enumerated() where delta > 0 {
            totals[index].counter.increment(by: Double(delta))
        }
    }
}
