import Foundation
import PharosConfig
import PharosCore
import PharosHTTP
import PromQLParser
import Rules
import SLO

extension PharosServer {
    /// The rule file generated from `slos:` (none without SLOs), loaded by the rule manager
    /// beside the user's rule files.
    static func sloRuleFiles(_ config: PharosConfig) throws(ServerError) -> [(file: String, text: String)] {
        let specs: [SLOSpec]
        do {
            specs = try SLOSpec.all(in: config)
        } catch {
            throw ServerError(.config, "", "\(error)")
        }
        guard !specs.isEmpty else { return [] }
        return [(SLORules.file, SLORules.ruleFile(for: specs))]
    }

    /// `GET /api/pharos/v1/slos`: each SLO of the running config with its latest recorded
    /// error ratios (instant queries at now).
    static func sloStatusBody(config: PharosConfig, querying: any InstantQuerying) async -> (status: Int, body: [UInt8]) {
        let specs: [SLOSpec]
        do {
            specs = try SLOSpec.all(in: config)
        } catch {
            return (500, Array(#"{"status":"error","error":"invalid slos section"}"#.utf8))
        }
        let now = wallClockMilliseconds()
        var statuses: [SLOStatus] = []
        for spec in specs {
            var ratios: [String: Double] = [:]
            if let expr = try? parseExpr(spec.errorRatiosQuery),
               let samples = try? await querying.query(expr, source: spec.errorRatiosQuery, at: now) {
                for sample in samples {
                    if let name = sample.labels.metricName, let window = SLOSpec.window(ofSeries: name) { ratios[window] = sample.value }
                }
            }
            statuses.append(SLOStatus(spec: spec, errorRatios: ratios, now: Double(now) / 1000))
        }
        return (200, SLOStatus.responseBody(statuses))
    }
}
