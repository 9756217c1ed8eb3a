import Foundation
import PharosCLI
import PharosConfig
import PharosTestSupport
import Rules
import SLO
import Testing

/// `slos:` decoding, the generated rules (loaded by Pharos' rule parser and by promtool), and the
/// SRE workbook's burn-rate alerts driven by synthetic error rates through both `pharos test
/// rules` and `promtool test rules`.
@Suite(.timeLimit(.minutes(5)))
struct SLOTests {
    static func specs(_ yaml: String) throws(ConfigError) -> [SLOSpec] {
        try SLOSpec.all(in: try parseConfig(yaml, filename: "pharos.yml"))
    }

    @Test func decodesEachIndicatorWithDefaults() throws {
        let specs = try Self.specs("""
            slos:
              - service: checkout
                name: availability
                objective: 99.5
                window: 28d
                sli: {ratio: {errors: 'http_requests_total{job="checkout",code=~"5.."}', total: 'http_requests_total{job="checkout"}'}}
                labels: {team: payments}
              - service: checkout
                name: latency
                objective: 99
                sli: {latency: {histogram: 'http_request_duration_seconds_bucket{job="checkout"}', threshold: 1}}
              - service: api
                name: up
                objective: 99.9
                sli: {check: api}
              - service: api
                name: good
                objective: 95
                sli: {ratio: {good: 'jobs_ok_total', total: 'jobs_total'}}
            """)
        #expect(specs.count == 4)
        #expect(specs[0].windowName == "28d")
        #expect(specs[0].errorBudget == 0.005)
        #expect(specs[0].labels == ["team": "payments"])
        #expect(specs[1].windowName == "30d")
        #expect(specs[1].indicator == .latency(histogram: #"http_request_duration_seconds_bucket{job="checkout"}"#, threshold: 1))
        #expect(specs[2].indicator == .check("api"))
        #expect(specs[2].errorBudget == 0.001)
        #expect(specs[3].indicator == .good(good: "jobs_ok_total", total: "jobs_total"))
    }

