import PharosCore
import PromQL
import Testing

/// `label_replace` and `label_join`, from functions.test plus Go `regexp.Expand` corner cases.
@Suite(.timeLimit(.minutes(5))) struct LabelKernelsTests {
    static let metric = Labels([Labels.metricName: "testmetric", "src": "source-value-10", "dst": "original-destination-value"])

    static func replaced(_ replacement: String, _ regex: String, in labels: Labels = metric,
                         dst: String = "dst", src: String = "src") throws -> Labels {
        try InstantKernels.labelReplace(labels, dst: dst, replacement: replacement, src: src, regex: regex)
    }

    @Test(arguments: [
        ("destination-value-$1", "src", "source-value-(.*)", "destination-value-10"),
        ("destination-value-$1", "src", "value-(.*)", "original-destination-value"),   // full-string match only
        ("$1-value-$2", "src", "(.*)-value-(.*)", "source-value-10"),
        ("value-$1", "nonexistent-src", "source-value-(.*)", "original-destination-value"),
        ("value-$1", "nonexistent-src", "(.*)", "value-"),
        ("value-$1", "src", "non-matching-regex", "original-destination-value"),
        // Go regexp.Expand: names are the longest run of letters, digits and "_".
        ("$1x", "src", "source-value-(.*)", ""),
        ("${1}x", "src", "source-value-(.*)", "10x"),
        ("$$1", "src", "source-value-(.*)", "$1"),
        ("$", "src", "source-value-(.*)", "$"),
        ("a$-b", "src", "source-value-(.*)", "a$-b"),
        ("${1", "src", "source-value-(.*)", "${1"),
        ("$0", "src", "source-value-(.*)", "source-value-10"),
        ("[$2]", "src", "source-value-(.*)", "[]"),
        ("$01", "src", "source-value-(.*)", ""),
        ("$num-$name", "src", "source-(?P<name>[a-z]+)-(?<num>[0-9]+)", "10-value"),
        ("${name}s", "src", "source-(?P<name>[a-z]+)-.*", "values"),
        ("$missing!", "src", "source-(?P<name>[a-z]+)-.*", "!"),
        ("[$2]", "src", "source-value-(?:(1)|(2))0", "[]"),
        ("[$1]", "src", "source-value-1|20", "original-destination-value"),   // the anchors wrap the alternation
        ("ok", "src", "SOURCE.*", "original-destination-value"),
        ("ok", "src", "(?i)SOURCE.*", "ok"),
    ])
    func replace(_ replacement: String, _ src: String, _ regex: String, _ expected: String) throws {
        let result = try Self.replaced(replacement, regex, src: src)
        #expect(result["dst"] == expected)
        #expect(result["src"] == "source-value-10")
        #expect(result.metricName == "testmetric")
    }

    @Test(arguments: ["[(?=]x", "\\(?=x", "a+?", "a*?b", "(?<name>a)", "(?P<name>a)", "[[:alpha:]]+", "[]a]", "[^]a]",
                      "a{2}?", "(?i)a", "(?s:.)", "\\pL", "x|y*", "(?:a)+", "a\\++", "[[]", "[a[:digit:]]"])
    func replaceAcceptsRE2Syntax(_ regex: String) throws {
        _ = try LabelReplacer(dst: "dst", replacement: "x", src: "src", regex: regex)
    }

    @Test(arguments: [
        ("[]a]+", "]a]", true), ("[^]a]+", "bc", true), ("[^]a]+", "b]", false), ("\\pL+", "abc", true), ("\\PL+", "12", true),
        ("\\pN", "a", false), ("[[]", "[", true), ("[a[:digit:]]+", "a1", true), ("(?P<x>a)", "a", true),
    ])
    func translatedSyntaxMatchesLikeRE2(_ regex: String, _ value: String, _ matches: Bool) throws {
        let replacer = try LabelReplacer(dst: "dst", replacement: "hit", src: "src", regex: regex)
        #expect(replacer.apply(Labels(["src": value]))["dst"] == (matches ? "hit" : ""))
    }

    @Test func replaceAnchorsAndDotMatchesNewlines() throws {
        let labels = Labels(["src": "a\nb\n"])
        #expect(try Self.replaced("[$1]", "(.*)", in: labels)["dst"] == "[a\nb\n]")
        #expect(try Self.replaced("x", "a\nb", in: labels)["dst"] == "", "no match before a trailing newline")
        #expect(try Self.replaced("x", "b\n", in: labels)["dst"] == "", "no substring match")
    }

    @Test func replaceWithAnEmptyResultDropsTheLabel() throws {
        let result = try Self.replaced("", ".*", src: "dst")
        #expect(!result.has("dst"))
        #expect(result.count == 2)
    }

    @Test func replaceCanSetTheMetricName() throws {
        let result = try Self.replaced("renamed_$1", "source-value-(.*)", dst: Labels.metricName)
        #expect(result.metricName == "renamed_10")
    }

    @Test func replacerIsReusable() throws {
        let replacer = try LabelReplacer(dst: "n", replacement: "$1", src: "src", regex: "source-value-(.*)")
        #expect(replacer.apply(Self.metric)["n"] == "10")
        #expect(replacer.apply(Labels(["src": "source-value-20"]))["n"] == "20")
        #expect(replacer.apply(Labels(["src": "other"])) == Labels(["src": "other"]))
    }

    @Test(arguments: [
        ("dst", "(.*", "invalid regular expression in label_replace(): (.*"),
        ("dst", "[a-", "invalid regular expression in label_replace(): [a-"),
        ("dst", "a{2,1}", "invalid regular expression in label_replace(): a{2,1}"),
        // Valid for Swift's engine, but not for Go's RE2.
        ("dst", "(?=a)a", "invalid regular expression in label_replace(): (?=a)a"),
        ("dst", "a(?!b)", "invalid regular expression in label_replace(): a(?!b)"),
        ("dst", "(?<=a)b", "invalid regular expression in label_replace(): (?<=a)b"),
        ("dst", "(?<!a)b", "invalid regular expression in label_replace(): (?<!a)b"),
        ("dst", "(a)\\1", "invalid regular expression in label_replace(): (a)\\1"),
        ("dst", "(?<n>a)\\k<n>", "invalid regular expression in label_replace(): (?<n>a)\\k<n>"),
        ("dst", "(?>a+)", "invalid regular expression in label_replace(): (?>a+)"),
        ("dst", "a++", "invalid regular expression in label_replace(): a++"),
        ("dst", "a{2}+", "invalid regular expression in label_replace(): a{2}+"),
        ("dst", "a**", "invalid regular expression in label_replace(): a**"),
        ("dst", "a+??", "invalid regular expression in label_replace(): a+??"),
        ("dst", "a\\", "invalid regular expression in label_replace(): a\\"),
        ("", "(.*)", "invalid destination label name in label_replace(): "),
        ("\u{FFFD}", "(.*)", "invalid destination label name in label_replace(): \u{FFFD}"),
    ])
    func replaceRejects(_ dst: String, _ regex: String, _ message: String) {
        #expect {
            _ = try Self.replaced("x", regex, dst: dst)
        } throws: { error in
            (error as? QueryError)?.message == message && (error as? QueryError)?.kind == .execution
        }
    }

    static let joinable = Labels([Labels.metricName: "testmetric", "src": "a", "src1": "b", "src2": "c",
                                  "dst": "original-destination-value"])

    @Test(arguments: [
        ("-", ["src", "src1", "src2"], "a-b-c"),
        ("-", ["src", "src3", "src1"], "a--b"),
        ("", ["emptysrc", "emptysrc1", "emptysrc2"], ""),
        (", ", [], ""),
        (", ", ["src"], "a"),
        ("", ["src", "src"], "aa"),
    ])
    func join(_ separator: String, _ sources: [String], _ expected: String) throws {
        let result = try InstantKernels.labelJoin(Self.joinable, dst: "dst", separator: separator, src: sources)
        #expect(result["dst"] == expected)
        #expect(result.has("dst") == !expected.isEmpty)
        #expect(result["src2"] == "c")
    }

    @Test func joinCreatesTheDestination() throws {
        let labels = Labels(["src": "foo", "src1": "bar", "src2": "foobar"])
        let result = try InstantKernels.labelJoin(labels, dst: "dst", separator: ", ", src: ["src", "src1", "src2"])
        #expect(result["dst"] == "foo, bar, foobar")
    }

    @Test(arguments: [
        ("", ["src"], "invalid destination label name in label_join(): "),
        ("dst", ["src", ""], "invalid source label name in label_join(): "),
        ("", [""], "invalid source label name in label_join(): "),
    ])
    func joinRejects(_ dst: String, _ sources: [String], _ message: String) {
        #expect {
            _ = try InstantKernels.labelJoin(Self.joinable, dst: dst, separator: "-", src: sources)
        } throws: { error in
            (error as? QueryError)?.message == message
        }
    }
}
