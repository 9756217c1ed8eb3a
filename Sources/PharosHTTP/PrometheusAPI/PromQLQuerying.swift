import PharosCore
import PromQL

/// What the query endpoints need from a PromQL engine; the server adapts `PromQL.Engine`.
///
/// Both methods parse and evaluate. Parse errors are `QueryError.badData`, evaluation errors
/// `.execution`; an implementation should check `Task.isCancelled` so timeouts can end it.
package protocol PromQLQuerying: Sendable {
    /// Evaluates `query` at `time` (ms).
    func instantQuery(_ query: String, at time: Timestamp, on storage: any Queryable) async throws(QueryError) -> QueryResult
    /// Evaluates `query` at every `step` (ms, > 0) from `start` through `end` (ms).
    func rangeQuery(_ query: String, start: Timestamp, end: Timestamp, step: Int64,
                    on storage: any Queryable) async throws(QueryError) -> QueryResult
}

/// Parses one `match[]` series selector (`up{job="x"}`) into matchers; throws a
/// human-readable parse error. Supplied by the server from PromQLParser's `parseMetricSelector`.
package typealias SelectorParser = @Sendable (String) throws -> [LabelMatcher]
