import PharosCore

/// A sample as the head hands it to its write-ahead log.
package struct LoggedSample: Hashable, Sendable {
    package var ref: SeriesRef
    package var timestamp: Timestamp
    package var value: Double

    package init(ref: SeriesRef, timestamp: Timestamp, value: Double) {
        self.ref = ref
        self.timestamp = timestamp
        self.value = value
    }
}

/// An exemplar as the head hands it to its write-ahead log.
package struct LoggedExemplar: Hashable, Sendable {
    package var ref: SeriesRef
    package var exemplar: Exemplar

    package init(ref: SeriesRef, exemplar: Exemplar) {
        self.ref = ref
        self.exemplar = exemplar
    }
}

/// Where the head makes a commit durable before applying it to memory.
///
/// Called with commits serialized (one at a time, in the order they become visible). `series`
/// are series first referenced by this commit, to be written before `samples`, then
/// `exemplars` (either list may be empty). Returning means the records are written (and synced
/// per the log's policy); throwing means the commit is abandoned and nothing is applied.
package protocol HeadLog: Sendable {
    func logCommit(series: [(ref: SeriesRef, labels: Labels)], samples: [LoggedSample], exemplars: [LoggedExemplar]) throws

    /// Makes a delete durable before it takes effect: `stones` are head series refs with the
    /// closed intervals deleted from them. Called with commits held off.
    func logTombstones(_ stones: [(ref: UInt64, interval: TimeInterval)]) throws
}
