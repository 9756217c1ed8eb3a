import Testing
@testable import PromQLParser

/// Prometheus' error texts (`line:col: parse error: message`) for broken and ill-typed queries.
@Suite struct ParseErrorTests {
    @Test(arguments: [
        // Lexical.
        ("(", "1:2: parse error: unclosed left parenthesis"),
        ("sum(foo", "1:8: parse error: unclosed left parenthesis"),
        ("1)", "1:3: parse error: unexpected right parenthesis ')'"),
        ("}", "1:1: parse error: unexpected character: '}'"),
        ("foo{", "1:5: parse error: unexpected end of input inside braces"),
        ("foo{1}", "1:5: parse error: unexpected character inside braces: '1'"),
        ("foo{a=\"b\"{", "1:10: parse error: unexpected left brace '{'"),
        ("1 !~ 1", "1:3: parse error: unexpected character after '!': '~'"),
        ("1 =~ 1", "1:3: parse error: unexpected character after '=': '~'"),
        ("foo{a!b}", "1:6: parse error: unexpected character after '!' inside braces: 'b'"),
        ("\"foo", "1:1: parse error: unterminated quoted string"),
        ("'foo\nbar'", "1:1: parse error: unterminated quoted string"),
        ("`foo", "1:1: parse error: unterminated raw string"),
        (#""\q""#, "1:1: parse error: unknown escape sequence U+0071 'q'"),
        (#""\x4""#, "1:1: parse error: illegal character U+0022 '\"' in escape sequence"),
        (#""\uD800""#, "1:1: parse error: escape sequence is an invalid Unicode code point"),
        ("foo[5mm]", "1:5: parse error: bad number or duration syntax: \"5mm\""),
        ("1.2.3", "1:1: parse error: bad number or duration syntax: \"1.2.\""),
        ("foo[5m", "1:7: parse error: unclosed left bracket"),
        ("foo[", "1:5: parse error: unexpected end of input in duration expression"),
        ("foo[\"5m\"]", "1:5: parse error: unexpected character in duration expression: '\"'"),
        ("foo[5m:1m:1m]", "1:10: parse error: unexpected colon ':'"),
        ("foo[:5m]", "1:6: parse error: unexpected colon before duration in duration expression"),
        ("foo]", "1:4: parse error: unexpected right bracket ']'"),
        ("foo[5m][5m[", "1:11: parse error: unexpected left bracket '['"),
        ("a $ b", "1:3: parse error: unexpected character: '$'"),
        ("métrique", "1:2: parse error: unexpected character: 'é'"),
        // Syntax.
        ("", "1:1: parse error: no expression found in input"),
        ("# only a comment", "1:1: parse error: no expression found in input"),
        ("1+", "1:3: parse error: unexpected end of input"),
        ("-", "1:2: parse error: unexpected end of input"),
        ("*test", "1:1: parse error: unexpected <op:*>"),
        ("-=", "1:2: parse error: unexpected \"=\""),
        ("++-++-+-+-<", "1:11: parse error: unexpected <op:<>"),
        ("e-+=/(0)", "1:4: parse error: unexpected \"=\""),
        ("()", "1:2: parse error: unexpected \")\""),
        ("foo bar", "1:5: parse error: unexpected identifier \"bar\""),
        ("1 2", "1:3: parse error: unexpected number \"2\""),
        ("foo \"a long string\"", "1:5: parse error: unexpected string \"\\\"a long st\"..."),
        ("a - on(b) ignoring(c) d", "1:11: parse error: unexpected <ignoring>"),
        ("foo + group_left bar", "1:7: parse error: unexpected <group_left>"),
        ("foo{a}", "1:6: parse error: unexpected \"}\" in label matching, expected label matching operator"),
        ("foo{a=}", "1:7: parse error: unexpected \"}\" in label matching, expected string"),
        ("foo{a=\"b\", foo!~}", "1:17: parse error: unexpected \"}\" in label matching, expected string"),
        ("foo{a=\"b\" c=\"d\"}", "1:11: parse error: unexpected identifier \"c\" in label matching, expected \",\" or \"}\""),
        ("foo{,}", "1:5: parse error: unexpected \",\" in label matching, expected identifier or \"}\""),
        ("sum by foo (x)", "1:8: parse error: unexpected identifier \"foo\" in grouping opts, expected \"(\""),
        ("sum without(==)(some_metric)", "1:13: parse error: unexpected <op:==> in grouping opts, expected label"),
        ("sum by (a b) (x)", "1:11: parse error: unexpected identifier \"b\" in grouping opts, expected \",\" or \")\""),
        ("sum by (a:b) (x)", "1:9: parse error: unexpected metric identifier \"a:b\" in grouping opts, expected label"),
        ("sum (some_metric) without (test) by (test)", "1:34: parse error: unexpected <by>"),
        ("foo offset", "1:11: parse error: unexpected end of input in offset, expected duration"),
        ("foo offset bar", "1:12: parse error: unexpected identifier \"bar\" in offset, expected duration"),
        ("foo @", "1:6: parse error: unexpected end of input in @, expected timestamp"),
        ("foo @ bar", "1:7: parse error: unexpected identifier \"bar\" in @, expected timestamp"),
        ("foo[]", "1:5: parse error: unexpected \"]\" in subquery selector, expected duration"),
        ("foo[5m:5m x]", "1:11: parse error: unexpected character: 'x', expected ':'"),
        ("rate(foo[5m], )", "1:13: parse error: trailing commas not allowed in function call args"),
        ("1 offset 1d", "1:1: parse error: offset modifier must be preceded by an instant vector selector or range vector selector or a subquery"),
        ("foo offset 1s offset 2s", "1:1: parse error: offset may not be set multiple times"),
        ("foo[5m] offset 1s offset 2s", "1:1: parse error: offset may not be set multiple times"),
        ("foo offset 5m [10m]", "1:15: parse error: no offset modifiers allowed before range"),
        ("foo @ 10 [10m]", "1:10: parse error: no @ modifiers allowed before range"),
        ("(foo)[5m]", "1:6: parse error: ranges only allowed for vector selectors"),
        ("foo @ 1 @ 2", "1:1: parse error: @ <timestamp> may not be set multiple times"),
        ("foo @ start() @ end()", "1:1: parse error: @ <timestamp> may not be set multiple times"),
        ("sum(foo) @ 10", "1:1: parse error: @ modifier must be preceded by an instant vector selector or range vector selector or a subquery"),
        ("foo @ +Inf", "1:1: parse error: timestamp out of bounds for @ modifier: +Inf"),
        ("foo @ NaN", "1:1: parse error: timestamp out of bounds for @ modifier: NaN"),
        ("non_existent_function_far_bar()", "1:1: parse error: unknown function with name \"non_existent_function_far_bar\""),
        ("topk(some_metric)", "1:1: parse error: wrong number of arguments for aggregate expression provided, expected 2, got 1"),
        ("sum()", "1:1: parse error: no arguments for aggregate expression provided"),
        ("sum(a, b)", "1:1: parse error: wrong number of arguments for aggregate expression provided, expected 1, got 2"),
        // Types.
        ("1 == 1", "1:3: parse error: comparisons between scalars must use BOOL modifier"),
        ("1 and 1", "1:1: parse error: set operator \"and\" not allowed in binary scalar expression"),
        ("foo and 1", "1:1: parse error: set operator \"and\" not allowed in binary scalar expression"),
        ("1 or on(foo) 1", "1:1: parse error: vector matching only allowed between instant vectors"),
        ("foo == on(bar) 10", "1:1: parse error: vector matching only allowed between instant vectors"),
        ("foo and on(bar) group_left(baz) bar", "1:1: parse error: no grouping allowed for \"and\" operation"),
        ("foo + bool bar", "1:5: parse error: bool modifier can only be used on comparison operators"),
        ("foo and bool 10", "1:5: parse error: bool modifier can only be used on comparison operators"),
        ("foo * on(a) group_left(a) bar", "1:5: parse error: label \"a\" must not occur in ON and GROUP clause at once"),
        ("foo[5m] + 1", "1:1: parse error: binary expression must contain only scalar and instant vector types"),
        ("1 + \"x\"", "1:5: parse error: binary expression must contain only scalar and instant vector types"),
        ("-\"string\"", "1:1: parse error: unary expression only allowed on expressions of type scalar or instant vector, got \"string\""),
        ("-test[5m]", "1:1: parse error: unary expression only allowed on expressions of type scalar or instant vector, got \"range vector\""),
        ("{}", "1:1: parse error: vector selector must contain at least one non-empty matcher"),
        ("{x=\"\"}", "1:1: parse error: vector selector must contain at least one non-empty matcher"),
        ("{x=~\".*\"}", "1:1: parse error: vector selector must contain at least one non-empty matcher"),
        ("{x!~\".+\"}", "1:1: parse error: vector selector must contain at least one non-empty matcher"),
        ("{x!=\"a\"}", "1:1: parse error: vector selector must contain at least one non-empty matcher"),
        ("foo{__name__=\"bar\"}", "1:1: parse error: metric name must not be set twice: \"foo\" or \"bar\""),
        ("topk(some_metric, other_metric)", "1:6: parse error: expected type scalar in aggregation parameter, got instant vector"),
        ("count_values(5, other_metric)", "1:14: parse error: expected type string in aggregation parameter, got scalar"),
        ("sum(foo[5m])", "1:5: parse error: expected type instant vector in aggregation expression, got range vector"),
        ("floor()", "1:1: parse error: expected 1 argument(s) in call to \"floor\", got 0"),
        ("floor(some_metric, other_metric)", "1:1: parse error: expected 1 argument(s) in call to \"floor\", got 2"),
        ("floor(1)", "1:7: parse error: expected type instant vector in call to function \"floor\", got scalar"),
        ("rate(some_metric)", "1:6: parse error: expected type range vector in call to function \"rate\", got instant vector"),
        ("rate(avg)", "1:6: parse error: expected type range vector in call to function \"rate\", got instant vector"),
        ("round(foo, 1, 2)", "1:1: parse error: expected at most 2 argument(s) in call to \"round\", got 3"),
        ("label_join(foo, \"a\")", "1:1: parse error: expected at least 3 argument(s) in call to \"label_join\", got 2"),
        ("label_join(foo, \"a\", \",\", 1)", "1:27: parse error: expected type string in call to function \"label_join\", got scalar"),
        ("sum(foo)[5m:] + 1", "1:1: parse error: binary expression must contain only scalar and instant vector types"),
        ("(foo[5m])[10m:]", "1:1: parse error: subquery is only allowed on instant vector, got matrix instead"),
        ("info(foo, bar)", "1:11: parse error: expected label selectors only, got vector selector instead"),
        ("info(foo, 1)", "1:1: parse error: expected type instant vector in call to function \"info\", got scalar"),
    ])
    func errorText(input: String, expected: String) {
        #expect(parseErrorText(input) == expected, "\(input)")
    }

    @Test func errorCarriesKindAndRange() {
        guard case .failure(let error) = parseResult("foo{a=\"b\"} + rate(x)") else {
            Issue.record("expected a failure")
            return
        }
        #expect(error.kind == .semantic)
        #expect(error.position == PositionRange(start: 18, end: 19))
        #expect(error.line == 1 && error.column == 19)
        guard case .failure(let multiline) = parseResult("sum(\n  foo\n) +") else {
            Issue.record("expected a failure")
            return
        }
        #expect(multiline.description == "3:4: parse error: unexpected end of input")
        #expect(multiline.kind == .syntax)
    }
}
