import Foundation
import PharosConfig
import PharosCore
import PharosTestSupport
import Testing

@Test func readsJSONWithTabs() throws {
    let json = "[\n\t{\n\t\t\"targets\": [\"a:1\", \"b:2\"],\n\t\t\"labels\": {\"env\": \"prod\"}\n\t},\n\t{\"targets\": [\"c:3\"]}\n]\n"
    let groups = try FileSD.parse(json, path: "sd/targets.json")
    #expect(groups.count == 2)
    #expect(groups[0].addresses == ["a:1", "b:2"])
    #expect(groups[0].labels == Labels(["env": "prod", "__meta_filepath": "sd/targets.json"]))
    #expect(groups[0].source == "sd/targets.json:0")
    #expect(groups[1].labels == Labels(["__meta_filepath": "sd/targets.json"]))
}

@Test func readsYAMLFromDisk() throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let path = directory.path + "/nodes.yml"
    try "- targets: [n1:9100]\n  labels: {rack: r1}\n".write(toFile: path, atomically: true, encoding: .utf8)
    let groups = try FileSD.read(path)
    #expect(groups == [TargetGroup(addresses: ["n1:9100"], labels: Labels(["rack": "r1", "__meta_filepath": path]),
                                   source: path + ":0")])
}

@Test func emptyFileHasNoGroups() throws {
    #expect(try FileSD.parse("", path: "e.yml").isEmpty)
    #expect(try FileSD.parse("[]", path: "e.json").isEmpty)
}

@Test(arguments: [
    ("t.json", "[{\"targets\": [\"a:1\"], ", "t.json:2:1: cannot parse YAML: "),
    ("t.json", "[{\"targets\": \"a:1\"}]", "t.json:1:14: [0].targets: expected a sequence, got a scalar"),
    ("t.yml", "- targets: [a:1]\n  lables: {x: y}\n", "t.yml:2:3: [0].lables: field lables not found in type target_group"),
    ("t.yml", "- targets: [a:1]\n  labels: {\"\": y}\n", "t.yml:2:12: [0].labels.: \"\" is not a valid label name"),
    ("t.yml", "targets: [a:1]\n", "t.yml:1:1: expected a sequence, got a mapping"),
    ("t.txt", "[]", "t.txt: unknown file extension (use .json, .yml or .yaml)"),
    ("t.yml", "- targets: [\"\"]\n", "t.yml:1:13: [0].targets[0]: empty target address"),
])
func brokenFilesArePositioned(_ path: String, _ text: String, _ expected: String) {
    #expect {
        _ = try FileSD.parse(text, path: path)
    } throws: { error in
        guard let error = error as? ConfigError else { return false }
        return expected.hasSuffix(": ") ? error.description.hasPrefix(expected) : error.description == expected
    }
}

@Test func missingTargetFileIsAnIOError() {
    #expect {
        _ = try FileSD.read("/nonexistent/targets.json")
    } throws: { error in
        (error as? ConfigError)?.kind == .io
    }
}

@Test(arguments: [
    ("a.json", true), ("dir/*.yml", true), ("dir/x*.yaml", true), ("/abs/*.JSON", true),
    ("dir/*/x.json", false), ("a.txt", false), ("*.*.json", false), ("dir/a", false),
])
func fileSDPatterns(_ pattern: String, _ valid: Bool) {
    #expect(FileSD.isValidPattern(pattern) == valid)
}

/// Every prefix and single-byte corruption of a target file loads or fails with one positioned line.
@Test(arguments: ["t.json", "t.yml"])
func brokenTargetFilesNeverCrash(_ path: String) {
    let json = "[\n  {\"targets\": [\"a:1\", \"b:2\"], \"labels\": {\"env\": \"prod\", \"team\": \"x\"}},\n  {\"targets\": [\"c:3\"]}\n]\n"
    let bytes = Array(json.utf8)
    var failures = 0
    for end in 0..<bytes.count {
        do {
            _ = try FileSD.parse(String(decoding: bytes[..<end], as: UTF8.self), path: path)
        } catch {
            failures += 1
            #expect(error.description.hasPrefix(path + ":") && !error.description.contains("\n"))
        }
    }
    for index in 0..<bytes.count {
        var copy = bytes
        copy[index] = UInt8(ascii: "{")
        do {
            _ = try FileSD.parse(String(decoding: copy, as: UTF8.self), path: path)
        } catch {
            failures += 1
            #expect(!error.description.contains("\n"))
        }
    }
    #expect(failures > bytes.count)
}
