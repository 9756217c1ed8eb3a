import Logging
import PharosCore
import PharosTestSupport
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

/// Runs `PharosServer.standard` (real TSDB under `storagePath`, real engine) in-process on
/// 127.0.0.1:0, waits until the WAL replay made it ready, hands `body` the port and the
/// server's storage as an `Appendable`, then shuts down gracefully (closing the TSDB).
func withStandardServer(storagePath: String,
                        configure: (inout PharosServer) async throws -> Void = { _ in },
                        _ body: (_ port: Int, _ storage: any Appendable) async throws -> Void) async throws {
    var options = ServerOptions()
    options.listenHost = "127.0.0.1"
    options.listenPort = 0
    options.storagePath = storagePath
    var server = try PharosServer.standard(options: options, logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }),
                                       metrics: ServerMetrics(version: PharosServer.version))
    server.shutdownSignals = []
    try await configure(&server)
    let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
    let group = try server.makeServiceGroup(onListening: { port in continuation.yield(port) })
    let gate = server.gate
    guard let storage = server.storage as? any Appendable else {
        throw PeerError("PharosServer.standard has no appendable storage")
    }
    try await withThrowingTaskGroup(of: Void.self) { tasks in
        tasks.addTask { try await group.run() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else { throw CancellationError() }
        do {
            await gate.waitUntilReady()
            try await body(port, storage)
        } catch {
            await group.triggerGracefulShutdown()
            throw error
        }
        await group.triggerGracefulShutdown()
        try await tasks.waitForAll()
    }
}
