import Foundation
import Logging
import PharosConfig
import PharosCore
import Synchronization

/// The probes component: the running modules (replaced on reload), `/probe` requests, and
/// the scheduled checks (`CheckScheduler`). Thread-safe.
package final class ProbeService: Sendable {
    private let state: Mutex<ProbesConfig>
    package let runner: ProbeRunner
    /// blackbox's `--timeout-offset`.
    package let timeoutOffset: Double

    package init(config: ProbesConfig = ProbesConfig(), runner: ProbeRunner = ProbeRunner(), timeoutOffset: Double = 0.5) {
        state = Mutex(config)
        self.runner = runner
        self.timeoutOffset = timeoutOffset
    }

    package var config: ProbesConfig { state.withLock { $0 } }

    /// Takes a validated config's modules and checks (the scheduler picks the checks up).
    package func apply(_ config: ProbesConfig) { state.withLock { $0 = config } }

    /// One `/probe` request as blackbox's `prober.Handler` answers it: 400 for an unknown module
    /// (`Unknown module "x"`), a missing target or an unknown prober; 500 for a bad scrape-timeout
    /// header; otherwise 200 with the exposition text, or with the debug text when `debug`.
    package func handle(module requested: String?, target: String?, debug: Bool, scrapeTimeout: String?) async -> ProbeAnswer {
        let name = requested.flatMap { $0.isEmpty ? nil : $0 } ?? "http_2xx"
        guard let module = state.withLock({ $0.modules[name] }) else {
            return .error(400, "Unknown module \(goQuote(name))")
        }
        let timeout: Double
        do { timeout = try ProbeRunner.timeoutSeconds(scrapeTimeoutHeader: scrapeTimeout, module: module, offset: timeoutOffset) } catch {
            return .error(error.status, error.message)
        }
        guard let target, !target.isEmpty else { return .error(400, "Target parameter is missing") }
        guard runner.probers[module.prober] != nil else { return .error(400, "Unknown prober \(goQuote(module.prober))") }
        let outcome = await runner.run(moduleName: name, module: module, target: target, timeoutSeconds: timeout)
        if debug {
            return ProbeAnswer(status: 200, contentType: "text/plain", body: Self.debugOutput(outcome, module: module))
        }
        return ProbeAnswer(status: 200, contentType: "text/plain; version=0.0.4; charset=utf-8", body: outcome.registry.exposition())
    }

    /// blackbox's `DebugOutput`: logs, metrics, module configuration.
    static func debugOutput(_ outcome: ProbeOutcome, module: ProbeModule) -> String {
        "Logs for the probe:\n" + outcome.log.text + "\n\n\nMetrics that would have been returned:\n" + outcome.registry.exposition()
            + "\n\n\nModule configuration:\n" + (module.source.map { YAMLText.render($0) } ?? "prober: \(module.prober)\n")
    }
}

/// An answer to `/probe`.
package struct ProbeAnswer: Sendable, Hashable {
    package var status: Int
    package var contentType: String
    package var body: String

    package init(status: Int, contentType: String, body: String) {
        self.status = status
        self.contentType = contentType
        self.body = body
    }

    /// Go's `http.Error`: the message and a newline, as plain text.
    static func error(_ status: Int, _ message: String) -> ProbeAnswer {
        ProbeAnswer(status: status, contentType: "text/plain; charset=utf-8", body: message + "\n")
    }
}

/// A small YAML writer for a module as written (block style, scalars quoted when needed).
enum YAMLText {
    static func render(_ node: YAMLNode, indent: Int = 0) -> String {
        let pad = String(repeating: " ", count: indent)
        switch node.kind {
        case .null: return pad + "null\n"
        case .scalar(let text, _): return pad + scalar(text) + "\n"
        case .sequence(let items):
            if items.isEmpty { return pad + "[]\n" }
            return items.map { item in
                let body = render(item, indent: indent + 2)
                return pad + "- " + body.dropFirst(indent + 2)
            }.joined()
        case .mapping(let pairs):
            if pairs.isEmpty { return pad + "{}\n" }
            return pairs.map { pair in
                switch pair.value.kind {
                case .scalar(let text, _): return pad + scalar(pair.key) + ": " + scalar(text) + "\n"
                case .null: return pad + scalar(pair.key) + ": null\n"
                case .sequence(let items) where items.isEmpty: return pad + scalar(pair.key) + ": []\n"
                case .mapping(let inner) where inner.isEmpty: return pad + scalar(pair.key) + ": {}\n"
                default: return pad + scalar(pair.key) + ":\n" + render(pair.value, indent: indent + 2)
                }
            }.joined()
        }
    }

    static func scalar(_ text: String) -> String {
        let plain = !text.isEmpty && text.allSatisfy { $0.isLetter || $0.isNumber || "._-/".contains($0) }
        return plain ? text : "\"" + text.replacingAll("\\", "\\\\").replacingAll("\"", "\\\"").replacingAll("\n", "\\n") + "\""
    }
}
