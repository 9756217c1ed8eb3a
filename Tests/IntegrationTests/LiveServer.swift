import Logging
import PharosServer
import ServiceLifecycle

/// Starts `server`'s service group on 127.0.0.1:0 (no signal handlers), hands the bound port to
/// `body`, then triggers a graceful shutdown and waits for every service to stop.
func withLiveServer(configure: (inout PharosServer) -> Void = { _ in },
                    _ body: (_ port: Int, _ server: PharosServer) async throws -> Void) async throws {
    var options = ServerOptions()
    options.listenHost = "127.0.0.1"
    options.listenPort = 0
    var server = PharosServer(options: options, logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
    server.shutdownSignals = []
    configure(&server)
    let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
    let group = try server.makeServiceGroup(onListening: { port in continuation.yield(port) })
    try await withThrowingTaskGroup(of: Void.self) { tasks in
        tasks.addTask { try await group.run() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else { throw CancellationError() }
        do {
            try await body(port, server)
        } catch {
            await group.triggerGracefulShutdown()
            throw error
        }
        await group.triggerGracefulShutdown()
        try await tasks.waitForAll()
    }
}
