import Logging
import PharosCore

/// What opening the database read back from the WAL.
package struct TSDBReplayReport: Sendable {
    package var records = 0
    /// Distinct series recreated under their logged refs.
    package var series = 0
    package var samples = 0
    /// Samples whose series record was never seen (dropped).
    package var unknownSeriesSamples = 0
    /// Samples the head refused (out of order or duplicate timestamps in the log).
    package var rejectedSamples = 0
    /// Samples older than the newest block's end: already persisted, not re-added.
    package var persistedSamples = 0
    /// Deleted intervals re-applied to head series (tombstone records).
    package var tombstones = 0
    /// Series records whose labels were already known under another ref (mapped onto it).
    package var duplicateSeries = 0
    /// Exemplars put back into the exemplar store.
    package var exemplars = 0
    /// Exemplars dropped: unknown series, already persisted range, refused by the store, or
    /// exemplar storage disabled.
    package var droppedExemplars = 0
    /// The WAL's own report: segments read, torn tail repaired.
    package var wal: WALReplayReport?
}

extension TSDB {
    /// Replays the WAL into an empty head: series records recreate series under their logged
    /// refs, samples are re-applied in log order without being logged again. Samples before
    /// the head's `minValidTime` (the end of the persisted blocks) are skipped. Exemplar records
    /// refill the exemplar store as Prometheus' head does (same rules as at commit).
    /// `progress` follows it segment by segment; each segment read is logged at info.
    static func replay(_ wal: WAL, into head: Head, progress: WALReplayProgress? = nil, logger: Logger) throws -> TSDBReplayReport {
        var report = TSDBReplayReport()
        // Maps logged refs to series; differs from identity only for duplicate series records.
        var byRef: [UInt64: MemSeries] = [:]
        let persistedEnd = head.minValidTime
        // The segment writes go on in after the replay: Prometheus counts it as the last one.
        let next = wal.nextSegment
        let walReport = try wal.replay(events: { event in
            switch event {
            case .started(_, let first, _):
                progress?.start(first: first ?? next, last: next)
            case .checkpointLoaded(let index):
                logger.info("WAL checkpoint loaded", metadata: ["tsdb.wal.checkpoint": "\(index)"])
            case .segmentLoaded(let segment, _):
                logger.info("WAL segment loaded", metadata: ["tsdb.wal.segment": "\(segment)", "tsdb.wal.max_segment": "\(next)"])
                progress?.loaded(segment)
            }
        }) { record in
            report.records += 1
            switch record {
            case .series(let list):
                for entry in list {
                    let series = head.replaySeries(ref: SeriesRef(entry.ref), labels: entry.labels)
                    head.noteReplayed(ref: entry.ref) // never hand out a ref the log already used
                    if series.ref.raw != entry.ref {
                        report.duplicateSeries += 1
                    } else if byRef[entry.ref] == nil {
                        report.series += 1
                    }
                    byRef[entry.ref] = series
                }
            case .samples(let list):
                for sample in list {
                    guard let series = byRef[sample.ref] else {
                        report.unknownSeriesSamples += 1
                        continue
                    }
                    if sample.timestamp < persistedEnd {
                        report.persistedSamples += 1
                        continue
                    }
                    switch head.apply(series, sample.timestamp, sample.value) {
                    case .appended: report.samples += 1
                    case .ignoredDuplicate: break
                    case .rejected: report.rejectedSamples += 1
                    }
                }
            case .tombstones(let list):
                // Older intervals are in blocks already (with their own tombstones).
                for stone in list where stone.interval.maxt >= persistedEnd {
                    guard let series = byRef[stone.ref] else { continue }
                    head.tombstones.add(series.ref.raw, stone.interval)
                    report.tombstones += 1
                }
            case .exemplars(let list):
                for logged in list {
                    guard let series = byRef[logged.ref], logged.timestamp >= persistedEnd else {
                        report.droppedExemplars += 1
                        continue
                    }
                    let exemplar = Exemplar(labels: logged.labels, value: logged.value, timestamp: logged.timestamp,
                                            hasTimestamp: false)
                    if (try? head.exemplars.add(series.labels, exemplar)) == .stored {
                        report.exemplars += 1
                    } else {
                        report.droppedExemplars += 1
                    }
                }
            }
        }
        report.wal = walReport
        progress?.loaded(next)
        if let repair = walReport.repair {
            logger.warning("WAL tail repaired during replay", metadata: [
                "tsdb.wal.error": "\(repair)",
                "tsdb.wal.truncated_to": "\(walReport.truncatedTo.map(String.init) ?? "?")",
            ])
        }
        if report.unknownSeriesSamples > 0 || report.rejectedSamples > 0 {
            logger.warning("WAL replay dropped samples", metadata: [
                "tsdb.wal.unknown_series_samples": "\(report.unknownSeriesSamples)",
                "tsdb.wal.rejected_samples": "\(report.rejectedSamples)",
            ])
        }
        logger.info("WAL replay finished", metadata: [
            "tsdb.wal.records": "\(report.records)", "tsdb.head.series": "\(report.series)",
            "tsdb.head.samples": "\(report.samples)", "tsdb.head.exemplars": "\(report.exemplars)",
        ])
        return report
    }
}
