import Alerting
import PharosCore
import Testing

@Suite struct InhibitRuleTests {
    static func rule(_ source: String, _ target: String, equal: [String]) throws -> InhibitRule {
        InhibitRule(sourceMatchers: try MatcherParser.parseMatchers(source),
                    targetMatchers: try MatcherParser.parseMatchers(target), equal: equal)
    }

    @Test func sourceMutesTargetWhenEqualLabelsAgree() throws {
        let rule = try Self.rule(#"severity="critical""#, #"severity="warning""#, equal: ["alertname", "cluster"])
        let critical = Labels(["alertname": "Down", "cluster": "a", "severity": "critical"])
        #expect(rule.mutes(target: Labels(["alertname": "Down", "cluster": "a", "severity": "warning"]), firing: [critical]))
        #expect(!rule.mutes(target: Labels(["alertname": "Down", "cluster": "b", "severity": "warning"]), firing: [critical]))
        #expect(!rule.mutes(target: Labels(["alertname": "Down", "cluster": "a", "severity": "info"]), firing: [critical]))
        #expect(!rule.mutes(target: Labels(["alertname": "Down", "cluster": "a", "severity": "warning"]), firing: []))
    }

    @Test func missingEqualLabelsCountAsEqual() throws {
        let rule = try Self.rule(#"severity="critical""#, #"severity="warning""#, equal: ["zone"])
        #expect(rule.mutes(target: Labels(["severity": "warning"]), firing: [Labels(["severity": "critical"])]))
        #expect(!rule.mutes(target: Labels(["severity": "warning", "zone": "1"]), firing: [Labels(["severity": "critical"])]))
    }

    @Test func alertsMatchingBothSidesDoNotInhibitEachOther() throws {
        // Every alert with `team="db"` is both source and target.
        let rule = try Self.rule(#"team="db""#, #"team="db""#, equal: [])
        let a = Labels(["team": "db", "alertname": "A"]), b = Labels(["team": "db", "alertname": "B"])
        #expect(!rule.mutes(target: a, firing: [a]))
        #expect(!rule.mutes(target: a, firing: [b]))
        // A source that is not also a target still mutes a two-sided alert.
        let wide = try Self.rule(#"alertname=~"A|C""#, #"team="db""#, equal: [])
        let c = Labels(["alertname": "C"])
        #expect(wide.mutes(target: a, firing: [c]))
        #expect(!wide.mutes(target: a, firing: [a]))
        #expect(wide.inhibitor(of: a, firing: [a, c]) == c)
    }

    @Test func fromConfig() throws {
        let config = try AlertmanagerConfig.parse("""
        route: {receiver: x}
        receivers: [{name: x}]
        inhibit_rules:
          - source_match: {severity: critical}
            source_match_re: {alertname: 'Node.*'}
            target_matchers: ['severity=~"warning|info"']
            equal: [instance]
        """, file: "i.yml")
        let rules = config.inhibitRules.map(InhibitRule.init)
        let source = Labels(["alertname": "NodeDown", "severity": "critical", "instance": "n1"])
        #expect(rules.mutes(target: Labels(["alertname": "Disk", "severity": "info", "instance": "n1"]), firing: [source]))
        #expect(!rules.mutes(target: Labels(["alertname": "Disk", "severity": "info", "instance": "n2"]), firing: [source]))
    }
}
