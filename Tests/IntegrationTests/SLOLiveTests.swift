import Foundation
import NIOHTTP1
import PharosTestSupport
import Testing

/// The `pharos` binary with an `slos:` section: the generated group is evaluated by the rule
/// manager and listed in `/api/v1/rules`, `/api/pharos/v1/slos` reports the SLO, a reload with a
/// second SLO adds its group, and `pharos check config` refuses a broken SLO naming its key.
@Suite(.serialized, .timeLimit(.minutes(5))) struct SLOLiveTests {
    static func config(_ slos: [String]) -> String {
        """
        global: {evaluation_interval: 1s}
        slos:
        \(slos.map { "  - {service: \($0), name: availability, objective: 99.5, window: 7d, sli: {ratio: {errors: 'prometheus_http_requests_total{code=~\"5..\"}', total: prometheus_http_requests_total}}}" }.joined(separator: "\n"))
        """
    }

    @Test func generatedRulesRunAndTheStatusAPIReportsThem() async throws {
        try await withTemporaryDirectory { folder in
            let file = folder + "/pharos.yml"
            try Self.config(["checkout"]).write(toFile: file, atomically: true, encoding: .utf8)
            let check = try Peers.run(try Peers.pharos(), ["check", "config", file])
            #expect(check.status == 0, "\(check.output)")
            let pharos = try await PharosSubprocess(dataPath: folder + "/data", logPath: folder + "/pharos.log",
                                                    extraArguments: ["--config.file=\(file)"])
            defer { pharos.stop() }

            var rules = ""
            for _ in 0..<40 {
                rules = try await pharos.client.get("/api/v1/rules").body
                if rules.contains(#""lastEvaluation":"20"#) { break }
                try await Task.sleep(for: .milliseconds(250))
            }
            #expect(rules.contains(#""name":"slo-checkout-availability","file":"pharos-slos.yml""#), "\(rules)")
            #expect(rules.contains(#""name":"ErrorBudgetBurn""#), "\(rules)")
            #expect(!rules.contains(#""health":"err""#), "\(rules)")

            let slos = try await pharos.client.get("/api/pharos/v1/slos")
            #expect(slos.status == 200)
            let body = try JSONSerialization.jsonObject(with: Data(slos.body.utf8)) as? [String: Any]
            let entry = (body?["data"] as? [[String: Any]])?.first
            #expect(entry?["service"] as? String == "checkout")
            #expect(entry?["window"] as? String == "7d")
            #expect(entry?["errorBudget"] as? Double == 0.005)
            #expect((entry?["burnRates"] as? [String: Any])?.keys.sorted() == ["1d", "1h", "2h", "30m", "3d", "5m", "6h"])

            try Self.config(["checkout", "search"]).write(toFile: file, atomically: true, encoding: .utf8)
            let reload = try await pharos.client.send(.POST, "/-/reload", body: nil)
            #expect(reload.status == 200, "\(reload.body)")
            let after = try await pharos.client.get("/api/v1/rules").body
            #expect(after.contains(#""name":"slo-search-availability""#), "\(after)")
        }
    }

    @Test func checkConfigRefusesABrokenSLO() async throws {
        try await withTemporaryDirectory { folder in
            let file = folder + "/pharos.yml"
            try "slos:\n  - {service: s, name: a, objective: 99.5, sli: {ratio: {errors: 'rate(x[5m])', total: y}}}\n"
                .write(toFile: file, atomically: true, encoding: .utf8)
            let check = try Peers.run(try Peers.pharos(), ["check", "config", file])
            #expect(check.status == 1)
            #expect(check.output.contains("pharos.yml:2:") && check.output.contains("is not a series selector"), "\(check.output)")
        }
    }

    @Test func checkConfigRefusesAnUnknownReadinessCheckAndABadModule() async throws {
        try await withTemporaryDirectory { folder in
            let file = folder + "/pharos.yml"
            let probes = "probes:\n  modules: {web: {prober: http}}\n  checks: [{name: api, target: 'http://127.0.0.1:1/', module: web}]\n"
            try (probes + "health: {readiness_checks: [api]}\n").write(toFile: file, atomically: true, encoding: .utf8)
            let good = try Peers.run(try Peers.pharos(), ["check", "config", file])
            #expect(good.status == 0, "\(good.output)")
            try (probes + "health: {readiness_checks: [db]}\n").write(toFile: file, atomically: true, encoding: .utf8)
            let unknown = try Peers.run(try Peers.pharos(), ["check", "config", file])
            #expect(unknown.status == 1)
            #expect(unknown.output.contains("pharos.yml:4:") && unknown.output.contains("unknown check \"db\""), "\(unknown.output)")
            try "probes:\n  modules: {web: {prober: htp}}\n".write(toFile: file, atomically: true, encoding: .utf8)
            let module = try Peers.run(try Peers.pharos(), ["check", "config", file])
            #expect(module.status == 1)
            #expect(module.output.contains("pharos.yml:2:"), "\(module.output)")
        }
    }
}
