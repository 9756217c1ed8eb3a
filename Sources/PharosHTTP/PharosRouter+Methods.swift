import HTTPTypes
import Hummingbird

/// The answers Prometheus' router gives outside the handlers: `OPTIONS` on any API path is
/// 204 (CORS preflight), a method a path does not take is 405 with an `Allow` header and a
/// plain-text body, an unknown API path is Go's `404 page not found`. Hummingbird alone would
/// answer 404 with no body in every such case.
extension PharosRouter {
    /// API paths Prometheus serves on GET only (`/api/v1/targets` is registered by the server,
    /// which refuses methods on it through `refuseMethods`).
    static let getOnlyAPIPaths: [RouterPath] = [
        "/api/v1/label/:name/values", "/api/v1/metadata", "/api/v1/targets/metadata", "/api/v1/status/tsdb",
        "/api/v1/status/buildinfo", "/api/v1/status/runtimeinfo", "/api/v1/status/flags", "/api/v1/status/config",
        "/api/v1/status/walreplay",
    ]

    /// The TSDB admin paths, on POST and PUT.
    static let adminAPIPaths: [RouterPath] = [
        "/api/v1/admin/tsdb/snapshot", "/api/v1/admin/tsdb/delete_series", "/api/v1/admin/tsdb/clean_tombstones",
    ]

    /// API paths Prometheus serves on GET and form POST (series also on DELETE, see below).
    static let getAndPostAPIPaths: [RouterPath] = ["/api/v1/query", "/api/v1/query_range", "/api/v1/labels", "/api/v1/query_exemplars",
                                                          "/api/v1/format_query"]

    func addAPIMethodRules(to router: Router<BasicRequestContext>) {
        for path in Self.getOnlyAPIPaths { Self.refuseMethods(on: path, in: router, allowing: [.get]) }
        for path in Self.getAndPostAPIPaths { Self.refuseMethods(on: path, in: router, allowing: [.get, .post]) }
        for path in Self.adminAPIPaths { Self.refuseMethods(on: path, in: router, allowing: [.post, .put]) }
        Self.refuseMethods(on: "/api/v1/series", in: router, allowing: [.get, .post, .delete])
        // Prometheus routes DELETE /series to its admin handler, which is not implemented there.
        router.delete("/api/v1/series") { _, _ -> Response in
            throw APIError(.internal, "not implemented", location: "DELETE /api/v1/series")
        }
        router.on("/api/v1/**", method: .options) { _, _ in Response(status: .noContent) }
        for method in [HTTPRequest.Method.get, .post, .put, .delete, .patch] {
            router.on("/api/v1/**", method: method) { _, _ in Self.text(.notFound, "404 page not found\n") }
        }
    }

    /// Registers, for `path`, a 204 answer to OPTIONS and a 405 answer to every method of
    /// GET, POST, PUT, PATCH, DELETE and HEAD not in `allowed` (which has its own handlers),
    /// with `Allow` listing the allowed methods and OPTIONS, sorted, as Prometheus' router does.
    /// The trie router picks the path before the method, so known paths never reach the `**`
    /// fallbacks and need these answers registered on them.
    package static func refuseMethods<Context: RequestContext>(on path: RouterPath, in router: Router<Context>,
                                                               allowing allowed: [HTTPRequest.Method]) {
        let allow = (allowed.map(\.rawValue) + ["OPTIONS"]).sorted().joined(separator: ", ")
        router.on(path, method: .options) { _, _ in Response(status: .noContent) }
        for method in [HTTPRequest.Method.get, .post, .put, .patch, .delete, .head] where !allowed.contains(method) {
            router.on(path, method: method) { _, _ in
                var response = text(.methodNotAllowed, "Method Not Allowed\n")
                response.headers[.allow] = allow
                return response
            }
        }
    }
}
