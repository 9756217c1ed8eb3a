import PharosCore
import Testing

@Suite(.timeLimit(.minutes(5))) struct LabelsTests {
    @Test func sortsAndDropsEmptyValues() {
        let labels = Labels(["b": "2", "a": "1", "c": ""])
        #expect(labels.map(\.name) == ["a", "b"])
        #expect(labels["a"] == "1")
        #expect(labels["missing"] == "")
    }

    @Test func printsLikePrometheus() {
        let labels = Labels(["__name__": "up", "job": "a\"b"])
        #expect(labels.description == #"up{job="a\"b"}"#)
    }

    @Test func comparesPairwiseThenByLength() {
        #expect(Labels(["a": "1"]) < Labels(["a": "1", "b": "1"]))
        #expect(Labels(["a": "1", "b": "1"]) < Labels(["a": "2"]))
    }

    @Test(arguments: [
        ("foo", "foo", true), ("foo", "bar", false),
        ("fo.*", "foo", true), ("fo.*", "xfoo", false),
        ("a|b", "b", true), ("a|b", "ab", false),
        (".*", "", true), (".+", "", false),
        ("f[o]+", "foo\n", false), ("f.o", "f\no", true),
    ])
    func regexMatchersAreAnchored(pattern: String, value: String, expected: Bool) throws {
        let matcher = try LabelMatcher(.regexMatch, "x", pattern)
        #expect(matcher.matches(value) == expected)
    }

    @Test func invalidRegexThrows() {
        #expect(throws: LabelMatcherError.self) { try LabelMatcher(.regexMatch, "x", "a(") }
    }

    @Test(arguments: [("1h30m", 5_400_000), ("0", 0), ("250ms", 250), ("1y", 31_536_000_000), ("1d", 86_400_000)])
    func parsesDurations(text: String, ms: Int64) throws {
        #expect(try PrometheusDuration(parsing: text).milliseconds == ms)
    }

    /// Prometheus' own messages (`model.ParseDuration`), which PromQL and the API answer with.
    @Test(arguments: [
        ("", "empty duration string"),
        ("5x", "unknown unit \"x\" in duration \"5x\""),
        ("1m1h", "not a valid duration string: \"1m1h\""),
        ("1h1h", "not a valid duration string: \"1h1h\""),
        ("h", "not a valid duration string: \"h\""),
        ("15", "not a valid duration string: \"15\""),
        ("1.5h", "unknown unit \".\" in duration \"1.5h\""),
        ("-1s", "not a valid duration string: \"-1s\""),
        ("300y", "duration out of range"),
        ("99999999999999999999s", "not a valid duration string: \"99999999999999999999s\""),
    ])
    func rejectsBadDurations(text: String, message: String) {
        #expect {
            try PrometheusDuration(parsing: text)
        } throws: { ($0 as? DurationError)?.prometheusMessage == message }
    }

    @Test func largestDurationIsGoTimeDurationRange() throws {
        // 2^63-1 ns is 106751d23h47m16s854ms; one more millisecond is out of range.
        #expect(try PrometheusDuration(parsing: "106751d23h47m16s854ms").milliseconds == 9_223_372_036_854)
        #expect(throws: DurationError.self) { try PrometheusDuration(parsing: "106751d23h47m16s855ms") }
    }

    @Test(arguments: [(5_400_000, "1h30m"), (0, "0s"), (86_400_000, "1d"), (1500, "1s500ms"), (604_800_000, "1w")])
    func printsDurations(ms: Int64, text: String) {
        #expect(PrometheusDuration(milliseconds: ms).description == text)
    }
}
