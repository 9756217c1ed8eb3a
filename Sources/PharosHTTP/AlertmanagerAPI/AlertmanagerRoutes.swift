import HTTPTypes
import Hummingbird
import NIOCore

/// The Alertmanager v2 API routes (`/api/v2/alerts`, `/alerts/groups`, `/silences`,
/// `/silence/{id}`, `/status`, `/receivers`) and Pharos' own alert endpoints
/// (`/api/pharos/v1/alerts/acks`, `/acks/{id}`, `/history`), handing each call to `handler` without
/// depending on the embedded Alertmanager: the composition root adapts `Alerting.AlertmanagerAPI`.
package struct AlertmanagerRoutes: Sendable {
    /// One call: the operation (`getAlerts`, `postAlerts`, `getAlertGroups`, `getSilences`,
    /// `postSilences`, `getSilence`, `deleteSilence`, `getStatus`, `getReceivers`, `getAcks`,
    /// `postAck`, `deleteAck`, `getHistory`), the silence or ack id of the `{id}` paths, the
    /// query items in order, and the body.
    package struct Call: Sendable {
        package var operation: String
        package var id: String
        package var query: [(name: String, value: String)]
        package var body: [UInt8]
    }

    package var handler: @Sendable (Call) async -> (status: Int, body: [UInt8])
    /// Largest request body accepted (Alertmanager has none; 32 MiB here).
    package var maxBodySize = 32 << 20

    package init(handler: @escaping @Sendable (Call) async -> (status: Int, body: [UInt8])) {
        self.handler = handler
    }

    package func add<Context: RequestContext>(to router: Router<Context>) {
        let handler = self.handler
        let limit = maxBodySize
        func route(_ path: RouterPath, _ method: HTTPRequest.Method, _ operation: String) {
            router.on(path, method: method) { request, context -> Response in
                var request = request
                var body: [UInt8] = []
                if method == .post {
                    guard let buffer = try? await request.collectBody(upTo: limit) else {
                        return Response(status: .contentTooLarge)
                    }
                    body = Array(buffer: buffer)
                }
                let query = request.uri.queryParameters.map { (name: String($0.key), value: String($0.value)) }
                let call = Call(operation: operation, id: context.parameters.get("id") ?? "", query: query, body: body)
                let (status, answer) = await handler(call)
                var headers = HTTPFields()
                if !answer.isEmpty { headers[.contentType] = "application/json" }
                return Response(status: HTTPResponse.Status(code: status), headers: headers,
                                body: .init(byteBuffer: ByteBuffer(bytes: answer)))
            }
        }
        route("/api/v2/alerts", .get, "getAlerts")
        route("/api/v2/alerts", .post, "postAlerts")
        route("/api/v2/alerts/groups", .get, "getAlertGroups")
        route("/api/v2/silences", .get, "getSilences")
        route("/api/v2/silences", .post, "postSilences")
        route("/api/v2/silence/:id", .get, "getSilence")
        route("/api/v2/silence/:id", .delete, "deleteSilence")
        route("/api/v2/status", .get, "getStatus")
        route("/api/v2/receivers", .get, "getReceivers")
        route("/api/pharos/v1/alerts/acks", .get, "getAcks")
        route("/api/pharos/v1/alerts/acks", .post, "postAck")
        route("/api/pharos/v1/alerts/acks/:id", .delete, "deleteAck")
        route("/api/pharos/v1/alerts/history", .get, "getHistory")
        route("/api/pharos/v1/maintenance", .get, "getMaintenance")
    }
}
