import Foundation
import HTTPTestSupport
import Hummingbird
import NIOCore
import Synchronization

/// A local HTTP receiver standing in for Slack, PagerDuty and the other integrations' APIs:
/// records every GET, POST and PUT (method, path, query, headers, body) and answers the next
/// queued status, else the fixed answer of the path (`answer(path:…)`), else 200 "ok".
final class PayloadReceiver: Sendable {
    struct Received: Sendable {
        var method = "POST"
        var path: String
        var query = ""
        var contentType: String?
        /// Every header, names lower-cased, in arrival order.
        var headers: [(name: String, value: String)] = []
        var body: Data
        /// The body as a JSON object.
        var json: NSDictionary { (try? JSONSerialization.jsonObject(with: body)) as? NSDictionary ?? [:] }
        var text: String { String(decoding: body, as: UTF8.self) }

        /// The first value of header `name` (any case).
        func header(_ name: String) -> String? { headers.first { $0.name == name.lowercased() }?.value }
    }

    private struct State {
        var received: [Received] = []
        var statuses: [(Int, String)] = []
        var fixed: [String: (Int, String)] = [:]
    }

    private let state = Mutex(State())

    var received: [Received] { state.withLock { $0.received } }

    func received(path: String) -> [Received] { received.filter { $0.path == path } }

    /// The next answers, in order (status, body).
    func answer(_ status: Int, _ body: String = "") { state.withLock { $0.statuses.append((status, body)) } }

    /// Every request to `path` is answered so, after the queued answers are used up.
    func answer(path: String, _ status: Int, _ body: String) { state.withLock { $0.fixed[path] = (status, body) } }

    /// Waits until `count` requests to `path` arrived (Alertmanager sends asynchronously).
    func wait(path: String, count: Int, timeout: Duration = .seconds(30)) async throws -> [Received] {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let got = received(path: path)
            if got.count >= count { return got }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw ReceiverTimeout(description: "\(count) request(s) to \(path) did not arrive; got \(received.map(\.path))")
    }

    struct ReceiverTimeout: Error, CustomStringConvertible { var description: String }

    func run<R: Sendable>(_ body: (String) async throws -> R) async throws -> R {
        let router = Router()
        let handler: @Sendable (Request, BasicRequestContext) async throws -> Response = { request, _ in
            let buffer = try await request.body.collect(upTo: 1 << 22)
            let record = Received(method: request.method.rawValue, path: request.uri.path, query: request.uri.query ?? "",
                                  contentType: request.headers[.contentType],
                                  headers: request.headers.map { ($0.name.canonicalName, $0.value) }
                                      + (request.head.authority.map { [("host", $0)] } ?? []),
                                  body: Data(buffer.readableBytesView))
            let (status, text) = self.state.withLock { state -> (Int, String) in
                state.received.append(record)
                if !state.statuses.isEmpty { return state.statuses.removeFirst() }
                return state.fixed[record.path] ?? (200, "ok")
            }
            return Response(status: .init(code: status), body: .init(byteBuffer: ByteBuffer(string: text)))
        }
        router.post("**", use: handler)
        router.put("**", use: handler)
        router.get("**", use: handler)
        return try await withTestHTTPServer(router) { port in try await body("http://127.0.0.1:\(port)") }
    }
}
