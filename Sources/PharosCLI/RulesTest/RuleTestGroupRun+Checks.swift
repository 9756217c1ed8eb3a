import Foundation
import PharosCore
import PromQL
import PromQLParser
import Rules

/// An alert as a unit test compares it: labels and annotations.
struct LabelsAndAnnotations: Equatable {
    var labels: Labels
    var annotations: Labels

    var text: String { "Labels:" + RuleTestGroupRun.goLabels(labels) + "\nAnnotations:" + RuleTestGroupRun.goLabels(annotations) }

    static func sorted(_ list: [LabelsAndAnnotations]) -> [LabelsAndAnnotations] {
        list.sorted { $0.labels != $1.labels ? $0.labels < $1.labels : $0.annotations < $1.annotations }
    }

    /// promtool's `labelsAndAnnotations.String()`.
    static func text(_ list: [LabelsAndAnnotations]) -> String {
        guard !list.isEmpty else { return "[]" }
        var out = "[\n0:" + RuleTestGroupRun.indent("\n" + list[0].text, "  ")
        for (index, item) in list.dropFirst().enumerated() {
            out += ",\n\(index + 1):" + RuleTestGroupRun.indent("\n" + item.text, "  ")
        }
        return out + "\n]"
    }
}

extension RuleTestGroupRun {
    /// The `alert_rule_test` cases at `evalTime` against the firing alerts of every rule named
    /// as the test's `alertname` (in any group).
    func checkAlerts(at evalTime: Int64, groups: [RuleGroup]) -> [String] {
        let tests = group.alertTests.filter { $0.evalTime == evalTime }
        var got: [String: [LabelsAndAnnotations]] = [:]
        let names = Set(tests.map(\.alertname))
        for ruleGroup in groups {
            for rule in ruleGroup.snapshot().rules {
                guard let alerting = rule.alerting, names.contains(rule.definition.spec.name) else { continue }
                got[rule.definition.spec.name, default: []] += alerting.alerts.filter { $0.state == .firing }
                    .map { LabelsAndAnnotations(labels: $0.labels, annotations: $0.annotations) }
            }
        }
        var errors: [String] = []
        for test in tests {
            let gotAlerts = LabelsAndAnnotations.sorted(got[test.alertname] ?? [])
            let expAlerts = LabelsAndAnnotations.sorted(test.expAlerts.map { expected in
                var labels = Labels(expected.labels.map { Label(name: $0.0, value: $0.1) })
                labels = labels.setting("alertname", to: test.alertname)
                return LabelsAndAnnotations(labels: labels, annotations: Labels(expected.annotations.map { Label(name: $0.0, value: $0.1) }))
            })
            guard expAlerts != gotAlerts else { continue }
            let testName = group.name.isEmpty ? "" : "    name: \(group.name),\n"
            let exp = Self.indent(LabelsAndAnnotations.text(expAlerts), "            ")
            let gotText = Self.indent(LabelsAndAnnotations.text(gotAlerts), "            ")
            errors.append("\(testName)    alertname: \(test.alertname), time: \(PrometheusDuration(milliseconds: test.evalTime)), \n        exp:\(exp), \n        got:\(gotText)")
        }
        return errors
    }

    /// One `promql_expr_test`; nil when it passes.
    func checkExpr(_ test: RuleTestFile.ExprTest, engine: Engine, storage: any Queryable, at time: Timestamp) async -> String? {
        let prefix = "    expr: \(goQuote(test.expr)), time: \(PrometheusDuration(milliseconds: test.evalTime))"
        let got: [RuleSample]
        do {
            let expr = try parseExpr(test.expr)
            got = try await EngineQuerying(engine: engine, storage: storage).query(expr, source: test.expr, at: time)
        } catch let error as RuleError {
            return "\(prefix), err: \(error.message)"
        } catch {
            return "\(prefix), err: \(error)"
        }
        var expected: [RuleSample] = []
        for sample in test.expSamples {
            if !sample.histogram.isEmpty { return "\(prefix), err: native histograms in exp_samples are not supported yet" }
            do {
                expected.append(RuleSample(labels: try Self.parseMetric(sample.labels), value: sample.value))
            } catch {
                return "\(prefix), err: labels \(goQuote(sample.labels)): \(error)"
            }
        }
        let sortedGot = got.sorted { $0.labels < $1.labels }, sortedExp = expected.sorted { $0.labels < $1.labels }
        let equal = sortedGot.count == sortedExp.count && zip(sortedGot, sortedExp).allSatisfy { a, b in
            a.labels == b.labels && Self.sameValue(a.value, b.value, fuzzy: file.fuzzyCompare)
        }
        if equal { return nil }
        return "\(prefix),\n        exp: \(Self.samplesText(sortedExp))\n        got: \(Self.samplesText(sortedGot))"
    }

    static func sameValue(_ a: Double, _ b: Double, fuzzy: Bool) -> Bool {
        if a == b || (a.isNaN && b.isNaN) { return true }
        guard fuzzy, a.isFinite, b.isFinite else { return false }
        return abs(a - b) <= 1e-6 * max(abs(a), abs(b))
    }

    /// Prometheus' `parser.ParseMetric`: `name{a="b"}` or `{…}` to labels; "" is no labels.
    static func parseMetric(_ text: String) throws -> Labels {
        if text.trimmingCharacters(in: .whitespaces).isEmpty { return .empty }
        let matchers = try parseMetricSelector(text)
        return Labels(matchers.map { Label(name: $0.name, value: $0.value) })
    }

    /// promtool's `parsedSamplesString`: `{labels} 1E+00, …` or `nil`.
    static func samplesText(_ samples: [RuleSample]) -> String {
        guard !samples.isEmpty else { return "nil" }
        return samples.map { goLabels($0.labels) + " " + GoFloat.format($0.value, .e).uppercased() }.joined(separator: ", ")
    }

    /// Prometheus' `Labels.String()`: `{__name__="x", a="b"}` (the name inside the braces).
    static func goLabels(_ labels: Labels) -> String {
        "{" + labels.map { "\($0.name)=\(goQuote($0.value))" }.joined(separator: ", ") + "}"
    }

    /// promtool's `indentLines`: every line but the first gets `indent`.
    static func indent(_ text: String, _ indent: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
            .map { $0.offset == 0 ? String($0.element) : indent + $0.element }.joined(separator: "\n")
    }

    /// Go's `time.Duration.String` for ms: `0s`, `1m30s`, `5m0s`, `1h0m0s`, `1.5s`, `500ms`.
    static func goDuration(_ ms: Int64) -> String {
        if ms == 0 { return "0s" }
        let sign = ms < 0 ? "-" : ""
        let total = abs(ms)
        if total < 1000 { return sign + "\(total)ms" }
        let hours = total / 3_600_000, minutes = total / 60_000 % 60, millis = total % 60_000
        var seconds = "\(millis / 1000)"
        if millis % 1000 != 0 {
            var fraction = String(millis % 1000)
            fraction = String(repeating: "0", count: 3 - fraction.count) + fraction
            while fraction.hasSuffix("0") { fraction.removeLast() }
            seconds += "." + fraction
        }
        if hours > 0 { return sign + "\(hours)h\(minutes)m\(seconds)s" }
        if minutes > 0 { return sign + "\(minutes)m\(seconds)s" }
        return sign + seconds + "s"
    }
}
