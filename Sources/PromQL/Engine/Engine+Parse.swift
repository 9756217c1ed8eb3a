import PharosCore
import PromQLParser

extension Engine {
    /// Parses and evaluates `query` at `time`. Parse errors are `.badData` with the parser's message.
    package func instantQuery(_ query: String, at time: Timestamp, on storage: any Queryable) async throws(QueryError) -> QueryResult {
        try await instantQuery(try Self.parse(query), source: query, at: time, on: storage)
    }

    /// Parses and evaluates `query` at every `step` from `start` through `end`.
    package func rangeQuery(_ query: String, start: Timestamp, end: Timestamp, step: Int64,
                            on storage: any Queryable) async throws(QueryError) -> QueryResult {
        try await rangeQuery(try Self.parse(query), source: query, start: start, end: end, step: step, on: storage)
    }

    /// `query` parsed; a parse error is `.badData` with the parser's positioned message.
    package static func parse(_ query: String) throws(QueryError) -> Expr {
        do {
            return try parseExpr(query)
        } catch {
            throw QueryError(.badData, error.description)
        }
    }
}
