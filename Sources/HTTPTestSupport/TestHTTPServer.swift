import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOCore
import NIOSSL

/// Runs `router` on 127.0.0.1 at a free port (plain HTTP, or HTTPS with `tls`), hands the port
/// to `body`, then stops the server. Test-only: the stand-in servers of discovery tests.
package func withTestHTTPServer<R: Sendable>(
    _ router: Router<BasicRequestContext>, tls: TLSConfiguration? = nil, _ body: (Int) async throws -> R
) async throws -> R {
    let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
    let server: HTTPServerBuilder = try tls.map { try .tls(.http1(), tlsConfiguration: $0) } ?? .http1()
    let app = Application(
        router: router, server: server,
        configuration: .init(address: .hostname("127.0.0.1", port: 0), serverName: "stand-in"),
        onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? 0) },
        logger: Logger(label: "stand-in", factory: { _ in SwiftLogNoOpLogHandler() }))
    return try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await app.runService(gracefulShutdownSignals: []) }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else { throw CancellationError() }
        do {
            let result = try await body(port)
            group.cancelAll()
            return result
        } catch {
            group.cancelAll()
            throw error
        }
    }
}
