/// The appender of a storage that cannot take writes now (closed, still replaying its WAL,
/// read-only): every append and exemplar is refused with `.unavailable` and `reason`.
/// Nothing is ever staged, so `commit` and `rollback` have nothing to do.
package final class RefusingAppender: Appender {
    package let reason: String

    package init(reason: String) { self.reason = reason }

    package func append(_ ref: SeriesRef, _ labels: Labels, at timestamp: Timestamp, value: Double,
                        options: AppendOptions) throws(AppendError) -> SeriesRef {
        throw AppendError(.unavailable, reason)
    }

    package func appendExemplar(_ ref: SeriesRef, _ labels: Labels, _ exemplar: Exemplar) throws(AppendError) -> SeriesRef {
        throw AppendError(.unavailable, reason)
    }

    package func commit() async throws {}
    package func rollback() {}
}
