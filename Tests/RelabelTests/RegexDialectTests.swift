import Relabel
import Testing

/// RE2 spellings that Prometheus users write, matched through RE2Regex.
@Test(arguments: [
    (#"\pL+"#, "abcé", true),
    (#"\p{Greek}+"#, "αβ", true),
    (#"\PL+"#, "123", true),
    ("[[:alpha:]]+", "abc", true),
    ("[[:digit:]]+", "a1", false),
    ("[^[:space:]]+", "a b", false),
    ("(?i)foo", "FOO", true),
    (#"\d{1,3}"#, "1234", false),
    (#"\x41\x{42}"#, "AB", true),
    (#"\Qa.b\E"#, "a.b", true),
    (#"\Qa.b\E"#, "axb", false),
    ("(?s:.)", "\n", true),
    ("^metrics$", "metrics", true),
    ("^metrics$", "metrics\n", false),
    ("a|b$", "a", true),
])
func re2Spellings(_ pattern: String, _ input: String, _ expected: Bool) throws {
    let regex = try RelabelRegex(pattern)
    #expect(regex.matches(input) == expected)
}

/// The shapes with fast paths must agree with the general engine.
@Test(arguments: ["(.*)", ".*", "(.+)", ".+", "go_.*", "a|bc|", "foo", "\u{E9}", "\u{E9}.*"])
func fastPathsAgreeWithTheGeneralMachine(_ pattern: String) throws {
    let fast = try RelabelRegex(pattern)
    // Wrapping in a non-capturing group defeats the shape detection but keeps the meaning.
    let slow = try RelabelRegex("(?:" + pattern + ")")
    for input in ["", "a", "bc", "foo", "go_", "go_gc_duration", "x\ny", "ago_", "é", "e\u{301}"] {
        #expect(fast.matches(input) == slow.matches(input), "\(pattern) on \(input)")
        #expect(fast.captures(input)?.map { $0.map(String.init) } == slow.captures(input)?.map { $0.map(String.init) },
                "\(pattern) on \(input)")
    }
}
