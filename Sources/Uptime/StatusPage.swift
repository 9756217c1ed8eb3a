import Foundation
import Mustache
import PharosCore

/// The public status page (`GET /status`, HTML readable without JavaScript) and the uptime
/// API's JSON (`GET /api/pharos/v1/uptime`), over the checks' uptime.
package enum StatusPage {
    /// The page's template (Mustache escapes every `{{value}}`).
    static let template = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta http-equiv="refresh" content="60">
        <title>Status</title>
        <style>
        body { font-family: system-ui, sans-serif; margin: 0 auto; max-width: 56rem; padding: 1rem; color: #1b1f24; background: #fff; }
        @media (prefers-color-scheme: dark) { body { color: #e6e6e6; background: #14171a; } th, td { border-color: #333; } }
        h1 { font-size: 1.5rem; }
        .banner { padding: .75rem 1rem; border-radius: .4rem; font-weight: 600; }
        .ok { background: #dff3e4; color: #14532d; } .down { background: #fde2e1; color: #7f1d1d; } .unknown { background: #eee; color: #333; }
        table { border-collapse: collapse; width: 100%; margin: 1rem 0; }
        th, td { text-align: left; padding: .4rem .5rem; border-bottom: 1px solid #ddd; }
        td.num { text-align: right; font-variant-numeric: tabular-nums; }
        </style>
        </head>
        <body>
        <h1>Status</h1>
        <p class="banner {{overallClass}}">{{overall}}</p>
        <table>
        <thead><tr><th>Check</th><th>State</th><th>24 h</th><th>7 d</th><th>30 d</th></tr></thead>
        <tbody>
        {{#checks}}
        <tr><td>{{check}}</td><td class="{{stateClass}}">{{state}}</td><td class="num">{{p24h}}</td><td class="num">{{p7d}}</td><td class="num">{{p30d}}</td></tr>
        {{/checks}}
        {{^checks}}
        <tr><td colspan="5">No checks are configured (probes.checks).</td></tr>
        {{/checks}}
        </tbody>
        </table>
        <h2>Incidents</h2>
        {{#hasIncidents}}
        <table>
        <thead><tr><th>Check</th><th>Started</th><th>Ended</th><th>Duration</th></tr></thead>
        <tbody>
        {{#incidents}}
        <tr><td>{{check}}</td><td>{{start}}</td><td>{{end}}</td><td>{{duration}}</td></tr>
        {{/incidents}}
        </tbody>
        </table>
        {{/hasIncidents}}
        {{^hasIncidents}}
        <p>No incidents in the last 30 days.</p>
        {{/hasIncidents}}
        <p><small>Updated {{updated}}</small></p>
        </body>
        </html>
        """

    /// The rendered page for `checks` at `now` (ms).
    package static func html(_ checks: [CheckUptime], now: Timestamp) -> String {
        let down = checks.filter { $0.up == false }
        let (overall, overallClass): (String, String) = if checks.isEmpty {
            ("No checks", "unknown")
        } else if down.isEmpty {
            ("All systems operational", "ok")
        } else {
            ("\(down.count) of \(checks.count) checks down: \(down.map(\.check).joined(separator: ", "))", "down")
        }
        let rows: [[String: Any]] = checks.map { check in
            [
                "check": check.check,
                "state": check.up.map { $0 ? "up" : "down" } ?? "no data",
                "stateClass": check.up.map { $0 ? "ok" : "down" } ?? "unknown",
                "p24h": percentText(check.percent["24h"]), "p7d": percentText(check.percent["7d"]),
                "p30d": percentText(check.percent["30d"]),
            ]
        }
        let incidents: [[String: Any]] = checks.flatMap { check in
            check.incidents.map { incident in
                [
                    "check": check.check, "start": timeText(incident.start),
                    "end": incident.end.map(timeText) ?? "ongoing",
                    "duration": durationText(incident.durationSeconds(now: now)) + (incident.duringMaintenance ? " (maintenance)" : ""),
                    "startMs": incident.start,
                ] as [String: Any]
            }
        }.sorted { ($0["startMs"] as? Int64 ?? 0) > ($1["startMs"] as? Int64 ?? 0) }
        let context: [String: Any] = [
            "overall": overall, "overallClass": overallClass, "checks": rows, "incidents": incidents,
            "hasIncidents": !incidents.isEmpty, "updated": timeText(now),
        ]
        guard let compiled else { return "<!DOCTYPE html><title>Status</title><p>The status page template does not parse.</p>" }
        return compiled.render(context)
    }

    /// The template, parsed once (a parse failure is a bug the tests catch).
    nonisolated(unsafe) static let compiled = try? MustacheTemplate(string: template)

    /// `GET /api/pharos/v1/uptime`: `{status, data: [{check, target, up, lastProbe, uptime:
    /// {"24h", "7d", "30d"}, incidents: [{start, end, durationSeconds, failedProbes}]}]}`.
    package static func json(_ checks: [CheckUptime], now: Timestamp) -> [UInt8] {
        let data: [[String: Any]] = checks.map { check in
            [
                "check": check.check, "target": check.target,
                "up": check.up.map { $0 as Any } ?? NSNull(),
                "lastProbe": check.lastProbe.map { timeText($0) as Any } ?? NSNull(),
                "uptime": Dictionary(uniqueKeysWithValues: CheckUptime.windows.map { ($0.name, check.percent[$0.name].map { $0 as Any } ?? NSNull()) }),
                "incidents": check.incidents.map { incident in
                    [
                        "start": timeText(incident.start), "end": incident.end.map { timeText($0) as Any } ?? NSNull(),
                        "durationSeconds": incident.durationSeconds(now: now), "failedProbes": incident.failedProbes,
                        "duringMaintenance": incident.duringMaintenance,
                    ] as [String: Any]
                },
            ]
        }
        let body: [String: Any] = ["status": "success", "data": data]
        return Array((try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])) ?? Data())
    }

    static func percentText(_ value: Double?) -> String {
        guard let value else { return "–" }
        return String(format: "%.3f %%", value)
    }

    static func timeText(_ ms: Timestamp) -> String {
        ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: Double(ms) / 1000))
    }

    static func durationText(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        if s < 60 { return "\(s)s" }
        if s < 3600 { return "\(s / 60)m \(s % 60)s" }
        if s < 86_400 { return "\(s / 3600)h \(s % 3600 / 60)m" }
        return "\(s / 86_400)d \(s % 86_400 / 3600)h"
    }
}
