import Foundation
import HTTPTestSupport
import Hummingbird
import NIOCore
import Synchronization

/// A local HTTP receiver standing in for Slack and PagerDuty: records every POST (path,
/// headers, JSON body) and answers the next queued status (200 when none is queued).
final class PayloadReceiver: Sendable {
    struct Received: Sendable {
        var path: String
        var contentType: String?
        var body: Data
        /// The body as a JSON object.
        var json: NSDictionary { (try? JSONSerialization.jsonObject(with: body)) as? NSDictionary ?? [:] }
    }

    private let state = Mutex<(received: [Received], statuses: [(Int, String)])>(([], []))

    var received: [Received] { state.withLock { $0.received } }

    func received(path: String) -> [Received] { received.filter { $0.path == path } }

    /// The next answers, in order (status, body).
    func answer(_ status: Int, _ body: String = "") { state.withLock { $0.statuses.append((status, body)) } }

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
        router.post("**") { request, _ -> Response in
            let buffer = try await request.body.collect(upTo: 1 << 22)
            let record = Received(path: request.uri.path, contentType: request.headers[.contentType],
                                  body: Data(buffer.readableBytesView))
            let (status, text) = self.state.withLock { state -> (Int, String) in
                state.received.append(record)
                return state.statuses.isEmpty ? (200, "ok") : state.statuses.removeFirst()
            }
            return Response(status: .init(code: status), body: .init(byteBuffer: ByteBuffer(string: text)))
        }
        return try await withTestHTTPServer(router) { port in try await body("http://127.0.0.1:\(port)") }
    }
}
