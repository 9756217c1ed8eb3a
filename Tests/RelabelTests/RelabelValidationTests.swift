import PharosCore
import Relabel
import Testing

struct InvalidCase: CustomTestStringConvertible, Sendable {
    var name: String
    var build: @Sendable () throws -> RelabelConfig
    var message: String
    var testDescription: String { name }
}

let invalidCases: [InvalidCase] = [
    InvalidCase(name: "replace needs target", build: { try RelabelConfig(action: .replace) },
                message: "relabel configuration for replace action requires 'target_label' value"),
    InvalidCase(name: "lowercase needs target", build: { try RelabelConfig(action: .lowercase) },
                message: "relabel configuration for lowercase action requires 'target_label' value"),
    InvalidCase(name: "hashmod needs modulus", build: { try RelabelConfig(targetLabel: "x", action: .hashmod) },
                message: "relabel configuration for hashmod requires non-zero modulus"),
    InvalidCase(name: "legacy lowercase target",
                build: { try RelabelConfig(targetLabel: "${3}", action: .lowercase, nameValidation: .legacy) },
                message: "\"${3}\" is invalid 'target_label' for lowercase action"),
    InvalidCase(name: "templated target starting with digit",
                build: { try RelabelConfig(sourceLabels: ["a"], targetLabel: "0${3}", regex: "some-([^-]+)") },
                message: "\"0${3}\" is invalid 'target_label' for replace action"),
    InvalidCase(name: "templated target with dash",
                build: { try RelabelConfig(sourceLabels: ["a"], targetLabel: "-${3}") },
                message: "\"-${3}\" is invalid 'target_label' for replace action"),
    InvalidCase(name: "legacy replace target",
                build: { try RelabelConfig(targetLabel: "foo-bar", nameValidation: .legacy) },
                message: "\"foo-bar\" is invalid 'target_label' for replace action"),
    InvalidCase(name: "replacement on uppercase",
                build: { try RelabelConfig(targetLabel: "x", replacement: "y", action: .uppercase) },
                message: "'replacement' can not be set for uppercase action"),
    InvalidCase(name: "labelmap replacement",
                build: { try RelabelConfig(replacement: "-$1", action: .labelmap) },
                message: "\"-$1\" is invalid 'replacement' for labelmap action"),
    InvalidCase(name: "keepequal with regex",
                build: { try RelabelConfig(sourceLabels: ["a"], targetLabel: "b", regex: "(.*)", action: .keepequal) },
                message: "keepequal action requires only 'source_labels' and `target_label`, and no other fields"),
    InvalidCase(name: "labeldrop with sources",
                build: { try RelabelConfig(sourceLabels: ["a"], regex: "a", action: .labeldrop) },
                message: "labeldrop action requires only 'regex', and no other fields"),
    InvalidCase(name: "labelkeep with target",
                build: { try RelabelConfig(targetLabel: "a", regex: "a", action: .labelkeep) },
                message: "labelkeep action requires only 'regex', and no other fields"),
]

@Test(arguments: invalidCases)
func invalidConfigs(_ testCase: InvalidCase) {
    #expect {
        _ = try testCase.build()
    } throws: { error in
        (error as? RelabelError)?.description == testCase.message
    }
}

@Test func validTemplatedTargetIsAccepted() throws {
    let config = try RelabelConfig(sourceLabels: ["a"], targetLabel: "${3}", regex: "some-([^-]+)-([^,]+)", replacement: "${1}")
    #expect(config.targetLabel == "${3}")
    // Under UTF-8 names Prometheus 3 accepts any non-empty target for lowercase.
    #expect(throws: Never.self) { try RelabelConfig(targetLabel: "${3}", action: .lowercase) }
}

@Test func invalidRegexIsReported() {
    #expect {
        _ = try RelabelConfig(targetLabel: "x", regex: "(unclosed")
    } throws: { error in
        guard let error = error as? RelabelError else { return false }
        return error.kind == .invalidRegex && error.description == "error parsing regexp: missing closing ): `^(?s:(unclosed)$`"
    }
}

@Test(arguments: [("replace", RelabelAction.replace), ("Keep", .keep), ("LABELMAP", .labelmap), ("dropequal", .dropequal)])
func actionsParseCaseInsensitively(_ text: String, _ expected: RelabelAction) throws {
    #expect(try RelabelAction(parsing: text) == expected)
}

@Test func unknownActionIsRejected() {
    #expect(throws: RelabelError(.unknownAction, "unknown relabel action \"explode\"")) {
        try RelabelAction(parsing: "explode")
    }
}

@Test(arguments: [
    ("-label", false), ("label", true), ("label${1}", true), ("${1}label", true), ("${1}", true),
    ("${", false), ("$", false), ("${}", false), ("foo${", false), ("$1", true), ("asd$2asd", true),
    ("-foo${1}bar-", false), ("_${1}_", true), ("foo${bar}foo", true),
])
func templatedTargetValidity(_ text: String, _ valid: Bool) {
    #expect(RelabelConfig.isValidTemplatedName(text) == valid)
}

@Test(arguments: [
    ("", "d41d8cd98f00b204e9800998ecf8427e"),
    ("abc", "900150983cd24fb0d6963f7d28e17f72"),
    ("The quick brown fox jumps over the lazy dog", "9e107d9d372bb6826bd81d3542a419d6"),
    (String(repeating: "x", count: 100), "aed563ecafb4bcc5654c597a421547b2"),
])
func md5Vectors(_ input: String, _ hex: String) {
    let digest = MD5.digest(input.utf8)
    #expect(digest.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined() == hex)
}

@Test(arguments: [
    ("$1", "ab"), ("${1}", "ab"), ("$1x", ""), ("${1}x", "abx"), ("$$1", "$1"), ("$", "$"), ("${", "${"),
    ("$name", "cd"), ("${name}-$2", "cd-cd"), ("$01", ""), ("$9", ""), ("a$-b", "a$-b"), ("$0", "ab:cd"),
])
func expandFollowsGo(_ template: String, _ expected: String) throws {
    let regex = try RelabelRegex("(ab):(?P<name>cd)")
    let captures = try #require(regex.captures("ab:cd"))
    #expect(ExpandTemplate(template).expand(captures, names: regex.groupNames) == expected)
}

@Test func groupNamesSkipClassesAndEscapes() throws {
    let regex = try RelabelRegex(#"[(](a)\((?:b)(?<n>c)"#)
    #expect(regex.groupNames == [nil, nil, "n"])
}
