import PharosCore
import NIOCore

/// The outcome of one named health check.
package struct HealthCheckResult: Sendable, Equatable {
    package var name: String
    package var healthy: Bool
    /// Why it failed, or "" when healthy.
    package var message: String
    package var latency: Duration

    package init(name: String, healthy: Bool, message: String = "", latency: Duration = .zero) {
        self.name = name
        self.healthy = healthy
        self.message = message
        self.latency = latency
    }
}

/// What the health endpoints read; the server's readiness gate implements it.
///
/// `isStarted` turns true once start-up work (WAL replay) is done; `isReady` once the server
/// accepts queries and ingest. Both may be read from any task.
package protocol HealthReporting: Sendable {
    var isStarted: Bool { get }
    var isReady: Bool { get }
    /// Runs every registered check (each bounded in time by its owner) in registration order.
    func runChecks() async -> [HealthCheckResult]
    /// The configured dependency checks readiness depends on (`health.readiness_checks`).
    func readinessChecks() async -> [HealthCheckResult]
}

extension HealthReporting {
    package func readinessChecks() async -> [HealthCheckResult] { [] }
}

package enum HealthBody {
    /// `/health`: `{"status":"pass"|"fail","checks":{"<name>":{"status":…,"latency_seconds":…,
    /// "message":…}}}`; checks in the given order, `message` only when failing.
    package static func json(_ results: [HealthCheckResult]) -> ByteBuffer {
        var json = JSONWriter()
        let healthy = results.allSatisfy(\.healthy)
        json.raw(healthy ? "{\"status\":\"pass\",\"checks\":{" : "{\"status\":\"fail\",\"checks\":{")
        for (index, result) in results.enumerated() {
            if index > 0 { json.raw(",") }
            json.string(result.name)
            json.raw(result.healthy ? ":{\"status\":\"pass\"" : ":{\"status\":\"fail\"")
            json.raw(",\"latency_seconds\":")
            let seconds = Double(result.latency.components.seconds) + Double(result.latency.components.attoseconds) / 1e18
            json.raw(GoFloat.apiValue(seconds))
            if !result.healthy {
                json.raw(",\"message\":")
                json.string(result.message)
            }
            json.raw("}")
        }
        json.raw("}}")
        return json.buffer
    }
}
