import Dispatch
import HTTPTypes
import Hummingbird
import Metrics

/// Counts and times every request under Prometheus' own names, so its HTTP dashboards and
/// alerts work on Pharos: `prometheus_http_requests_total{code, handler}` and
/// `prometheus_http_request_duration_seconds{handler}`. `handler` is the matched route in
/// Prometheus' spelling (`/api/v1/label/:name/values`), or `other` when no route matched, so
/// the label stays bounded whatever paths clients try. Records through swift-metrics.
struct HTTPMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    static var requestsTotal: String { "prometheus_http_requests_total" }
    static var requestDuration: String { "prometheus_http_request_duration_seconds" }

    func handle(_ request: Request, context: Context,
                next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = DispatchTime.now().uptimeNanoseconds
        do {
            let response = try await next(request, context)
            record(Self.handler(context.endpointPath), response.status, since: start)
            return response
        } catch {
            record(Self.handler(context.endpointPath), (error as? any HTTPResponseError)?.status ?? .internalServerError, since: start)
            throw error
        }
    }

    private func record(_ handler: String, _ status: HTTPResponse.Status, since start: UInt64) {
        Counter(label: Self.requestsTotal, dimensions: [("code", String(status.code)), ("handler", handler)]).increment()
        Metrics.Timer(label: Self.requestDuration, dimensions: [("handler", handler)])
            .recordNanoseconds(Int64(DispatchTime.now().uptimeNanoseconds - start))
    }

    /// Hummingbird's route pattern in Prometheus' spelling: `{name}` → `:name`.
    static func handler(_ endpointPath: String?) -> String {
        guard let endpointPath else { return "other" }
        var result = ""
        var inParameter = false
        for character in endpointPath {
            switch character {
            case "{": inParameter = true; result.append(":")
            case "}" where inParameter: inParameter = false
            default: result.append(character)
            }
        }
        return result
    }
}
