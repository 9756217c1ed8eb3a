import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// Builds the router of every endpoint PharosHTTP serves.
///
/// Health: `/-/healthy`, `/-/ready`, `/health/live`, `/health/ready`, `/health/startup`,
/// `/health`. Self-metrics: `/metrics` from `metrics`, which renders the exposition text (and
/// may refresh gauges first). Prometheus API under `/api/v1`: query, query_range, series and
/// labels, query_exemplars and format_query on GET and form-encoded POST; label values, metadata, targets/metadata and
/// status/{buildinfo,runtimeinfo,flags,config,tsdb,walreplay} on GET only; the TSDB admin
/// endpoints (snapshot, delete_series, clean_tombstones) on POST and PUT. Other methods, OPTIONS and
/// unknown API paths answer as Prometheus' router does (`PharosRouter+Methods.swift`).
package struct PharosRouter: Sendable {
    package var api: PrometheusAPI
    package var health: any HealthReporting
    package var metrics: @Sendable () async -> ByteBuffer
    /// Largest form body accepted on POST.
    package var maxFormBodySize = 10 << 20

    package init(api: PrometheusAPI, health: any HealthReporting, metrics: @escaping @Sendable () async -> ByteBuffer) {
        self.api = api
        self.health = health
        self.metrics = metrics
    }

    package func build() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: LogRequestsMiddleware(.debug))
        router.add(middleware: HTTPMetricsMiddleware())
        addHealth(to: router)
        let metrics = self.metrics
        router.get("/metrics") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                     body: .init(byteBuffer: await metrics()))
        }
        addPrometheusAPI(to: router)
        return router
    }

    private func addHealth(to router: Router<BasicRequestContext>) {
        let health = self.health
        for method in [HTTPRequest.Method.get, .head] {
            router.on("/-/healthy", method: method) { _, _ in Self.text(.ok, "Pharos is Healthy.\n") }
            router.on("/-/ready", method: method) { _, _ in
                health.isReady ? Self.text(.ok, "Pharos is Ready.\n") : Self.text(.serviceUnavailable, "Service Unavailable")
            }
        }
        router.get("/health/live") { _, _ in Self.text(.ok, "OK\n") }
        router.get("/health/ready") { _, _ in
            guard health.isReady else { return Self.text(.serviceUnavailable, "Service Unavailable\n") }
            let failing = await health.readinessChecks().filter { !$0.healthy }
            guard failing.isEmpty else {
                return Self.text(.serviceUnavailable, failing.map { "\($0.name): \($0.message)\n" }.joined())
            }
            return Self.text(.ok, "OK\n")
        }
        router.get("/health/startup") { _, _ in
            health.isStarted ? Self.text(.ok, "OK\n") : Self.text(.serviceUnavailable, "Service Unavailable\n")
        }
        router.get("/health") { _, _ in
            let results = await health.runChecks()
            let status: HTTPResponse.Status = results.allSatisfy(\.healthy) ? .ok : .serviceUnavailable
            return Response(status: status, headers: [.contentType: "application/json"],
                            body: .init(byteBuffer: HealthBody.json(results)))
        }
    }

    private func addPrometheusAPI(to router: Router<BasicRequestContext>) {
        let api = self.api
        let limit = maxFormBodySize
        func both(_ path: RouterPath, _ handler: @escaping @Sendable (FormParameters, BasicRequestContext) async throws(APIError) -> ByteBuffer) {
            for method in [HTTPRequest.Method.get, .post] {
                router.on(path, method: method) { request, context in
                    var request = request
                    let form = try await Self.form(&request, limit: limit)
                    return Self.json(try await handler(form, context))
                }
            }
        }
        both("/api/v1/query") { form, _ throws(APIError) in try await api.query(form) }
        both("/api/v1/query_range") { form, _ throws(APIError) in try await api.queryRange(form) }
        both("/api/v1/series") { form, _ throws(APIError) in try await api.series(form) }
        both("/api/v1/labels") { form, _ throws(APIError) in try await api.labelNames(form) }
        both("/api/v1/format_query") { form, _ throws(APIError) in try api.formatQuery(form) }
        for method in [HTTPRequest.Method.get, .post] {
            router.on("/api/v1/query_exemplars", method: method) { request, _ in
                var request = request
                let form = try await Self.form(&request, limit: limit)
                guard let body = try await api.queryExemplars(form) else { return Response(status: .noContent) }
                return Self.json(body)
            }
        }
        router.get("/api/v1/label/:name/values") { request, context in
            var request = request
            let form = try await Self.form(&request, limit: limit)
            let name = context.parameters.get("name") ?? ""
            return Self.json(try await api.labelValues(name, form))
        }
        addAPIMethodRules(to: router)
        router.get("/api/v1/metadata") { request, _ in
            var request = request
            return Self.json(try await api.metricMetadata(try await Self.form(&request, limit: limit)))
        }
        router.get("/api/v1/targets/metadata") { request, _ in
            var request = request
            return Self.json(try await api.targetMetadata(try await Self.form(&request, limit: limit)))
        }
        router.get("/api/v1/status/tsdb") { request, _ in
            var request = request
            return Self.json(try await api.tsdbStatus(try await Self.form(&request, limit: limit)))
        }
        let status = api.status
        router.get("/api/v1/status/buildinfo") { _, _ in Self.json(status.buildInfoBody()) }
        router.get("/api/v1/status/runtimeinfo") { _, _ in Self.json(status.runtimeInfoBody()) }
        router.get("/api/v1/status/flags") { _, _ in Self.json(status.flagsBody()) }
        router.get("/api/v1/status/config") { _, _ in Self.json(status.configBody()) }
        router.get("/api/v1/status/walreplay") { _, _ in Self.json(api.walReplayStatus()) }
        addAdminAPI(to: router)
    }

    /// The TSDB admin endpoints on POST and PUT (Prometheus registers both), form parameters
    /// from the URL and a form-encoded body; delete_series and clean_tombstones answer 204.
    private func addAdminAPI(to router: Router<BasicRequestContext>) {
        let api = self.api
        let limit = maxFormBodySize
        for method in [HTTPRequest.Method.post, .put] {
            router.on("/api/v1/admin/tsdb/snapshot", method: method) { request, _ in
                var request = request
                return Self.json(try await api.snapshot(try await Self.form(&request, limit: limit)))
            }
            router.on("/api/v1/admin/tsdb/delete_series", method: method) { request, _ in
                var request = request
                try await api.deleteSeries(try await Self.form(&request, limit: limit))
                return Response(status: .noContent)
            }
            router.on("/api/v1/admin/tsdb/clean_tombstones", method: method) { _, _ in
                try await api.cleanTombstones()
                return Response(status: .noContent)
            }
        }
    }

    /// Go's `r.Form`: a form-encoded POST or PUT body's pairs first (they take precedence), then the
    /// URL query's pairs; pairs with invalid escapes are skipped and noted in `parseError`.
    static func form(_ request: inout Request, limit: Int) async throws -> FormParameters {
        var form = FormParameters()
        if request.method == .post || request.method == .put,
           let type = request.headers[.contentType], type.lowercased().hasPrefix("application/x-www-form-urlencoded") {
            let body: ByteBuffer
            do { body = try await request.collectBody(upTo: limit) } catch {
                throw APIError(.badData, "error parsing form values: http: request body too large", location: "form")
            }
            form.appendSkippingInvalid(encoded: String(buffer: body))
        }
        form.appendSkippingInvalid(encoded: request.uri.query)
        return form
    }

    static func json(_ body: ByteBuffer) -> Response {
        Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: body))
    }

    static func text(_ status: HTTPResponse.Status, _ text: String) -> Response {
        Response(status: status, headers: [.contentType: "text/plain; charset=utf-8"],
                 body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
