import PharosConfig
import PharosCore
import PharosHTTP
import Probes
import PromQL
import PromQLParser

extension PharosServer {
    /// `health: {readiness_checks: [names]}`: names of `probes.checks` whose failure makes
    /// `/health/ready` answer 503. Each must name a check.
    static func readinessCheckNames(_ config: PharosConfig) throws(ServerError) -> [String] {
        do {
            return try HealthConfig.readinessChecks(in: config, checks: Set(try ProbesConfig.decode(config).checks.map(\.name)))
        } catch {
            throw ServerError(.config, "", "\(error)")
        }
    }

    /// Each readiness check passes while its latest stored `probe_success` (within the query
    /// lookback) is 1.
    static func readinessResults(_ names: [String], engine: Engine, storage: any Queryable) async -> [HealthCheckResult] {
        var results: [HealthCheckResult] = []
        let clock = ContinuousClock()
        for name in names {
            let start = clock.now
            let query = "probe_success{check=\(goQuote(name))}"
            var healthy = false, message = "no probe result yet"
            if let expr = try? parseExpr(query),
               let result = try? await engine.instantQuery(expr, source: query, at: wallClockMilliseconds(), on: storage),
               case .vector(let samples) = result.value, !samples.isEmpty {
                healthy = samples.allSatisfy { $0.value == 1 }
                message = healthy ? "" : "probe failing (\(samples.filter { $0.value != 1 }.count) of \(samples.count) targets)"
            }
            results.append(HealthCheckResult(name: "check:" + name, healthy: healthy, message: message, latency: clock.now - start))
        }
        return results
    }
}
