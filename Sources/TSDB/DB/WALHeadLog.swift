import PharosCore

/// Makes head commits durable in the WAL: one series record for the commit's new series
/// (Prometheus' record type 1), then one samples record (type 2), then one exemplars record
/// (type 4), written together; deletes as one tombstones record (type 3).
struct WALHeadLog: HeadLog {
    let wal: WAL
    let syncOnCommit: Bool

    func logCommit(series: [(ref: SeriesRef, labels: Labels)], samples: [LoggedSample], exemplars: [LoggedExemplar]) throws {
        var records: [WALRecord] = []
        if !series.isEmpty {
            records.append(.series(series.map { RecordSeries(ref: $0.ref.raw, labels: $0.labels) }))
        }
        if !samples.isEmpty {
            records.append(.samples(samples.map { RecordSample(ref: $0.ref.raw, timestamp: $0.timestamp, value: $0.value) }))
        }
        if !exemplars.isEmpty {
            records.append(.exemplars(exemplars.map {
                RecordExemplar(ref: $0.ref.raw, timestamp: $0.exemplar.timestamp, value: $0.exemplar.value, labels: $0.exemplar.labels)
            }))
        }
        guard !records.isEmpty else { return }
        try wal.log(records)
        if syncOnCommit { try wal.sync() }
    }

    func logTombstones(_ stones: [(ref: UInt64, interval: TimeInterval)]) throws {
        guard !stones.isEmpty else { return }
        try wal.log([.tombstones(stones.map { RecordTombstone(ref: $0.ref, interval: $0.interval) })])
        if syncOnCommit { try wal.sync() }
    }
}
