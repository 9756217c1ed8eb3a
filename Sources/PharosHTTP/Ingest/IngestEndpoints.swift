import HTTPTypes
import Hummingbird
import NIOCore
import PharosCore
import Push

/// The ingest and federation routes: `POST /api/v1/write`, `GET /federate`, and the
/// Pushgateway's `PUT|POST|DELETE /metrics/job/…` and `GET /api/v1/metrics`. Each part is
/// optional; a nil part registers no route.
package struct IngestEndpoints: Sendable {
    package var remoteWrite: RemoteWriteReceiver?
    package var federation: Federation?
    package var pushgateway: Pushgateway?
    /// Largest push body accepted (Pushgateway has no limit; 413 beyond this).
    package var maxPushBodySize = 32 << 20
    /// Push answers 503 while this is false (storage replaying its WAL).
    package var pushReady: @Sendable () -> Bool = { true }

    package init(remoteWrite: RemoteWriteReceiver? = nil, federation: Federation? = nil, pushgateway: Pushgateway? = nil) {
        self.remoteWrite = remoteWrite
        self.federation = federation
        self.pushgateway = pushgateway
    }

    /// Registers the routes of the configured parts on `router`.
    package func add<Context: RequestContext>(to router: Router<Context>) {
        if let remoteWrite { addRemoteWrite(remoteWrite, to: router) }
        if let federation { addFederation(federation, to: router) }
        if let pushgateway { addPush(pushgateway, to: router) }
    }

    private func addRemoteWrite<Context: RequestContext>(_ receiver: RemoteWriteReceiver, to router: Router<Context>) {
        let limit = receiver.configuration.maxBodySize
        PharosRouter.refuseMethods(on: "/api/v1/write", in: router, allowing: [.post])
        router.post("/api/v1/write") { request, _ in
            var request = request
            guard let buffer = try? await request.collectBody(upTo: limit) else {
                return IngestResponse(.contentTooLarge, "request body larger than \(limit) bytes").response
            }
            let outcome = await receiver.receive(body: Array(buffer: buffer),
                                                 contentType: request.headers[.contentType],
                                                 contentEncoding: request.headers[.contentEncoding])
            return outcome.response.response
        }
    }

    private func addFederation<Context: RequestContext>(_ federation: Federation, to router: Router<Context>) {
        router.get("/federate") { request, _ in
            var selectors: [String] = []
            do {
                let form = try FormParameters(encoded: request.uri.query)
                selectors = form.all("match[]")
            } catch {
                return IngestResponse(.badRequest, (error as? APIError)?.message ?? "\(error)").response
            }
            do throws(APIError) {
                let text = try await federation.render(selectors: selectors)
                return Response(status: .ok, headers: [.contentType: Federation.contentType],
                                body: .init(byteBuffer: ByteBuffer(bytes: text)))
            } catch {
                return IngestResponse(error.kind == .badData ? .badRequest : .internalServerError, error.message).response
            }
        }
    }
}
