import Foundation
import NIOCore
import PharosCore
import PromQL

/// The handlers of the Prometheus query API, independent of HTTP: each takes the request's
/// form parameters and returns a JSON body or throws `APIError` (which renders itself).
///
/// Thread-safe value; the engine, storage and selector parser are optional so the server can
/// start before they exist: a missing one answers `unavailable` (503).
package struct PrometheusAPI: Sendable {
    package var engine: (any PromQLQuerying)?
    package var storage: (any Queryable)?
    package var parseSelector: SelectorParser?
    /// Upper bound for every query; the `timeout` parameter can only lower it (Prometheus'
    /// `--query.timeout`, 2m).
    package var queryTimeout: Duration
    /// The current time in ms, the default for `time`.
    package var now: @Sendable () -> Timestamp
    /// Build, runtime, flags and config facts for `/api/v1/status/*`.
    package var status: StatusInfo
    /// Scraped metric metadata for `/api/v1/metadata` and `/api/v1/targets/metadata`; nil
    /// answers as a server without targets (empty results).
    package var metadata: (any MetadataProviding)?
    /// Head statistics for `/api/v1/status/tsdb`; nil answers `unavailable`.
    package var tsdbStatusProvider: (any TSDBStatusProviding)?
    /// The admin endpoints' storage side; nil while `--web.enable-admin-api` is off (they then
    /// answer as Prometheus does: `admin APIs disabled`).
    package var admin: (any TSDBAdministering)?
    /// WAL replay progress for `/api/v1/status/walreplay`; nil answers zeros.
    package var walReplay: (any WALReplayStatusProviding)?
    /// Exemplars for `/api/v1/query_exemplars`, with `extractSelectors` to read the query's
    /// selectors; either nil answers `unavailable`.
    package var exemplarStorage: (any ExemplarQueryable)?
    package var extractSelectors: SelectorExtractor?

    package init(engine: (any PromQLQuerying)? = nil, storage: (any Queryable)? = nil,
                 parseSelector: SelectorParser? = nil, queryTimeout: Duration = .seconds(120),
                 now: @escaping @Sendable () -> Timestamp = PrometheusAPI.systemNow,
                 status: StatusInfo = StatusInfo(), metadata: (any MetadataProviding)? = nil,
                 tsdbStatusProvider: (any TSDBStatusProviding)? = nil, admin: (any TSDBAdministering)? = nil,
                 walReplay: (any WALReplayStatusProviding)? = nil,
                 exemplarStorage: (any ExemplarQueryable)? = nil, extractSelectors: SelectorExtractor? = nil) {
        self.admin = admin
        self.walReplay = walReplay
        self.exemplarStorage = exemplarStorage
        self.extractSelectors = extractSelectors
        self.metadata = metadata
        self.tsdbStatusProvider = tsdbStatusProvider
        self.engine = engine
        self.storage = storage
        self.parseSelector = parseSelector
        self.queryTimeout = queryTimeout
        self.now = now
        self.status = status
    }

    /// Wall-clock now in ms.
    package static let systemNow: @Sendable () -> Timestamp = { wallClockMilliseconds() }

    /// Prometheus' cap on points per series of a range query.
    package static let maxPointsPerSeries: Int64 = 11_000

    // MARK: Queries

    /// `/api/v1/query`: `query`, `time` (default now), `timeout`.
    package func query(_ form: FormParameters) async throws(APIError) -> ByteBuffer {
        let time = try APIParameters.timeParameter(form, "time", default: now())
        let timeout = try timeoutParameter(form)
        let (engine, storage) = try engineAndStorage()
        let text = form["query"] ?? ""
        do {
            let result = try await withTimeout(timeout) { () async throws(QueryError) -> QueryResult in
                try await engine.instantQuery(text, at: time, on: storage)
            }
            return APIResponse.query(result)
        } catch where error.kind == .badData {
            throw APIError.invalidParameter("query", error.message)
        } catch {
            throw APIError(error)
        }
    }

    /// `/api/v1/query_range`: `query`, `start`, `end`, `step`, `timeout`.
    package func queryRange(_ form: FormParameters) async throws(APIError) -> ByteBuffer {
        let start: Timestamp
        let end: Timestamp
        do { start = try APIParameters.parseTime(form["start"] ?? "") } catch {
            throw APIError.invalidParameter("start", error.message)
        }
        do { end = try APIParameters.parseTime(form["end"] ?? "") } catch {
            throw APIError.invalidParameter("end", error.message)
        }
        guard end >= start else {
            throw APIError.invalidParameter("end", "end timestamp must not be before start time")
        }
        let stepNanoseconds: Int64
        do { stepNanoseconds = try APIParameters.parseDuration(form["step"] ?? "") } catch {
            throw APIError.invalidParameter("step", error.message)
        }
        guard stepNanoseconds > 0 else {
            throw APIError.invalidParameter("step", "zero or negative query resolution step widths are not accepted. Try a positive integer")
        }
        // Go divides durations in ns; a span of ms fits ns unless the range is ~292 years.
        let (spanNanoseconds, overflow) = (end &- start).multipliedReportingOverflow(by: 1_000_000)
        if overflow || spanNanoseconds / stepNanoseconds > Self.maxPointsPerSeries {
            throw APIError(.badData, "exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)")
        }
        let timeout = try timeoutParameter(form)
        let (engine, storage) = try engineAndStorage()
        let text = form["query"] ?? ""
        let step = max(stepNanoseconds / 1_000_000, 1)
        do {
            let result = try await withTimeout(timeout) { () async throws(QueryError) -> QueryResult in
                try await engine.rangeQuery(text, start: start, end: end, step: step, on: storage)
            }
            return APIResponse.query(result)
        } catch {
            throw APIError(error)
        }
    }

    private func timeoutParameter(_ form: FormParameters) throws(APIError) -> Duration {
        guard let text = form["timeout"], !text.isEmpty else { return queryTimeout }
        let nanoseconds: Int64
        do { nanoseconds = try APIParameters.parseDuration(text) } catch {
            throw APIError.invalidParameter("timeout", error.message)
        }
        return min(.nanoseconds(nanoseconds), queryTimeout)
    }

    private func engineAndStorage() throws(APIError) -> (any PromQLQuerying, any Queryable) {
        guard let engine else { throw APIError(.unavailable, "query engine is not available", location: "api") }
        guard let storage else { throw APIError(.unavailable, "storage is not available", location: "api") }
        return (engine, storage)
    }

    /// Runs `body`, throwing `QueryError.timeout` once `timeout` elapses (the body is cancelled
    /// and awaited: an engine that ignores cancellation delays the answer).
    private func withTimeout(_ timeout: Duration,
                             _ body: @escaping @Sendable () async throws(QueryError) -> QueryResult) async throws(QueryError) -> QueryResult {
        guard timeout > .zero else { throw QueryError(.timeout, "query timed out in query execution") }
        let outcome: Result<QueryResult, QueryError> = await withTaskGroup(of: Result<QueryResult, QueryError>?.self) { group in
            group.addTask {
                do throws(QueryError) { return .success(try await body()) } catch { return .failure(error) }
            }
            group.addTask {
                do { try await Task.sleep(for: timeout) } catch { return nil }
                return .failure(QueryError(.timeout, "query timed out in query execution"))
            }
            var outcome: Result<QueryResult, QueryError> = .failure(QueryError(.canceled, "query was canceled in query execution"))
            while let next = await group.next() {
                if let next {
                    outcome = next
                    break
                }
            }
            group.cancelAll()
            return outcome
        }
        return try outcome.get()
    }
}

/// Wall-clock now in ms.
package func wallClockMilliseconds() -> Timestamp {
    Timestamp((Date().timeIntervalSince1970 * 1000).rounded(.down))
}
