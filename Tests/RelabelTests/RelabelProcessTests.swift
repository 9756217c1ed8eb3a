import PharosCore
import Relabel
import Testing

/// One f-test case: input labels, steps, expected output (nil = dropped).
struct RelabelCase: CustomTestStringConvertible, Sendable {
    var name: String
    var input: [String: String]
    var steps: [RelabelConfig]
    var output: [String: String]?
    var testDescription: String { name }
}

private func step(
    _ sources: [String] = [], regex: String? = nil, target: String = "", replacement: String = "$1",
    action: RelabelAction = .replace, modulus: UInt64 = 0, separator: String = ";"
) -> RelabelConfig {
    try! RelabelConfig(sourceLabels: sources, separator: separator, targetLabel: target, regex: regex,
                       modulus: modulus, replacement: replacement, action: action)
}

// Facts from Prometheus' model/relabel tests, plus cases for Go's Expand rules.
let relabelCases: [RelabelCase] = [
    RelabelCase(name: "replace with ${1}", input: ["a": "foo", "b": "bar", "c": "baz"],
                steps: [step(["a"], regex: "f(.*)", target: "d", replacement: "ch${1}-ch${1}")],
                output: ["a": "foo", "b": "bar", "c": "baz", "d": "choo-choo"]),
    RelabelCase(name: "chained replaces over two sources", input: ["a": "foo", "b": "bar", "c": "baz"],
                steps: [step(["a", "b"], regex: "f(.*);(.*)r", target: "a", replacement: "b${1}${2}m"),
                        step(["c", "a"], regex: "(b).*b(.*)ba(.*)", target: "d", replacement: "$1$2$2$3")],
                output: ["a": "boobam", "b": "bar", "c": "baz", "d": "boooom"]),
    RelabelCase(name: "drop stops the chain", input: ["a": "foo"],
                steps: [step(["a"], regex: ".*o.*", action: .drop),
                        step(["a"], regex: "f(.*)", target: "d", replacement: "ch$1-ch$1")],
                output: nil),
    RelabelCase(name: "regex is anchored", input: ["a": "abc"],
                steps: [step(["a"], regex: ".*(b).*", target: "d")], output: ["a": "abc", "d": "b"]),
    RelabelCase(name: "drop without match keeps", input: ["a": "foo"],
                steps: [step(["a"], regex: "no-match", action: .drop)], output: ["a": "foo"]),
    RelabelCase(name: "drop alternation is anchored", input: ["a": "foo"],
                steps: [step(["a"], regex: "f|o", action: .drop)], output: ["a": "foo"]),
    RelabelCase(name: "keep without match drops", input: ["a": "foo"],
                steps: [step(["a"], regex: "no-match", action: .keep)], output: nil),
    RelabelCase(name: "keep with match", input: ["a": "foo"],
                steps: [step(["a"], regex: "f.*", action: .keep)], output: ["a": "foo"]),
    RelabelCase(name: "no replacement without match", input: ["a": "boo"],
                steps: [step(["a"], regex: "f", target: "b", replacement: "bar")], output: ["a": "boo"]),
    RelabelCase(name: "hashmod", input: ["a": "foo", "b": "bar", "c": "baz"],
                steps: [step(["c"], target: "d", action: .hashmod, modulus: 1000)],
                output: ["a": "foo", "b": "bar", "c": "baz", "d": "976"]),
    RelabelCase(name: "hashmod over a newline", input: ["a": "foo\nbar"],
                steps: [step(["a"], target: "b", action: .hashmod, modulus: 1000)],
                output: ["a": "foo\nbar", "b": "734"]),
    RelabelCase(name: "hashmod of an address", input: ["__address__": "10.0.0.1:9100"],
                steps: [step(["__address__"], target: "__tmp_hash", action: .hashmod, modulus: 8)],
                output: ["__address__": "10.0.0.1:9100", "__tmp_hash": "5"]),
    RelabelCase(name: "labelmap", input: ["a": "foo", "b1": "bar", "b2": "baz"],
                steps: [step(regex: "(b.*)", replacement: "bar_${1}", action: .labelmap)],
                output: ["a": "foo", "b1": "bar", "b2": "baz", "bar_b1": "bar", "bar_b2": "baz"]),
    RelabelCase(name: "labelmap of meta labels",
                input: ["a": "foo", "__meta_my_bar": "aaa", "__meta_my_baz": "bbb", "__meta_other": "ccc"],
                steps: [step(regex: "__meta_(my.*)", replacement: "${1}", action: .labelmap)],
                output: ["a": "foo", "__meta_my_bar": "aaa", "__meta_my_baz": "bbb", "__meta_other": "ccc",
                         "my_bar": "aaa", "my_baz": "bbb"]),
    RelabelCase(name: "templated target label", input: ["a": "some-name-value"],
                steps: [step(["a"], regex: "some-([^-]+)-([^,]+)", target: "${1}", replacement: "${2}")],
                output: ["a": "some-name-value", "name": "value"]),
    RelabelCase(name: "empty replacement deletes nothing new", input: ["a": "some-name-value"],
                steps: [step(["a"], regex: "some-([^-]+)-([^,]+)", target: "${1}", replacement: "${3}")],
                output: ["a": "some-name-value"]),
    RelabelCase(name: "target expanding to empty is skipped", input: ["a": "some-name-0"],
                steps: [step(["a"], regex: "some-([^-]+)-([^,]+)", target: "${3}", replacement: "${1}"),
                        step(["a"], regex: "some-([^-]+)(-[^,]+)", target: "${3}", replacement: "${1}")],
                output: ["a": "some-name-0"]),
    RelabelCase(name: "real-life tag parsing",
                input: ["__meta_sd_tags": "path:/secret,job:some-job,label:foo=bar"],
                steps: [step(["__meta_sd_tags"], regex: "(?:.+,|^)path:(/[^,]+).*", target: "__metrics_path__", replacement: "${1}"),
                        step(["__meta_sd_tags"], regex: "(?:.+,|^)job:([^,]+).*", target: "job", replacement: "${1}"),
                        step(["__meta_sd_tags"], regex: "(?:.+,|^)label:([^=]+)=([^,]+).*", target: "${1}", replacement: "${2}")],
                output: ["__meta_sd_tags": "path:/secret,job:some-job,label:foo=bar", "__metrics_path__": "/secret",
                         "job": "some-job", "foo": "bar"]),
    RelabelCase(name: "labeldrop then replace then keep (issue 12283)",
                input: ["__meta_kubernetes_pod_container_port_name": "foo",
                        "__meta_kubernetes_pod_annotation_XXX_metrics_port": "9091"],
                steps: [step(regex: "^__meta_kubernetes_pod_container_port_name$", replacement: "$1", action: .labeldrop),
                        step(["__meta_kubernetes_pod_annotation_XXX_metrics_port"], regex: "(.+)",
                             target: "__meta_kubernetes_pod_container_port_name", replacement: "metrics"),
                        step(["__meta_kubernetes_pod_container_port_name"], regex: "^metrics$", action: .keep)],
                output: ["__meta_kubernetes_pod_annotation_XXX_metrics_port": "9091",
                         "__meta_kubernetes_pod_container_port_name": "metrics"]),
    RelabelCase(name: "labelkeep", input: ["a": "foo", "b1": "bar", "b2": "baz"],
                steps: [step(regex: "(b.*)", action: .labelkeep)], output: ["b1": "bar", "b2": "baz"]),
    RelabelCase(name: "labeldrop", input: ["a": "foo", "b1": "bar", "b2": "baz"],
                steps: [step(regex: "(b.*)", action: .labeldrop)], output: ["a": "foo"]),
    RelabelCase(name: "upper and lower case", input: ["foo": "bAr123Foo"],
                steps: [step(["foo"], target: "foo_uppercase", action: .uppercase),
                        step(["foo"], target: "foo_lowercase", action: .lowercase)],
                output: ["foo": "bAr123Foo", "foo_lowercase": "bar123foo", "foo_uppercase": "BAR123FOO"]),
    RelabelCase(name: "keepequal keeps", input: ["__tmp_port": "1234", "__port1": "1234", "__port2": "5678"],
                steps: [step(["__tmp_port"], target: "__port1", action: .keepequal)],
                output: ["__tmp_port": "1234", "__port1": "1234", "__port2": "5678"]),
    RelabelCase(name: "dropequal drops", input: ["__tmp_port": "1234", "__port1": "1234", "__port2": "5678"],
                steps: [step(["__tmp_port"], target: "__port1", action: .dropequal)], output: nil),
    RelabelCase(name: "dropequal keeps", input: ["__tmp_port": "1234", "__port1": "1234", "__port2": "5678"],
                steps: [step(["__tmp_port"], target: "__port2", action: .dropequal)],
                output: ["__tmp_port": "1234", "__port1": "1234", "__port2": "5678"]),
    RelabelCase(name: "keepequal drops", input: ["__tmp_port": "1234", "__port1": "1234", "__port2": "5678"],
                steps: [step(["__tmp_port"], target: "__port2", action: .keepequal)], output: nil),
    // Go Expand rules and other edges.
    RelabelCase(name: "$1x names a group that does not exist", input: ["a": "foo"],
                steps: [step(["a"], regex: "(f)oo", target: "b", replacement: "$1x")], output: ["a": "foo"]),
    RelabelCase(name: "${1}x", input: ["a": "foo"],
                steps: [step(["a"], regex: "(f)oo", target: "b", replacement: "${1}x")], output: ["a": "foo", "b": "fx"]),
    RelabelCase(name: "$$ is a dollar, lone $ stays", input: ["a": "foo"],
                steps: [step(["a"], target: "b", replacement: "$$1-$-${")], output: ["a": "foo", "b": "$1-$-${"]),
    RelabelCase(name: "named groups, Go and ICU spelling", input: ["a": "host:9100"],
                steps: [step(["a"], regex: "(?P<host>[^:]+):(?<port>\\d+)", target: "b", replacement: "$port/${host}")],
                output: ["a": "host:9100", "b": "9100/host"]),
    RelabelCase(name: "dot matches newline", input: ["a": "x\ny"],
                steps: [step(["a"], regex: "x.y", action: .keep)], output: ["a": "x\ny"]),
    RelabelCase(name: "default replace sets constant when sources are empty", input: ["a": "1"],
                steps: [step(target: "env", replacement: "prod")], output: ["a": "1", "env": "prod"]),
    RelabelCase(name: "default replace copies a label", input: ["__address__": "h:1"],
                steps: [step(["__address__"], target: "instance")], output: ["__address__": "h:1", "instance": "h:1"]),
    RelabelCase(name: "replace to empty deletes the target", input: ["a": "x", "b": "y"],
                steps: [step(["missing"], regex: "(.*)", target: "b")], output: ["a": "x"]),
    RelabelCase(name: "custom separator", input: ["a": "1", "b": "2"],
                steps: [step(["a", "b"], target: "c", separator: "/")], output: ["a": "1", "b": "2", "c": "1/2"]),
    RelabelCase(name: "missing source counts as empty", input: ["a": "1"],
                steps: [step(["a", "z"], regex: "1;", action: .keep)], output: ["a": "1"]),
]

@Test(arguments: relabelCases)
func relabelProcess(_ testCase: RelabelCase) {
    let result = Relabel.process(Labels(testCase.input), testCase.steps)
    #expect(result == testCase.output.map { Labels($0) })
}

@Test func unchangedLabelsAreReturnedAsIs() {
    let labels = Labels(["a": "1", "b": "2"])
    let steps = [step(["a"], regex: "1", action: .keep), step(regex: "zzz", action: .labeldrop)]
    #expect(Relabel.process(labels, steps) == labels)
    #expect(Relabel.process(labels, []) == labels)
}

@Test func resultIsSortedAfterAdditions() {
    let out = Relabel.process(Labels(["m": "1"]), [step(target: "a", replacement: "x"), step(target: "z", replacement: "y")])
    #expect(out?.map(\.name) == ["a", "m", "z"])
}
