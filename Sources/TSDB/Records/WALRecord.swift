import PharosCore

/// One series announcement: the head's reference for the series and its labels.
package struct RecordSeries: Hashable, Sendable {
    package var ref: UInt64
    package var labels: Labels

    package init(ref: UInt64, labels: Labels) {
        self.ref = ref
        self.labels = labels
    }
}

/// One float sample of a series announced earlier by a series record.
///
/// Equality compares the value's bit pattern, so NaNs (and the staleness marker) round-trip
/// and compare equal to themselves.
package struct RecordSample: Hashable, Sendable {
    package var ref: UInt64
    package var timestamp: Int64
    package var value: Double

    package init(ref: UInt64, timestamp: Int64, value: Double) {
        self.ref = ref
        self.timestamp = timestamp
        self.value = value
    }

    package static func == (lhs: RecordSample, rhs: RecordSample) -> Bool {
        lhs.ref == rhs.ref && lhs.timestamp == rhs.timestamp && lhs.value.bitPattern == rhs.value.bitPattern
    }

    package func hash(into hasher: inout Hasher) {
        hasher.combine(ref)
        hasher.combine(timestamp)
        hasher.combine(value.bitPattern)
    }
}

/// One deleted interval of a series announced earlier (Docs/formats/tombstones.md).
package struct RecordTombstone: Hashable, Sendable {
    package var ref: UInt64
    /// Closed: both ends are deleted.
    package var interval: TimeInterval

    package init(ref: UInt64, interval: TimeInterval) {
        self.ref = ref
        self.interval = interval
    }
}

/// One exemplar of a series announced earlier by a series record (Prometheus'
/// `record.RefExemplar`). The record does not say whether the exemplar carried its own
/// timestamp. Equality compares the value's bit pattern.
package struct RecordExemplar: Hashable, Sendable {
    package var ref: UInt64
    package var timestamp: Int64
    package var value: Double
    package var labels: Labels

    package init(ref: UInt64, timestamp: Int64, value: Double, labels: Labels) {
        self.ref = ref
        self.timestamp = timestamp
        self.value = value
        self.labels = labels
    }

    package static func == (lhs: RecordExemplar, rhs: RecordExemplar) -> Bool {
        lhs.ref == rhs.ref && lhs.timestamp == rhs.timestamp && lhs.value.bitPattern == rhs.value.bitPattern
            && lhs.labels == rhs.labels
    }

    package func hash(into hasher: inout Hasher) {
        hasher.combine(ref)
        hasher.combine(timestamp)
        hasher.combine(value.bitPattern)
        hasher.combine(labels)
    }
}

/// A WAL record, encoded as in Prometheus' `tsdb/record` (see Docs/formats/wal.md).
package enum WALRecord: Hashable, Sendable {
    case series([RecordSeries])
    case samples([RecordSample])
    case tombstones([RecordTombstone])
    case exemplars([RecordExemplar])

    /// The record type byte Prometheus uses.
    package enum TypeByte {
        package static let series: UInt8 = 1
        package static let samples: UInt8 = 2
        package static let tombstones: UInt8 = 3
        package static let exemplars: UInt8 = 4
        /// Types Prometheus writes that Pharos skips on replay: mmap markers (5), metadata (6)
        /// and the histogram types (7–10).
        package static func isKnownUnsupported(_ type: UInt8) -> Bool { (5...10).contains(type) }
    }
}
