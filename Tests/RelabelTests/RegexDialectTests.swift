import Relabel
import Testing

/// RE2 spellings that Prometheus users write, matched through our ICU-backed regex.
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
