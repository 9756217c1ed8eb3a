import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import PharosCore
import PharosTestSupport
import TSDB
@testable import PharosHTTP

/// A request context that needs no channel, so routes run in-process.
struct IngestTestContext: RequestContext {
    struct Source: RequestContextSource { var logger: Logger }
    var coreContext: CoreRequestContextStorage
    init(source: Source) { coreContext = .init(source: source) }
}

/// Runs requests through a router holding `endpoints`, as the server would.
struct IngestHarness {
    let responder: RouterResponder<IngestTestContext>

    init(_ endpoints: IngestEndpoints) {
        let router = Router(context: IngestTestContext.self)
        endpoints.add(to: router)
        responder = router.buildResponder()
    }

    func send(_ method: HTTPRequest.Method, _ path: String, headers: HTTPFields = [:], body: [UInt8] = []) async throws -> (status: HTTPResponse.Status, headers: HTTPFields, body: String) {
        let head = HTTPRequest(method: method, scheme: "http", authority: "localhost", path: path, headerFields: headers)
        let request = Request(head: head, body: RequestBody(buffer: ByteBuffer(bytes: body)))
        let context = IngestTestContext(source: .init(logger: Logger(label: "ingest-tests")))
        let response = try await responder.respond(to: request, context: context)
        let collector = BodyCollector()
        try await response.body.write(collector)
        return (response.status, response.headers, String(decoding: collector.bytes.value, as: UTF8.self))
    }
}

/// Collects a response body.
final class BodyCollector: ResponseBodyWriter, @unchecked Sendable {
    final class Box { var value: [UInt8] = [] }
    let bytes = Box()
    func write(_ buffer: ByteBuffer) async throws { bytes.value.append(contentsOf: buffer.readableBytesView) }
    func finish(_ trailingHeaders: HTTPFields?) async throws {}
}

/// A fresh TSDB in a temporary directory, closed and removed after `body`.
func withTSDB<R>(_ body: (TSDB) async throws -> R) async throws -> R {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let db = try TSDB.open(directory: directory.path, logger: Logger(label: "ingest-tests"))
    defer { try? db.close() }
    return try await body(db)
}
