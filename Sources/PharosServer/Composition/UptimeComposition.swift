import Alerting
import Foundation
import PharosCore
import PharosHTTP
import PromQL
import PromQLParser
import Uptime

extension PharosServer {
    /// Every check's uptime from its stored `probe_success` over the last 30 days, one entry per
    /// `check` and `instance`, sorted by check name.
    static func checkUptimes(engine: Engine, storage: any Queryable, alertmanager: EmbeddedAlertmanager?) async -> [CheckUptime] {
        let now = wallClockMilliseconds()
        let query = "probe_success{check!=\"\"}[30d]"
        guard let expr = try? parseExpr(query),
              let result = try? await engine.instantQuery(expr, source: query, at: now, on: storage),
              case .matrix(let series) = result.value
        else { return [] }
        let windows = alertmanager?.policies.maintenance ?? []
        let intervals = alertmanager?.currentConfig?.namedTimeIntervals ?? TimeIntervals()
        return series.map { series in
            let covering = windows.filter { $0.covers(series.labels) }
            return CheckUptime(check: series.labels.value(of: "check") ?? "", target: series.labels.value(of: "instance") ?? "",
                               samples: series.samples, now: now) { time in
                let date = Date(timeIntervalSince1970: Double(time) / 1000)
                return covering.contains { $0.isActive(at: date, intervals: intervals) }
            }
        }.sorted { ($0.check, $0.target) < ($1.check, $1.target) }
    }
}
