import Alerting
import PharosCore
import Testing

@Suite struct MatcherParserTests {
    struct Case: Sendable, CustomStringConvertible {
        var input: String
        var want: [String]
        var description: String { input }
    }

    static func rendered(_ matchers: [LabelMatcher]) -> [String] { matchers.map(\.alertmanagerDescription) }

    /// Cases from Alertmanager's pkg/labels/parse_test.go, accepted by the classic parser.
    static let classic: [Case] = [
        Case(input: "{foo=\"bar\"}", want: [#"foo="bar""#]),
        Case(input: "{foo=~\"bar.*\"}", want: [#"foo=~"bar.*""#]),
        Case(input: "{foo!=\"bar\"}", want: [#"foo!="bar""#]),
        Case(input: "{foo!~\"bar.*\"}", want: [#"foo!~"bar.*""#]),
        Case(input: "{foo=\"bar\", baz!=\"quux\"}", want: [#"foo="bar""#, #"baz!="quux""#]),
        Case(input: "{foo=\"bar\", baz!~\"quux.*\"}", want: [#"foo="bar""#, #"baz!~"quux.*""#]),
        Case(input: "{foo=\"bar\",baz!~`quux.*`}", want: [#"foo="bar""#, #"baz!~"`quux.*`""#]),
        Case(input: "{foo=\"bar,quux\", job=\"job1\"}", want: [#"foo="bar,quux""#, #"job="job1""#]),
        Case(input: "{foo = \"bar\", dings != \"bums\", }", want: [#"foo="bar""#, #"dings!="bums""#]),
        Case(input: "foo=bar,dings!=bums", want: [#"foo="bar""#, #"dings!="bums""#]),
        Case(input: "{quote=\"She said: \\\"Hi, ladies! That's gender-neutral…\\\"\"}",
             want: [#"quote="She said: \"Hi, ladies! That's gender-neutral…\"""#]),
        Case(input: "statuscode=~\"5..\"", want: [#"statuscode=~"5..""#]),
        Case(input: "tags=~\"^(?:[a-z]+)+$\"", want: [#"tags=~"^(?:[a-z]+)+$""#]),
        Case(input: "trickier==\\\\=\\=\\\"", want: [#"trickier="=\\=\\=\"""#]),
        Case(input: "contains_quote != \"\\\"\" , contains_comma !~ \"foo,bar\" , ",
             want: [#"contains_quote!="\"""#, #"contains_comma!~"foo,bar""#]),
        Case(input: "union=~\"foo|bar\"", want: [#"union=~"foo|bar""#]),
        Case(input: "empty=\"\"", want: [#"empty="""#]),
        Case(input: "foo=bar}", want: [#"foo="bar""#]),
        Case(input: "{foo=bar}}", want: [#"foo="bar}""#]),
        Case(input: "{foo=bar,}", want: [#"foo="bar""#]),
        Case(input: "job=\"value\\n\"", want: [#"job="value\n""#]),
        Case(input: "a:b=c", want: [#"a:b="c""#]),
        Case(input: "", want: []),
    ]

    @Test(arguments: classic)
    func classicParser(_ c: Case) throws {
        #expect(Self.rendered(try MatcherParser.parseMatchers(c.input, syntax: .classic)) == c.want)
        // Fallback takes the classic result whenever the classic parser accepts the input.
        #expect(Self.rendered(try MatcherParser.parseMatchers(c.input, syntax: .fallback)) == c.want)
    }

    static let classicErrors: [(String, String)] = [
        ("job=", "bad matcher format"),  // accepted: empty value (see below) — placeholder replaced in test
        ("=bar", "bad matcher format: =bar"),
        ("foo", "bad matcher format: foo"),
        ("foo=\"bar", "matcher value contains unescaped double quote: \"bar"),
        ("foo=bar\"", "matcher value contains unescaped double quote: bar\""),
        ("foo=~\"(\"", "invalid regular expression"),
        ("a=b,,c=d", "bad matcher format: "),
        ("0a=b", "bad matcher format: 0a=b"),
    ]

    @Test func classicErrorsNameTheInput() throws {
        #expect(try MatcherParser.parseMatchers("job=", syntax: .classic).map(\.value) == [""])
        for (input, message) in Self.classicErrors.dropFirst() {
            #expect {
                try MatcherParser.parseMatchers(input, syntax: .classic)
            } throws: { error in
                (error as? MatcherParseError)?.message.contains(message) == true
            }
        }
    }

    /// Cases from matcher/parse/parse_test.go (Alertmanager 0.27's UTF-8 parser).
    static let utf8: [Case] = [
        Case(input: "{}", want: []),
        Case(input: "{foo=bar}", want: [#"foo="bar""#]),
        Case(input: "{foo=\"bar\"}", want: [#"foo="bar""#]),
        Case(input: "{\"foo\"=\"bar\"}", want: [#"foo="bar""#]),
        Case(input: "{foo=~[a-z]+}", want: [#"foo=~"[a-z]+""#]),
        Case(input: "{foo!~\"[a-z]+\"}", want: [#"foo!~"[a-z]+""#]),
        Case(input: "foo=bar,bar!=baz", want: [#"foo="bar""#, #"bar!="baz""#]),
        Case(input: "{foo=bar,}", want: [#"foo="bar""#]),
        Case(input: "{foo=\"\\\"}\\\"\"}", want: [#"foo="\"}\"""#]),
        Case(input: "{\"foo bar\"=\"baz\"}", want: [#""foo bar"="baz""#]),
        Case(input: "{foo=🙂}", want: [#"foo="🙂""#]),
        Case(input: "{🙂=\"x\"}", want: [#"🙂="x""#]),
        Case(input: "{foo=\"\\u00e9\"}", want: [#"foo="é""#]),
        Case(input: "{foo=\"\\xc3\\xa9\\303\\251\"}", want: [#"foo="éé""#]),
        Case(input: "{ foo = bar , baz != qux }", want: [#"foo="bar""#, #"baz!="qux""#]),
    ]

    @Test(arguments: utf8)
    func utf8Parser(_ c: Case) throws {
        #expect(Self.rendered(try MatcherParser.parseMatchers(c.input, syntax: .utf8)) == c.want)
    }

    static let utf8Errors: [(String, String)] = [
        ("{", "0:1: end of input: expected close brace"),
        ("}", "0:1: }: expected opening brace"),
        ("{foo", "end of input: expected an operator such as '=', '!=', '=~' or '!~'"),
        ("{foo=", "end of input: expected label value"),
        ("{foo=bar", "0:8: end of input: expected close brace"),
        ("{foo=bar baz}", "9:12: unexpected baz: expected a comma or close brace"),
        ("{foo=\"bar}", "5:10: \"bar}: missing end \""),
        ("{foo=bar,,}", "9:10: unexpected ,: expected a matcher or close brace after comma"),
        ("{foo!bar}", "4:5: !: expected one of '=~'"),
        ("{foo=~\"(\"}", "failed to create matcher"),
        ("foo=bar}", "0:8: }: expected opening brace"),
        // From matcher/parse/parse_test.go.
        (",", "0:1: unexpected ,: expected label name"),
        ("{,}", "1:2: unexpected ,: expected label name"),
        ("{foo=:\"bar\"}", "6:11: unexpected \"bar\": expected a comma or close brace"),
        ("{foo=\"bar\\w\"}", "5:12: \"bar\\w\": invalid input"),
        ("{\"foo\"=~\"\\d+\"}", "8:13: \"\\d+\": invalid input"),
        ("{foo=bar\\n}", "8:9: \\: invalid input: expected a comma or close brace"),
        ("{\"foo\"=\"\\xf0\\x9f\"}", "7:17: \"\\xf0\\x9f\": invalid input"),
    ]

    @Test func utf8ErrorsCarryColumns() throws {
        for (input, message) in Self.utf8Errors {
            #expect(performing: { try MatcherParser.parseMatchers(input, syntax: .utf8) }, throws: { error in
                let text = (error as? MatcherParseError)?.message ?? ""
                if !text.contains(message) { Issue.record("\(input): got \(text); want \(message)") }
                return true
            })
        }
    }

    @Test func fallbackUsesUTF8WhenClassicRefuses() throws {
        #expect(throws: MatcherParseError.self) { try MatcherParser.parseMatchers("{\"foo bar\"=baz}", syntax: .classic) }
        #expect(Self.rendered(try MatcherParser.parseMatchers("{\"foo bar\"=baz}", syntax: .fallback)) == [#""foo bar"="baz""#])
        // Both refuse: the classic error is reported.
        #expect(performing: { try MatcherParser.parseMatchers("foo", syntax: .fallback) }, throws: { error in
            (error as? MatcherParseError)?.message == "bad matcher format: foo"
        })
    }

    @Test func singleMatcher() throws {
        let matcher = try MatcherParser.parseMatcher("severity=critical")
        #expect(matcher.type == .equal && matcher.name == "severity" && matcher.value == "critical")
        #expect(throws: MatcherParseError.self) { try MatcherParser.parseMatcher("{a=b}") }
        #expect(throws: MatcherParseError.self) { try MatcherParser.parseMatcher("a=b,c=d", syntax: .utf8) }
    }

    @Test func regexesAreAnchored() throws {
        let matcher = try MatcherParser.parseMatcher("service=~\"foo|bar\"")
        #expect(matcher.matches("foo") && matcher.matches("bar"))
        #expect(!matcher.matches("foobar") && !matcher.matches("xfoo"))
    }

    @Test func sortOrderIsAlertmanagers() throws {
        let matchers = try MatcherParser.parseMatchers("b=1,a=~2,a=2,a!=2")
        #expect(matchers.alertmanagerSorted.alertmanagerDescription == #"{a="2",a!="2",a=~"2",b="1"}"#)
    }
}
