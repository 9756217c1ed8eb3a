import Foundation
import PharosCore
import PharosTestSupport
import Rules
import Testing

/// rulefmt's own fixtures (`../shared/conformance/rules/rulefmt`): the good ones load, the bad
/// ones are refused with the message Prometheus' `rulefmt_test.go` expects.
struct RuleFileParserTests {
    static let folder = Conformance.path("rules/rulefmt")

    static let badCases: [(file: String, message: String)] = [
        ("bad_expr.bad.yaml", "5:15: group \"yolo\", rule 1, \"yolo\": could not parse expression: 1:6: parse error: expected type range vector in call to function \"rate\", got instant vector"),
        ("bad_field.bad.yaml", "field annotation not found in type rulefmt.RuleNode"),
        ("duplicate_grp.bad.yaml", "3:5: groupname: \"yolo\" is repeated in the same file"),
        ("invalid_label_name.bad.yaml", "group \"yolo\", rule 1, \"hola\": invalid label name: __name__"),
        ("invalid_record_name.bad.yaml", "4:17: group \"yolo\", rule 1, \"strawberry{flavor=\\\"sweet\\\"}\": braces present in the recording rule name; should it be in expr?: strawberry{flavor=\"sweet\"}"),
        ("no_rec_alert.bad.yaml", "group \"yolo\", rule 1, \"\": one of 'record' or 'alert' must be set"),
        ("noexpr.bad.yaml", "group \"yolo\", rule 1, \"ylo\": field 'expr' must be set in rule"),
        ("record_and_alert.bad.yaml", "4:17: group \"yolo\", rule 1, \"Hello\": only one of 'record' and 'alert' must be set"),
        ("record_and_for.bad.yaml", "4:17: group \"yolo\", rule 1, \"Hello\": invalid field 'for' in recording rule"),
        ("record_and_keep_firing_for.bad.yaml", "4:17: group \"yolo\", rule 1, \"Hello\": invalid field 'keep_firing_for' in recording rule"),
    ]

    @Test(arguments: badCases)
    func badFileIsRefused(_ testCase: (file: String, message: String)) throws {
        let path = Self.folder + "/" + testCase.file
        let error = #expect(throws: RuleFileErrors.self) { try RuleFileParser().load(path: path) }
        let lines = error?.errors.map(\.description) ?? []
        #expect(lines.contains { $0.hasPrefix(path) && $0.contains(testCase.message) }, "\(lines)")
    }

    @Test func legacyNamesRefuseUTF8Annotations() throws {
        let path = Self.folder + "/legacy_validation_annotation.bad.yaml"
        let error = #expect(throws: RuleFileErrors.self) { try RuleFileParser(validation: .legacy).load(path: path) }
        #expect(error?.description == "\(path): group \"yolo\", rule 1, \"hola\": invalid annotation name: ins-tance")
        #expect(throws: Never.self) { try RuleFileParser().load(path: path) }
    }

    @Test(arguments: ["legacy_validation_annotation.good.yaml", "utf-8_annotation.good.yaml", "utf-8_lname.good.yaml",
                      "test.yaml", "test_aliases.yaml"])
    func goodFileLoads(_ file: String) throws {
        let rules = try RuleFileParser().load(path: Self.folder + "/" + file)
        #expect(rules.ruleCount > 0)
    }

    @Test func modelKeepsEveryField() throws {
        let text = """
        groups:
          - name: api
            interval: 30s
            query_offset: 1m
            limit: 10
            labels: {team: payments}
            rules:
              - record: job:up:sum
                expr: sum by (job) (up)
                labels: {tier: "1"}
              - alert: Down
                expr: up == 0
                for: 5m
                keep_firing_for: 10m
                labels: {severity: page}
                annotations: {summary: "it is down"}
        """
        let file = try RuleFileParser().parse(text, file: "api.yml")
        let group = try #require(file.groups.first)
        #expect(group.name == "api" && group.interval?.milliseconds == 30_000 && group.queryOffset?.milliseconds == 60_000)
        #expect(group.limit == 10 && group.labels == Labels(["team": "payments"]))
        #expect(group.rules[0] == RuleSpec(kind: .recording, name: "job:up:sum", expr: "sum by (job) (up)",
                                           labels: Labels(["tier": "1"]), line: 8, column: 9))
        #expect(group.rules[1].kind == .alerting && group.rules[1].holdDuration.milliseconds == 300_000)
        #expect(group.rules[1].keepFiringFor.milliseconds == 600_000 && group.rules[1].annotations == Labels(["summary": "it is down"]))
    }

    @Test func allErrorsAreReportedWithPositions() {
        let text = """
        groups:
          - name: a
            rules:
              - record: x
                expr: sum(
              - alert: ""
                expr: up
          - name: a
        """
        let error = #expect(throws: RuleFileErrors.self) { try RuleFileParser().parse(text, file: "r.yml") }
        #expect(error?.errors.map(\.description) == [
            "r.yml:5:15: group \"a\", rule 1, \"x\": could not parse expression: 1:5: parse error: unclosed left parenthesis",
            "r.yml:6:9: group \"a\", rule 2, \"\": one of 'record' or 'alert' must be set",
            "r.yml:8:5: groupname: \"a\" is repeated in the same file",
        ])
    }

    @Test func unknownTopLevelKeyIsRefusedUnlessIgnored() throws {
        let text = "rule_files: [x.yml]\ngroups: []\n"
        let error = #expect(throws: RuleFileErrors.self) { try RuleFileParser().parse(text, file: "t.yml") }
        #expect(error?.description == "t.yml:1:1: rule_files: field rule_files not found in type rulefmt.RuleGroups")
        var lenient = RuleFileParser()
        lenient.ignoreUnknownFields = true
        #expect(try lenient.parse(text, file: "t.yml").groups.isEmpty)
    }
}
