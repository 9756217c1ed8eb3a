import HTTPTypes
import Hummingbird
import NIOCore
import Push

extension IngestEndpoints {
    /// Pushgateway routes. Answers as Pushgateway does: PUT/POST 200 with an empty body,
    /// DELETE 202, 400 for bad paths, bodies and inconsistent pushes (with the reason), 415
    /// for protobuf or gzip bodies, 500 when the push could not be persisted.
    func addPush<Context: RequestContext>(_ gateway: Pushgateway, to router: Router<Context>) {
        let limit = maxPushBodySize
        let ready = pushReady
        for prefix in ["/metrics/job/**", "/metrics/job@base64/**"] {
            for method in [HTTPRequest.Method.put, .post] {
                router.on(RouterPath(prefix), method: method) { request, _ in
                    guard ready() else { return IngestResponse(.serviceUnavailable, "Service Unavailable: storage is not ready").response }
                    if let encoding = request.headers[.contentEncoding], !encoding.isEmpty, encoding.lowercased() != "identity" {
                        return IngestResponse(.unsupportedMediaType, "\(encoding) request bodies are not supported; send the body uncompressed").response
                    }
                    var request = request
                    guard let buffer = try? await request.collectBody(upTo: limit) else {
                        return IngestResponse(.contentTooLarge, "request body larger than \(limit) bytes").response
                    }
                    do throws(PushError) {
                        try await gateway.push(path: request.uri.path, body: Array(buffer: buffer),
                                               contentType: request.headers[.contentType], replace: method == .put)
                        return Response(status: .ok)
                    } catch {
                        return Self.response(for: error).response
                    }
                }
            }
            router.delete(RouterPath(prefix)) { request, _ in
                guard ready() else { return IngestResponse(.serviceUnavailable, "Service Unavailable: storage is not ready").response }
                do throws(PushError) {
                    try await gateway.delete(path: request.uri.path)
                    return Response(status: .accepted)
                } catch {
                    return Self.response(for: error).response
                }
            }
        }
        router.get("/api/v1/metrics") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"],
                     body: .init(byteBuffer: PushStatusJSON.body(gateway.store.snapshot())))
        }
    }

    static func response(for error: PushError) -> IngestResponse {
        switch error.kind {
        case .badRequest, .inconsistent: IngestResponse(.badRequest, error.message)
        case .unsupportedMediaType: IngestResponse(.unsupportedMediaType, error.message)
        default: IngestResponse(.internalServerError, error.message)
        }
    }
}
