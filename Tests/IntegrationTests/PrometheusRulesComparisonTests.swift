import Foundation
import PharosTestSupport
import Testing

/// Pharos and a real Prometheus 2.42 load the same rule file (rules over constant data, so
/// both see the same values; no group `labels`, which 2.42 does not know) and evaluate it every
/// second; `/api/v1/rules` (with its filters)
/// and `/api/v1/alerts` must match field by field, apart from evaluation times and `activeAt`.
@Suite(.serialized, .timeLimit(.minutes(5))) struct PrometheusRulesComparisonTests {
    static let rules = """
    groups:
      - name: constant
        interval: 1s
        rules:
          - record: job:const:value
            expr: vector(1)
            labels: {source: rule}
          - record: const_sum
            expr: sum(vector(2))
          - alert: AlwaysFiring
            expr: vector(1) > 0
            labels: {severity: page}
            annotations: {summary: "Always firing", runbook_url: "http://runbooks/always"}
          - alert: StaysPending
            expr: vector(3)
            for: 1h
            keep_firing_for: 5m
          - alert: NeverFires
            expr: vector(0) > 1
      - name: errors
        interval: 1s
        limit: 1
        rules:
          - record: bad
            expr: vector(1) or label_replace(vector(2), "a", "b", "", "")
          - record: dup
            expr: vector(1) or label_replace(vector(2), "a", "b", "", "")
            labels: {a: b}
    """

    static func normalized(_ body: String) throws -> Any {
        func walk(_ value: Any) -> Any {
            if var object = value as? [String: Any] {
                for key in ["lastEvaluation", "evaluationTime", "activeAt"] where object[key] != nil { object[key] = "<masked>" }
                for (key, inner) in object { object[key] = walk(inner) }
                return object
            }
            if let array = value as? [Any] { return array.map(walk) }
            return value
        }
        return walk(try JSONSerialization.jsonObject(with: Data(body.utf8)))
    }

    /// `data.groups` without the groups that have no rules.
    static func withoutEmptyGroups(_ value: Any) -> Any {
        filtered(value) { _, _, _ in true }
    }

    /// `data.groups` with only the rules `keep` accepts, empty groups left out.
    static func filtered(_ value: Any, _ keep: (_ group: String, _ file: String, _ rule: String) -> Bool) -> Any {
        guard var root = value as? [String: Any], var data = root["data"] as? [String: Any],
              let groups = data["groups"] as? [[String: Any]] else { return value }
        data["groups"] = groups.compactMap { group -> [String: Any]? in
            var group = group
            let name = group["name"] as? String ?? "", file = group["file"] as? String ?? ""
            let rules = (group["rules"] as? [[String: Any]] ?? []).filter { keep(name, file, $0["name"] as? String ?? "") }
            group["rules"] = rules
            return rules.isEmpty ? nil : group
        }
        root["data"] = data
        return root
    }

    static func pretty(_ value: Any) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .prettyPrinted])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    @Test
    func rulesAndAlertsAnswerAsPrometheus() async throws {
        try await withTemporaryDirectory { folder in
            let ruleFile = folder + "/rules.yml"
            try Self.rules.write(toFile: ruleFile, atomically: true, encoding: .utf8)
            let config = "global:\n  evaluation_interval: 1s\nrule_files: [\"\(ruleFile)\"]\n"
            try config.write(toFile: folder + "/pharos.yml", atomically: true, encoding: .utf8)
            let pharos = try await PharosSubprocess(dataPath: folder + "/pharos-data", logPath: folder + "/pharos.log",
                                                    extraArguments: ["--config.file=\(folder)/pharos.yml"])
            defer { pharos.stop() }
            let prometheus = try await PrometheusPeer.start(folder: folder, config: config)
            defer { prometheus.stop() }
            // Wait until both evaluated every group at least twice.
            for client in [pharos.client, prometheus.client] {
                var ready = false
                for _ in 0..<80 where !ready {
                    let body = try await client.get("/api/v1/query?query=count_over_time(const_sum%5B1m%5D)%3E%3D3").body
                    ready = body.contains(#""result":[{"#)
                    if !ready { try await Task.sleep(for: .milliseconds(250)) }
                }
                try #require(ready, "rules never evaluated 3 times\n\(pharos.log)\n\(prometheus.log)")
            }
            // Prometheus 3 leaves out groups whose rules are all filtered out; 2.42 lists them empty.
            for path in ["/api/v1/rules", "/api/v1/alerts", "/api/v1/rules?type=alert", "/api/v1/rules?type=record",
                         "/api/v1/rules?type=bogus"] {
                let ours = try await pharos.client.get(path), theirs = try await prometheus.client.get(path)
                #expect(ours.status == theirs.status, "\(path)")
                let a = Self.pretty(try Self.normalized(ours.body))
                let b = Self.pretty(Self.withoutEmptyGroups(try Self.normalized(theirs.body)))
                #expect(a == b, "\(path)\npharos:\n\(a)\nprometheus:\n\(b)")
            }
            // 2.42 has no rule_name[], rule_group[], file[] filters: compare with its full answer, filtered here.
            let full = try Self.normalized(try await prometheus.client.get("/api/v1/rules").body)
            let filters: [(String, (_ group: String, _ file: String, _ rule: String) -> Bool)] = [
                ("rule_name%5B%5D=AlwaysFiring&rule_name%5B%5D=bad", { _, _, rule in rule == "AlwaysFiring" || rule == "bad" }),
                ("rule_group%5B%5D=errors", { group, _, _ in group == "errors" }),
                ("file%5B%5D=nope", { _, _, _ in false }),
                ("file%5B%5D=" + ruleFile.addingPercentEncoding(withAllowedCharacters: .alphanumerics)! + "&type=record",
                 { _, file, rule in file == ruleFile && !["AlwaysFiring", "StaysPending", "NeverFires"].contains(rule) }),
            ]
            for (query, keep) in filters {
                let ours = try await pharos.client.get("/api/v1/rules?" + query)
                let a = Self.pretty(try Self.normalized(ours.body)), b = Self.pretty(Self.filtered(full, keep))
                #expect(a == b, "\(query)\npharos:\n\(a)\nexpected:\n\(b)")
            }
            // Self-monitoring under Prometheus' names.
            let metrics = try await pharos.client.get("/metrics").body
            for name in ["prometheus_rule_group_rules{rule_group=\"\(ruleFile);constant\"} 5",
                         "prometheus_rule_evaluation_failures_total{rule_group=\"\(ruleFile);errors\"}",
                         "prometheus_rule_group_interval_seconds{rule_group=\"\(ruleFile);errors\"} 1",
                         "prometheus_rule_group_last_evaluation_timestamp_seconds", "prometheus_rule_evaluation_duration_seconds"] {
                #expect(metrics.contains(name), "\(name) missing from /metrics")
            }
            // The same ALERTS series.
            for query in ["ALERTS", "ALERTS_FOR_STATE > 0", "job:const:value", "count(ALERTS_FOR_STATE)"] {
                let ours = try await pharos.query(query, at: Date().timeIntervalSince1970)
                let theirs = try await prometheus.client.query(query, at: Date().timeIntervalSince1970)
                #expect(Set(ours.series.keys) == Set(theirs.series.keys), "\(query): \(ours) vs \(theirs)")
            }
            // A reload picks up a new group and drops a removed one.
            try "groups:\n  - name: added\n    rules:\n      - record: added_rule\n        expr: vector(5)\n"
                .write(toFile: ruleFile, atomically: true, encoding: .utf8)
            #expect(try await pharos.client.postForm("/-/reload", "").status == 200)
            let reloaded = try await pharos.client.get("/api/v1/rules").body
            #expect(reloaded.contains(#""name":"added""#) && !reloaded.contains(#""name":"constant""#), "\(reloaded)")
        }
    }
}
