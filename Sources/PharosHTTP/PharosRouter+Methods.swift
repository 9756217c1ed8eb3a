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
    ]

    /// API paths Prometheus serves on GET and form POST (series also on DELETE, see below).
    static let getAndPostAPIPaths: [RouterPath] = ["/api/v1/query", "/api/v1/query_range", "/api/v1/labels"]

    func addAPIMethodRules(to router: Router<BasicRequestContext>) {
        for path in Self.getOnlyAPIPaths { Self.refuseMethods(on: path, in: router) }
        for path in Self.getAndPostAPIPaths {
            Self.refuseMethods(on: path, in: router, allowPost: true)
        }
        Self.refuseMethods(on: "/api/v1/series", in: router, allowPost: true, allowDelete: true)
        // Prometheus routes DELETE /series to its admin handler, which is not implemented there.
        router.delete("/api/v1/series") { _, _ -> Response in
            throw APIError(.internal, "not implemented", location: "DELETE /api/v1/series")
        }
        router.on("/api/v1/**", method: .options) { _, _ in Response(status: .noContent) }
        for method in [HTTPRequest.Method.get, .post, .put, .delete, .patch] {
            router.on("/api/v1/**", method: method) { _, _ in Self.text(.notFound, "404 page not found\n") }
        }
    }

    /// Answers the methods `path` does not take with 405 and `Allow: GET, OPTIONS` (with
    /// `allowPost`, `GET, OPTIONS, POST`), as Prometheus' router does; DELETE is refused
    /// unless `allowDelete` (the path has its own DELETE handler). OPTIONS answers 204.
    package static func refuseMethods(on path: RouterPath, in router: Router<BasicRequestContext>, allowPost: Bool = false,
                                      allowDelete: Bool = false) {
        let refused: [HTTPRequest.Method] = (allowPost ? [] : [.post]) + [.put, .patch, .head] + (allowDelete ? [] : [.delete])
        let allow = (allowDelete ? "DELETE, " : "") + (allowPost ? "GET, OPTIONS, POST" : "GET, OPTIONS")
        // The trie router picks the path before the method, so the `**` fallbacks never see
        // known paths: each needs its own OPTIONS answer.
        router.on(path, method: .options) { _, _ in Response(status: .noContent) }
        for method in refused {
            router.on(path, method: method) { _, _ in
                var response = text(.methodNotAllowed, "Method Not Allowed\n")
                response.headers[.allow] = allow
                return response
            }
        }
    }
}
