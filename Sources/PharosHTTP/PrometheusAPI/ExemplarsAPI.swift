import NIOCore
import PharosCore

/// Parses a PromQL expression and returns the matchers of its vector and range selectors
/// (Prometheus' `parser.ExtractSelectors`); throws the parse error, whose description is the
/// message `/api/v1/query_exemplars` answers with. Supplied by the server from PromQLParser.
package typealias SelectorExtractor = @Sendable (String) throws -> [[LabelMatcher]]

extension PrometheusAPI {
    /// `/api/v1/query_exemplars`: `query` (PromQL), `start` and `end` (default: all time).
    ///
    /// As Prometheus: the exemplars of the series the query's selectors match (each selector
    /// on its own, results merged), answered as
    /// `[{"seriesLabels":{…},"exemplars":[{"labels":{…},"value":"…","timestamp":<seconds>}]}]`
    /// sorted by series labels. Returns nil for a query without selectors (`1 + 1`), which
    /// Prometheus answers with `204 No Content` and no body. Bad times, `end` before `start`
    /// and unparsable queries are `bad_data`; missing exemplar storage is `unavailable`.
    package func queryExemplars(_ form: FormParameters) async throws(APIError) -> ByteBuffer? {
        let start = try APIParameters.timeParameter(form, "start", default: APIParameters.minTime)
        let end = try APIParameters.timeParameter(form, "end", default: APIParameters.maxTime)
        guard end >= start else { throw APIError(.badData, "end timestamp must not be before start timestamp", location: "query_exemplars") }
        guard let extractSelectors, let exemplarStorage else {
            throw APIError(.unavailable, "exemplar storage is not available", location: "query_exemplars")
        }
        let selectors: [[LabelMatcher]]
        do { selectors = try extractSelectors(form["query"] ?? "") } catch {
            throw APIError(.badData, String(describing: error), location: "parameter \"query\"")
        }
        guard !selectors.isEmpty else { return nil }
        let results: [ExemplarQueryResult]
        do { results = try await exemplarStorage.exemplars(from: start, through: end, matching: selectors) } catch {
            throw APIError(.unavailable, String(describing: error), location: "query_exemplars")
        }
        return APIResponse.exemplars(results)
    }
}

extension APIResponse {
    /// The `query_exemplars` body for `results`.
    package static func exemplars(_ results: [ExemplarQueryResult]) -> ByteBuffer {
        success { json in
            json.raw("[")
            for (index, result) in results.enumerated() {
                if index > 0 { json.raw(",") }
                json.raw("{\"seriesLabels\":")
                json.labels(result.seriesLabels)
                json.raw(",\"exemplars\":[")
                for (position, exemplar) in result.exemplars.enumerated() {
                    if position > 0 { json.raw(",") }
                    json.raw("{\"labels\":")
                    json.labels(exemplar.labels)
                    json.raw(",\"value\":")
                    json.value(exemplar.value)
                    json.raw(",\"timestamp\":")
                    json.timestamp(exemplar.timestamp)
                    json.raw("}")
                }
                json.raw("]}")
            }
            json.raw("]")
        }
    }
}