    static let broken: [(String, String)] = [
        ("- {name: a, objective: 99, sli: {check: x}}", "missing service"),
        ("- {service: s, name: a, sli: {check: x}}", "missing objective"),
        ("- {service: s, name: a, objective: 100, sli: {check: x}}", "objective must be a percentage between 0 and 100"),
        ("- {service: s, name: a, objective: high, sli: {check: x}}", #"got "high""#),
        ("- {service: s, name: a, objective: 99, window: 1d, sli: {check: x}}", "window must be at least 3d"),
        ("- {service: s, name: a, objective: 99}", "missing sli"),
        ("- {service: s, name: a, objective: 99, sli: {check: x, latency: {histogram: h_bucket, threshold: 1}}}", "exactly one of ratio, latency, check"),
        ("- {service: s, name: a, objective: 99, sli: {ratio: {errors: 'rate(e[5m])', total: t}}}", "is not a series selector"),
        ("- {service: s, name: a, objective: 99, sli: {ratio: {errors: 'e{', total: t}}}", "invalid selector"),
        ("- {service: s, name: a, objective: 99, sli: {ratio: {errors: e, good: g, total: t}}}", "exactly one of errors, good"),
        ("- {service: s, name: a, objective: 99, sli: {ratio: {errors: e}}}", "missing total"),
        ("- {service: s, name: a, objective: 99, sli: {latency: {histogram: h_bucket, threshold: -1}}}", "threshold must be a positive number"),
        ("- {service: s, name: a, objective: 99, sli: {check: x}, labels: {severity: low}}", "label severity is set by Pharos"),
        ("- {service: s, name: a, objective: 99, sli: {check: x}, windw: 7d}", "field windw not found"),
        ("- {service: s, name: a, objective: 99, sli: {check: x}}\n  - {service: s, name: a, objective: 98, sli: {check: y}}", "duplicate SLO \"a\" of service \"s\""),
    ]

    @Test(arguments: broken) func brokenConfigsAreRefusedNamingTheKey(_ yaml: String, _ message: String) {
        do {
            _ = try Self.specs("slos:\n  " + yaml + "\n")
            Issue.record("accepted: \(yaml)")
        } catch {
            #expect(error.description.contains(message), "\(error)")
            #expect(error.description.hasPrefix("pharos.yml:"), "\(error)")
        }
    }

    @Test func latencyIndicatorMatchesBothSpellingsOfTheBucket() throws {
        let spec = try Self.specs("""
            slos:
              - {service: s, name: l, objective: 99, sli: {latency: {histogram: 'h_bucket{job="x"}', threshold: 1}}}
              - {service: s, name: m, objective: 99, sli: {latency: {histogram: 'h_bucket', threshold: 0.25}}}
            """)
        let file = SLORules.ruleFile(for: spec)
        #expect(file.contains(#"h_bucket{job=\"x\",le=~\"1|1\\\\.0\"}[5m]"#), "\(file)")
        #expect(file.contains(#"h_bucket{job=\"x\",le=\"+Inf\"}[5m]"#), "\(file)")
        #expect(file.contains(#"h_bucket{le=~\"0\\\\.25\"}[5m]"#), "\(file)")
    }

    @Test func budgetMath() throws {
        let spec = try #require(try Self.specs("slos:\n  - {service: s, name: a, objective: 99.9, window: 30d, sli: {check: x}}\n").first)
        // A quarter of the budget spent, burning at 2x over the last hour.
        let status = SLOStatus(spec: spec, errorRatios: ["30d": 0.00025, "1h": 0.002, "5m": 0.004], now: 1_000_000)
        #expect(abs(try #require(status.errorBudgetRemaining) - 0.75) < 1e-9)
        #expect(abs(try #require(status.sli) - 0.99975) < 1e-12)
        #expect(abs(try #require(status.burnRates["1h"]) - 2) < 1e-9)
        #expect(abs(try #require(status.burnRates["5m"]) - 4) < 1e-9)
        #expect(status.burnRates["6h"] == nil)
        // 75 % of a 30-day budget at 2x lasts 0.75 * 30d / 2 = 11.25 days.
        #expect(abs(try #require(status.budgetExhaustedAt) - (1_000_000 + 11.25 * 86_400)) < 1e-3)
        let spent = SLOStatus(spec: spec, errorRatios: ["30d": 0.002], now: 5)
        #expect(spent.budgetExhaustedAt == 5)
        #expect(SLOStatus(spec: spec, errorRatios: [:], now: 5).errorBudgetRemaining == nil)
    }

    // MARK: - The workbook's alerts, through both rule-test runners

    /// Five services at constant error ratios of 20x, 8x, 4x, 1.5x and 0.5x a 99.9 % budget; `a`
    /// stops erring at 60m. Total traffic 1000 requests a minute everywhere.
    static let config = """
        slos:
        \(["a", "b", "c", "d", "e"].map { job in """
          - service: \(job)
            name: availability
            objective: 99.9
            sli: {ratio: {errors: 'http_requests_total{job="\(job)",code="500"}', total: 'http_requests_total{job="\(job)"}'}}
            labels: {team: t}
        """ }.joined(separator: "\n"))
        """

    static let series = """
              - {series: 'http_requests_total{job="a",code="500"}', values: '0+20x60 1200+0x60'}
              - {series: 'http_requests_total{job="a",code="200"}', values: '0+980x60 58800+1000x60'}
              - {series: 'http_requests_total{job="b",code="500"}', values: '0+8x120'}
              - {series: 'http_requests_total{job="b",code="200"}', values: '0+992x120'}
              - {series: 'http_requests_total{job="c",code="500"}', values: '0+4x120'}
              - {series: 'http_requests_total{job="c",code="200"}', values: '0+996x120'}
              - {series: 'http_requests_total{job="d",code="500"}', values: '0+1.5x120'}
              - {series: 'http_requests_total{job="d",code="200"}', values: '0+998.5x120'}
              - {series: 'http_requests_total{job="e",code="500"}', values: '0+0.5x120'}
              - {series: 'http_requests_total{job="e",code="200"}', values: '0+999.5x120'}
        """

    /// Which of the workbook's alerts each service has, written out (long/short window).
    static let expected: [(time: String, firing: [String: [String]])] = [
        ("10m", ["a": ["1h/5m", "6h/30m", "1d/2h", "3d/6h"], "b": ["6h/30m", "1d/2h", "3d/6h"], "c": ["1d/2h", "3d/6h"], "d": ["3d/6h"]]),
        // a stopped at 60m: its 5m window is clean, its 30m window not yet.
        ("70m", ["a": ["6h/30m", "1d/2h", "3d/6h"], "b": ["6h/30m", "1d/2h", "3d/6h"], "c": ["1d/2h", "3d/6h"], "d": ["3d/6h"]]),
        ("100m", ["a": ["1d/2h", "3d/6h"], "b": ["6h/30m", "1d/2h", "3d/6h"], "c": ["1d/2h", "3d/6h"], "d": ["3d/6h"]]),
    ]

    static func alertYAML(service: String, windows: String) -> String {
        let parts = windows.split(separator: "/").map(String.init)
        let burn = try! #require(SLORules.burnAlerts.first { $0.longWindow == parts[0] && $0.shortWindow == parts[1] })
        let factor = SLORules.number(burn.factor)
        return """
                  - exp_labels: {severity: \(burn.severity), long_window: \(parts[0]), short_window: \(parts[1]), slo_service: \(service), slo_name: availability, team: t}
                    exp_annotations:
                      summary: "\(service) availability burns its error budget \(factor)x too fast"
                      description: "The error ratio over \(parts[0]) and \(parts[1]) is above \(factor) times the error budget of 99.9% over 30d: at this rate it consumes \(burn.consumes)."
        """
    }

    static var testFile: String {
        var out = """
            rule_files: [slos.yml]
            evaluation_interval: 1m
            tests:
              - interval: 1m
                input_series:
            \(series)
                alert_rule_test:

            """
        for (time, firing) in expected {
            let alerts = firing.keys.sorted().flatMap { service in firing[service]!.map { alertYAML(service: service, windows: $0) } }
            out += "      - eval_time: \(time)\n        alertname: ErrorBudgetBurn\n        exp_alerts:\n" + alerts.joined(separator: "\n") + "\n"
        }
        out += """
                promql_expr_test:
                  - expr: slo:objective:ratio{slo_service="a"}
                    eval_time: 10m
                    exp_samples: [{labels: 'slo:objective:ratio{slo_service="a",slo_name="availability",team="t"}', value: 0.999}]
                  - expr: slo:error_budget:ratio{slo_service="e"}
                    eval_time: 10m
                    exp_samples: [{labels: 'slo:error_budget:ratio{slo_service="e",slo_name="availability",team="t"}', value: 0.001}]
                  - expr: slo:sli_error:ratio_rate5m{slo_service="a"}
                    eval_time: 70m
                    exp_samples: [{labels: 'slo:sli_error:ratio_rate5m{slo_service="a",slo_name="availability",team="t"}', value: 0}]

            """
        return out
    }

    @Test func burnRateAlertsFireAndResolveAsTheWorkbookSaysInPharosAndPromtool() async throws {
        let directory = try TemporaryDirectory(prefix: "pharos-slo")
        defer { directory.remove() }
        let configPath = directory.path + "/pharos.yml"
        try Self.config.write(toFile: configPath, atomically: true, encoding: .utf8)
        let generated = SLORulesCommand.run(configFile: configPath)
        #expect(generated.exitCode == 0, "\(generated.standardError)")
        try generated.standardOutput.write(toFile: directory.path + "/slos.yml", atomically: true, encoding: .utf8)
        try Self.testFile.write(toFile: directory.path + "/slos_test.yml", atomically: true, encoding: .utf8)

        let check = try Peers.run(Peers.promtool, ["check", "rules", directory.path + "/slos.yml"])
        #expect(check.status == 0, "\(check.output)")
        #expect(check.output.contains("SUCCESS: 75 rules found"), "\(check.output)")

        let promtool = try Peers.run(Peers.promtool, ["test", "rules", directory.path + "/slos_test.yml"], timeout: .seconds(120))
        #expect(promtool.status == 0, "promtool:\n\(promtool.output)")
        let pharos = await RulesUnitTester.run(files: [directory.path + "/slos_test.yml"])
        #expect(pharos.exitCode == 0, "pharos:\n\(pharos.standardOutput)\(pharos.standardError)")
    }

    @Test func noSLOsGenerateAnEmptyRuleFileAndBadOnesFailTheCommand() throws {
        let directory = try TemporaryDirectory(prefix: "pharos-slo")
        defer { directory.remove() }
        let path = directory.path + "/pharos.yml"
        try "global: {}\n".write(toFile: path, atomically: true, encoding: .utf8)
        let empty = SLORulesCommand.run(configFile: path)
        #expect(empty.exitCode == 0)
        #expect(empty.standardOutput.hasSuffix("groups: []\n"))
        try "slos:\n  - {service: s, name: a, objective: 99}\n".write(toFile: path, atomically: true, encoding: .utf8)
        let bad = SLORulesCommand.run(configFile: path)
        #expect(bad.exitCode == 1)
        #expect(bad.standardError.contains("missing sli"), "\(bad.standardError)")
    }
}
