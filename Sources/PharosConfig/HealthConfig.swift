import PharosCore

/// `health:` (CONFIG.md): `readiness_checks`, names of `probes.checks` entries whose failure
/// makes `/health/ready` answer 503.
package enum HealthConfig {
    /// The readiness check names; each must be one of `checks`.
    package static func readinessChecks(in config: PharosConfig, checks: Set<String>) throws(ConfigError) -> [String] {
        guard let cursor = config.cursor(for: "health"), !cursor.isNull else { return [] }
        let fields = try cursor.mapping("health")
        let node = fields.take("readiness_checks")
        let names = try node?.stringList() ?? []
        try fields.finish()
        for name in names where !checks.contains(name) {
            throw (node ?? cursor).fail("unknown check \(goQuote(name)) (not in probes.checks)")
        }
        return names
    }
}
