import Foundation
import PharosCLI
import PharosTestSupport
import Testing

/// `pharos test rules` on promtool's own unit-test fixtures, against promtool's verdicts.
struct RulesUnitTesterTests {
    static let folder = Conformance.path("rules")

    static let testFiles = [
        "at-modifier-test.yml", "bad-input-series.yml", "bad-promql.yml", "bad-rules-error-test.yml",
        "bad-rules-syntax-test.yml", "failing.yml", "long-period.yml", "negative-offset-test.yml",
        "no-test-group-interval.yml", "rules_run.yml", "rules_run_extrafields.yml", "rules_run_fuzzy.yml",
        "rules_run_no_fuzzy.yml", "start-time-test.yml", "unittest.yml",
    ]

    /// Prometheus 3 verdicts (the fixtures' own release), where Debian's promtool 2.42 is older:
    /// `fuzzy_compare`, `start_timestamp` and a test group without `interval` are 3.x features.
    static let prometheus3Verdicts: [String: Int32] = [
        "rules_run_fuzzy.yml": 0, "start-time-test.yml": 0, "no-test-group-interval.yml": 0,
    ]

    /// Needs native histograms in input series, which Pharos does not store yet (promtool 2.42
    /// fails it too, but because its format predates them): not a comparison worth counting.
    static let pendingMerge: Set<String> = ["unittest.yml"]

    @Test
    func sameVerdictAsPromtool() async throws {
        for file in Self.testFiles where !Self.pendingMerge.contains(file) {
            let path = Self.folder + "/" + file
            let ours = await RulesUnitTester.run(files: [path])
            let expected = try Self.prometheus3Verdicts[file] ?? Peers.run(Peers.promtool, ["test", "rules", path]).status
            #expect(ours.exitCode == expected, "\(file)\n\(ours.chunks.map(\.text).joined())")
        }
    }

    @Test func failureOutputIsPromtools() async {
        let path = Self.folder + "/rules_run.yml"
        let output = await RulesUnitTester.run(files: [path])
        #expect(output.chunks.map(\.text).joined() == """
        Unit Testing:  \(path)
          FAILED:
            expr: "test", time: 0s,
                exp: {__name__="test"} 1E+00
                got: {__name__="test"} 0E+00



        """)
        #expect(output.exitCode == 1)
    }

    @Test func runSelectsTestGroups() async {
        let path = Self.folder + "/rules_run.yml"
        #expect(await RulesUnitTester.run(files: [path], run: ["correct"]).exitCode == 0)
        #expect(await RulesUnitTester.run(files: [path], run: ["wrong"]).exitCode == 1)
    }

    @Test func evaluationErrorStopsTheGroup() async {
        let output = await RulesUnitTester.run(files: [Self.folder + "/bad-rules-error-test.yml"])
        #expect(output.standardError.contains("    rule: joined, time: 0s, err: found duplicate series for the match group"))
    }
}
