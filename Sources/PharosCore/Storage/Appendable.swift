/// A reference to a series inside one storage, returned by `Appender.append` for reuse.
///
/// `0` means unknown: the storage looks the series up by labels. A ref is only valid for the
/// storage that returned it and may be invalidated by head GC; storages then fall back to labels.
package struct SeriesRef: Hashable, Sendable {
    package var raw: UInt64
    package init(_ raw: UInt64) { self.raw = raw }
    package static let unknown = SeriesRef(0)
    package var isUnknown: Bool { raw == 0 }
}

/// Type, help and unit of a metric family, as exposition and remote-write carry them.
package struct MetricMetadata: Hashable, Sendable {
    package var type: MetricType
    package var help: String
    package var unit: String

    package init(type: MetricType = .unknown, help: String = "", unit: String = "") {
        self.type = type
        self.help = help
        self.unit = unit
    }
}

package enum MetricType: String, Sendable, Hashable, CaseIterable {
    case counter, gauge, histogram, gaugehistogram, summary, info, stateset, unknown
}

/// Per-append options; grows by adding fields, never new methods.
package struct AppendOptions: Sendable {
    package var metadata: MetricMetadata?
    package var startTimestamp: Timestamp?
    package var rejectOutOfOrder: Bool

    package init(metadata: MetricMetadata? = nil, startTimestamp: Timestamp? = nil, rejectOutOfOrder: Bool = false) {
        self.metadata = metadata
        self.startTimestamp = startTimestamp
        self.rejectOutOfOrder = rejectOutOfOrder
    }

    package static let none = AppendOptions()
}

/// Why a storage refused one sample. The caller counts and summarises; it never logs per sample.
package struct AppendError: Error, Sendable, Hashable, CustomStringConvertible {
    package enum Kind: String, Sendable, Hashable {
        /// Older than the newest sample of its series (and outside any out-of-order window).
        case outOfOrder = "out of order sample"
        /// Same timestamp as the newest sample with a different value.
        case duplicateTimestamp = "duplicate sample for timestamp"
        /// Older than what the head accepts (before the compacted range).
        case outOfBounds = "out of bounds"
        /// Too old for the configured window.
        case tooOld = "too old sample"
        /// Empty set, empty or invalid names, duplicate names.
        case invalidLabels = "invalid labels"
        /// The storage is closed or not ready.
        case unavailable = "storage unavailable"
        /// An exemplar not newer than the newest stored exemplar of its series.
        case outOfOrderExemplar = "out of order exemplar"
        /// An exemplar whose label names and values exceed `Exemplar.maxLabelSetLength` code points.
        case exemplarLabelsTooLong = "label length for exemplar exceeds maximum of 128 UTF-8 characters"
        /// An exemplar for a series the storage does not have (it holds no sample of it).
        case unknownSeries = "not found"
    }

    package var kind: Kind
    package var detail: String

    package init(_ kind: Kind, _ detail: String = "") {
        self.kind = kind
        self.detail = detail
    }

    package var description: String { detail.isEmpty ? kind.rawValue : "\(kind.rawValue): \(detail)" }
}

/// A factory of append transactions. Thread-safe.
package protocol Appendable: Sendable {
    /// A fresh transaction. Cheap; one per scrape, push request or rule-group evaluation.
    func makeAppender() -> any Appender
}

/// Batches samples for one task. Not Sendable: one task uses it, then ends it with exactly one
/// `commit()` or `rollback()`; using it afterwards is a programmer error.
///
/// Samples appended are invisible to queriers until commit. `append` validates eagerly and
/// throws `AppendError` for the one sample it refused; the others are unaffected.
package protocol Appender: AnyObject {
    /// Stages one sample. `ref` may be `.unknown`; the returned ref may be passed next time for
    /// the same labels to skip the lookup. `labels` are used when `ref` is unknown or stale.
    func append(_ ref: SeriesRef, _ labels: Labels, at timestamp: Timestamp, value: Double,
                options: AppendOptions) throws(AppendError) -> SeriesRef

    /// Stages one exemplar for a series of this storage (Prometheus' `AppendExemplar`).
    ///
    /// The series must exist, usually because a sample of it was appended before, in this
    /// transaction or an earlier one; `ref` (may be `.unknown`) and `labels` find it as for
    /// `append`. Throws `.unknownSeries` when there is none, `.outOfOrderExemplar` when the
    /// exemplar is not newer than its series' newest stored one, `.exemplarLabelsTooLong` past
    /// the OpenMetrics limit; an exact duplicate of the newest one, or any exemplar while the
    /// storage keeps none, is ignored without error. The exemplar becomes durable and visible
    /// with `commit()`, like samples. Returns the series' ref.
    ///
    /// The default implementation ignores the exemplar and returns `ref`, so appenders of
    /// storages without exemplars need not implement it.
    func appendExemplar(_ ref: SeriesRef, _ labels: Labels, _ exemplar: Exemplar) throws(AppendError) -> SeriesRef

    /// Makes the batch visible. Durable when it returns: the samples are in the WAL.
    func commit() async throws

    /// Discards the batch.
    func rollback()
}

extension Appender {
    /// Ignores the exemplar (see the requirement's contract).
    package func appendExemplar(_ ref: SeriesRef, _ labels: Labels, _ exemplar: Exemplar) throws(AppendError) -> SeriesRef {
        ref
    }

    @discardableResult
    package func append(_ labels: Labels, at timestamp: Timestamp, value: Double) throws(AppendError) -> SeriesRef {
        try append(.unknown, labels, at: timestamp, value: value, options: .none)
    }
}
