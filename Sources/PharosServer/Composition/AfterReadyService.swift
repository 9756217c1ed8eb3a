import ServiceLifecycle

/// Runs `body` once storage is ready (the WAL replayed) until graceful shutdown cancels it.
/// For ingest loops that must not append before the TSDB accepts samples.
package struct AfterReadyService: Service {
    private let gate: ReadinessGate
    private let body: @Sendable () async -> Void

    package init(gate: ReadinessGate, _ body: @escaping @Sendable () async -> Void) {
        self.gate = gate
        self.body = body
    }

    package func run() async throws {
        try await cancelWhenGracefulShutdown {
            await gate.waitUntilReady()
            try Task.checkCancellation()
            await body()
        }
    }
}
