import Foundation
import PharosConfig
import PharosCore

/// promtool's rule unit-test file (`unitTestFile`), decoded strictly as promtool does.
struct RuleTestFile {
    var ruleFiles: [String] = []
    /// ms; 1m when absent or zero.
    var evaluationInterval: Int64 = 60_000
    var groupEvalOrder: [String] = []
    var fuzzyCompare = false
    var tests: [TestGroup] = []

    struct TestGroup {
        var name = ""
        /// ms; the file's evaluation interval when absent or zero.
        var interval: Int64 = 0
        var inputSeries: [(series: String, values: String)] = []
        var alertTests: [AlertTest] = []
        var exprTests: [ExprTest] = []
        var externalLabels = Labels.empty
        var externalURL = ""
        /// ms since the epoch of evaluation time 0.
        var start: Int64 = 0

        var maxEvalTime: Int64 {
            max(alertTests.map(\.evalTime).max() ?? 0, exprTests.map(\.evalTime).max() ?? 0)
        }
    }

    struct AlertTest {
        var evalTime: Int64
        var alertname: String
        var expAlerts: [(labels: [(String, String)], annotations: [(String, String)])]
    }

    struct ExprTest {
        var expr: String
        var evalTime: Int64
        var expSamples: [(labels: String, value: Double, histogram: String)]
    }

    /// Reads `path`; rule file names are joined to its folder and globbed (promtool's
    /// `resolveAndGlobFilepaths`).
    static func load(path: String) throws(ConfigError) -> RuleTestFile {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigError(.io, file: path, message: "cannot read the test file: \(error.localizedDescription)")
        }
        let directory = (path as NSString).deletingLastPathComponent
        let root = ConfigCursor(root: try YAMLNode.parse(text, file: path), file: path, directory: directory)
        let fields = try root.mapping("main.unitTestFile")
        var file = RuleTestFile()
        for pattern in try fields.stringList("rule_files") ?? [] {
            let joined = pattern.hasPrefix("/") || directory.isEmpty ? pattern : directory + "/" + pattern
            let matches = Glob.paths(matching: joined)
            file.ruleFiles += matches.isEmpty && !joined.contains("*") ? [joined] : matches
        }
        if let interval = try fields.duration("evaluation_interval"), interval.milliseconds > 0 {
            file.evaluationInterval = interval.milliseconds
        }
        file.groupEvalOrder = try fields.stringList("group_eval_order") ?? []
        file.fuzzyCompare = try fields.bool("fuzzy_compare") ?? false
        for item in try fields.take("tests")?.sequence() ?? [] { file.tests.append(try testGroup(item)) }
        try fields.finish()
        return file
    }

    private static func testGroup(_ cursor: ConfigCursor) throws(ConfigError) -> TestGroup {
        let fields = try cursor.mapping("main.testGroup")
        var group = TestGroup()
        group.name = try fields.string("name") ?? ""
        group.interval = try fields.duration("interval")?.milliseconds ?? 0
        for item in try fields.take("input_series")?.sequence() ?? [] {
            let series = try item.mapping("main.series")
            group.inputSeries.append((try series.string("series") ?? "", try series.string("values") ?? ""))
            try series.finish()
        }
        for item in try fields.take("alert_rule_test")?.sequence() ?? [] {
            let test = try item.mapping("main.alertTestCase")
            var alertTest = AlertTest(evalTime: try test.duration("eval_time")?.milliseconds ?? 0,
                                      alertname: try test.string("alertname") ?? "", expAlerts: [])
            for expected in try test.take("exp_alerts")?.sequence() ?? [] {
                let alert = try expected.mapping("main.alert")
                alertTest.expAlerts.append((try alert.take("exp_labels")?.stringPairs() ?? [],
                                            try alert.take("exp_annotations")?.stringPairs() ?? []))
                try alert.finish()
            }
            try test.finish()
            group.alertTests.append(alertTest)
        }
        for item in try fields.take("promql_expr_test")?.sequence() ?? [] {
            let test = try item.mapping("main.promqlTestCase")
            var exprTest = ExprTest(expr: try test.string("expr") ?? "", evalTime: try test.duration("eval_time")?.milliseconds ?? 0,
                                    expSamples: [])
            for expected in try test.take("exp_samples")?.sequence() ?? [] {
                let sample = try expected.mapping("main.sample")
                let valueText = try sample.string("value") ?? "0"
                guard let value = goParseFloat(valueText) else { throw sample.cursor.fail("cannot parse \(goQuote(valueText)) as a float") }
                exprTest.expSamples.append((try sample.string("labels") ?? "", value, try sample.string("histogram") ?? ""))
                try sample.finish()
            }
            try test.finish()
            group.exprTests.append(exprTest)
        }
        group.externalLabels = try fields.take("external_labels")?.labels() ?? .empty
        group.externalURL = try fields.string("external_url") ?? ""
        if let start = fields.take("start_timestamp") {
            let text = try start.string()
            if let seconds = Double(text) {
                group.start = Int64((seconds * 1000).rounded())
            } else if let date = ISO8601DateFormatter().date(from: text) {
                group.start = Int64((date.timeIntervalSince1970 * 1000).rounded())
            } else {
                throw start.fail("cannot parse \(goQuote(text)) as a Unix timestamp or RFC 3339 time")
            }
        }
        try fields.finish()
        return group
    }

    /// YAML floats as Go reads them (`.inf`, `-.Inf`, `.nan`, decimals).
    static func goParseFloat(_ text: String) -> Double? {
        switch text.lowercased() {
        case ".inf", "+.inf", "inf", "+inf": return .infinity
        case "-.inf", "-inf": return -.infinity
        case ".nan", "nan": return .nan
        default: return Double(text.filter { $0 != "_" })
        }
    }
}
