import Foundation
import PharosCore
import Logging
import NIOCore
import NIOPosix
import PharosConfig

/// The outcome of one probe: blackbox's registry after the prober ran, plus its log.
package struct ProbeOutcome: Sendable {
    package var success: Bool
    package var durationSeconds: Double
    package var registry: ProbeRegistry
    package var log: ProbeLog
}

/// Runs one probe with blackbox's framing: `probe_success` and `probe_duration_seconds`
/// around the prober, the prober cut at the deadline (its task is cancelled; whatever it
/// recorded until then is kept, `probe_success` is 0).
package struct ProbeRunner: Sendable {
    package var probers: [String: any Prober]
    package var eventLoopGroup: any EventLoopGroup
    package var logger: Logger

    package init(probers: [String: any Prober] = ProbeRunner.standardProbers,
                 eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
                 logger: Logger = Logger(label: "pharos.probes", factory: { _ in SwiftLogNoOpLogHandler() })) {
        self.probers = probers
        self.eventLoopGroup = eventLoopGroup
        self.logger = logger
    }

    package static let standardProbers: [String: any Prober] = [
        "http": HTTPProber(), "tcp": TCPProber(), "dns": DNSProber(), "icmp": ICMPProber(), "grpc": GRPCProber(),
        "postgres": PostgresProber(), "redis": RedisProber(), "tls": TLSProber(), "disk": DiskProber(), "memory": MemoryProber(),
    ]

    /// blackbox's `getTimeout`: the scrape's `X-Prometheus-Scrape-Timeout-Seconds` (120 s when
    /// absent or 0) minus `offset`, or the module's timeout when it is set and shorter (or when
    /// the header minus the offset is negative). Throws the header's parse error.
    package static func timeoutSeconds(scrapeTimeoutHeader: String?, module: ProbeModule, offset: Double = 0.5) throws(ProbeRequestError) -> Double {
        var timeout = 0.0
        if let header = scrapeTimeoutHeader, !header.isEmpty {
            guard let value = Double(header.trimmingCharacters(in: .whitespaces)) else {
                throw ProbeRequestError(status: 500, message: "Failed to parse timeout from Prometheus header: strconv.ParseFloat: parsing \(goQuote(header)): invalid syntax")
            }
            timeout = value
        }
        if timeout == 0 { timeout = 120 }
        let maxTimeout = timeout - offset
        let moduleTimeout = module.timeout.seconds
        if moduleTimeout < maxTimeout && moduleTimeout > 0 || maxTimeout < 0 { return moduleTimeout }
        return maxTimeout
    }

    /// Probes `target` with `module` for at most `timeoutSeconds`.
    package func run(moduleName: String, module: ProbeModule, target: String, timeoutSeconds: Double) async -> ProbeOutcome {
        let registry = ProbeRegistry()
        registry.gauge("probe_success", "Displays whether or not the probe was a success")
        registry.gauge("probe_duration_seconds", "Returns how long the probe took to complete in seconds")
        let log = ProbeLog(module: moduleName, target: target, logger: logger)
        log.info("Beginning probe", ["probe": module.prober, "timeout_seconds": GoFloat.format(timeoutSeconds)])
        let start = ContinuousClock.now
        let deadline = start + .nanoseconds(Int64(max(0, timeoutSeconds) * 1e9))
        let context = ProbeContext(deadline: deadline, registry: registry, log: log, eventLoopGroup: eventLoopGroup)
        var success = false
        if let prober = probers[module.prober] {
            success = await withTaskGroup(of: Bool?.self) { group in
                group.addTask { await prober.probe(target: target, module: module, context: context) }
                group.addTask {
                    try? await Task.sleep(until: deadline, clock: .continuous)
                    return nil
                }
                let first = await group.next() ?? nil
                group.cancelAll()
                guard let first else {
                    log.error("Timeout reached", ["timeout_seconds": GoFloat.format(timeoutSeconds)])
                    return false
                }
                return first
            }
        } else {
            log.error("Unknown prober", ["prober": module.prober])
        }
        let elapsed = ContinuousClock.now - start
        let duration = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        registry.set("probe_duration_seconds", duration)
        if success {
            registry.set("probe_success", 1)
            log.info("Probe succeeded", ["duration_seconds": GoFloat.format(duration)])
        } else {
            log.error("Probe failed", ["duration_seconds": GoFloat.format(duration)])
        }
        return ProbeOutcome(success: success, durationSeconds: duration, registry: registry, log: log)
    }
}

/// A `/probe` request refused before probing: HTTP status and blackbox's message.
package struct ProbeRequestError: Error, Sendable, Hashable, CustomStringConvertible {
    package var status: Int
    package var message: String
    package init(status: Int, message: String) {
        self.status = status
        self.message = message
    }
    package var description: String { message }
}
