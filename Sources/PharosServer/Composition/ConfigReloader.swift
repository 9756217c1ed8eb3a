import Logging
import PharosConfig
import PharosHTTP
import ServiceLifecycle
import Synchronization
import UnixSignals

/// One named step that takes a validated config into a running component (STYLE.md §12).
package struct ConfigApplier: Sendable {
    package var name: String
    package var apply: @Sendable (PharosConfig) async throws -> Void

    package init(name: String, apply: @escaping @Sendable (PharosConfig) async throws -> Void) {
        self.name = name
        self.apply = apply
    }
}

/// Reloads the config on SIGHUP and on `POST /-/reload`: validates the whole file first and,
/// only when it is valid, runs the appliers in order. An invalid file keeps the running config,
/// logs why and sets `pharos_config_last_reload_successful` to 0. Reloads run one at a time, in
/// arrival order: a SIGHUP during an HTTP reload waits for it, never interleaves its steps.
package final class ConfigReloader: Service, Sendable {
    private let load: @Sendable () throws(ServerError) -> (config: PharosConfig, yaml: String)
    private let appliers: [ConfigApplier]
    private let current: Mutex<(config: PharosConfig, yaml: String, success: Bool, time: Int64)>
    private let serial = AsyncSerialGate()
    private let logger: Logger

    /// `load` reads and validates the file (and records the reload gauges); `initial` is the
    /// config the components were built with.
    package init(initial: (config: PharosConfig, yaml: String), appliers: [ConfigApplier], logger: Logger,
                 load: @escaping @Sendable () throws(ServerError) -> (config: PharosConfig, yaml: String)) {
        self.load = load
        self.appliers = appliers
        self.logger = logger
        current = Mutex((initial.config, initial.yaml, true, wallClockMilliseconds()))
    }

    /// The running config.
    package var config: PharosConfig { current.withLock { $0.config } }
    /// The YAML of the running config, for `/api/v1/status/config`.
    package var yaml: String { current.withLock { $0.yaml } }
    package var lastReloadSucceeded: Bool { current.withLock { $0.success } }
    /// When the running config was loaded (ms).
    package var lastReloadTime: Int64 { current.withLock { $0.time } }

    /// Validates and applies the file. Throws the reason when the file is invalid or an
    /// applier fails; the running config then stays in place (appliers before the failing one
    /// keep the new config, as in Prometheus).
    package func reload() async throws {
        try await serial.run { try await self.reloadNow() }
    }

    private func reloadNow() async throws {
        let loaded: (config: PharosConfig, yaml: String)
        do {
            loaded = try load()
        } catch {
            current.withLock { $0.success = false }
            logger.error("Error reloading config", metadata: ["config.error": "\(error)"])
            throw error
        }
        for applier in appliers {
            do {
                try await applier.apply(loaded.config)
            } catch {
                current.withLock { $0.success = false }
                logger.error("Error applying config", metadata: ["config.step": "\(applier.name)", "config.error": "\(error)"])
                throw ServerError(.config, applier.name, "\(error)")
            }
        }
        current.withLock { $0 = (loaded.config, loaded.yaml, true, wallClockMilliseconds()) }
        logger.info("Completed loading of configuration file")
    }

    /// Waits for SIGHUP until graceful shutdown; each signal triggers `reload()`.
    package func run() async throws {
        let signals = await UnixSignalsSequence(trapping: .sighup)
        try? await cancelWhenGracefulShutdown {
            for await _ in signals {
                try? await self.reload()
            }
        }
    }
}

/// Runs async bodies one at a time, first come first served (an async mutex).
actor AsyncSerialGate {
    private var busy = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    func run<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        await acquire()
        do {
            let result = try await body()
            release()
            return result
        } catch {
            release()
            throw error
        }
    }

    private func acquire() async {
        guard busy else { busy = true; return }
        await withCheckedContinuation { waiting.append($0) }
    }

    private func release() {
        if waiting.isEmpty { busy = false } else { waiting.removeFirst().resume() }
    }
}
