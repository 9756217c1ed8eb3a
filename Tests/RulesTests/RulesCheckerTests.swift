import Foundation
import PharosCLI
import PharosCore
import PharosTestSupport
import Rules
import Testing

/// `pharos check rules` against promtool's output and verdicts on the conformance rule files.
struct RulesCheckerTests {
    static let folder = Conformance.path("rules")

    /// Files where Pharos (Prometheus 3 semantics) and Debian's promtool 2.42 disagree on
    /// purpose: UTF-8 names (2.42 validates legacy names), experimental PromQL that 2.42 does not
    /// parse.
    static let knownDifferences: Set<String> = [
        "features.yml", "rulefmt/legacy_validation_annotation.bad.yaml", "rulefmt/utf-8_annotation.good.yaml",
        "rulefmt/utf-8_lname.good.yaml",
    ]

    static var files: [String] {
        let top = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        let rulefmt = (try? FileManager.default.contentsOfDirectory(atPath: folder + "/rulefmt")) ?? []
        return (top.filter { $0.hasSuffix(".yml") } + rulefmt.map { "rulefmt/" + $0 }).sorted()
    }

    @Test
    func sameVerdictAsPromtool() throws {
        var compared = 0
        for file in Self.files where !Self.knownDifferences.contains(file) {
            let path = Self.folder + "/" + file
            let ours = RulesChecker.check(files: [path])
            let theirs = try Peers.run(Peers.promtool, ["check", "rules", path])
            #expect(ours.exitCode == theirs.status, "\(file): pharos \(ours.exitCode), promtool \(theirs.status)\n\(theirs.output)")
            compared += 1
        }
        #expect(compared >= 30)
    }

    /// A template that does not parse is refused with Go's message, word for word as promtool.
    @Test func templateParseErrorIsPromtools() throws {
        let path = Self.folder + "/rules-bad.yml"
        let ours = RulesChecker.check(files: [path])
        let theirs = try Peers.run(Peers.promtool, ["check", "rules", path])
        let message = "\(path): group \"alerts\", rule 1, \"InstanceDown\": annotation \"summary\": "
            + "template: __alert_InstanceDown:1: undefined variable \"$label\""
        #expect(ours.exitCode == 1 && theirs.status == 1)
        #expect(ours.standardError.contains(message))
        #expect(theirs.output.contains(message))
    }

    @Test func legacyNamesMatchPromtool242() {
        for file in ["rulefmt/legacy_validation_annotation.bad.yaml", "rulefmt/utf-8_annotation.good.yaml", "rulefmt/utf-8_lname.good.yaml"] {
            let output = RulesChecker.check(files: [Self.folder + "/" + file], parser: RuleFileParser(validation: .legacy))
            #expect(output.exitCode == 1, "\(file)")
        }
    }

    @Test func outputLinesAreAsPromtool() {
        let path = Self.folder + "/rules.yml"
        let output = RulesChecker.check(files: [path])
        #expect(output.text == "Checking \(path)\n  SUCCESS: 5 rules found\n\n")
        #expect(output.exitCode == 0)
    }

    @Test func duplicateRulesLintAndFatal() {
        let path = Self.folder + "/rules_duplicates.yml"
        let output = RulesChecker.check(files: [path])
        #expect(output.exitCode == 0)
        #expect(output.text == """
        Checking \(path)
          FAILED:
        lint error 1 duplicate rule(s) found.
        Metric: job:test:count_over_time1m
        Label(s):
        Might cause inconsistency while recording expressions


        """)
        #expect(RulesChecker.check(files: [path], lint: .init("duplicate-rules", fatal: true)).exitCode == 3)
        #expect(RulesChecker.check(files: [path], lint: .init("none", fatal: true)).text.contains("SUCCESS: 5 rules found"))
    }
}

extension CommandOutput {
    /// Both streams interleaved, as a terminal shows them.
    var text: String { chunks.map(\.text).joined() }
}
