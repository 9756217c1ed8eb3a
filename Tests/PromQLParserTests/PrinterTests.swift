import Testing
@testable import PromQLParser

/// Prometheus' canonical printing, and parse → print → parse stability.
@Suite(.timeLimit(.minutes(5))) struct PrinterTests {
    @Test(arguments: [
        ("sum by() (task:errors:rate10s{job=\"s\"})", "sum(task:errors:rate10s{job=\"s\"})"),
        ("sum by(code) (task:errors:rate10s{job=\"s\"})", "sum by (code) (task:errors:rate10s{job=\"s\"})"),
        ("sum without() (x)", "sum without () (x)"),
        ("sum(x) without(instance, job)", "sum without (instance, job) (x)"),
        ("topk(5, task:errors:rate10s{job=\"s\"})", "topk(5, task:errors:rate10s{job=\"s\"})"),
        ("count_values('value', x)", "count_values(\"value\", x)"),
        ("a - on(b) c", "a - on (b) c"),
        ("a - on(b) group_right(c) d", "a - on (b) group_right (c) d"),
        ("a - on(b) group_left d", "a - on (b) group_left () d"),
        ("a - ignoring(b) c", "a - ignoring (b) c"),
        ("a - ignoring() c", "a - c"),
        ("up > bool 0", "up > bool 0"),
        ("a offset 1m", "a offset 1m"),
        ("a offset -7m", "a offset -7m"),
        ("a{c=\"d\"}[5m] offset 1m", "a{c=\"d\"}[5m] offset 1m"),
        ("a[5m] offset 1h @ 100", "a[5m] @ 100.000 offset 1h"),
        ("a @ start()", "a @ start()"),
        ("a[1h:5m] @ end() offset 90m", "a[1h:5m] @ end() offset 1h30m"),
        ("a[1h:]", "a[1h:]"),
        ("a[120s]", "a[2m]"),
        ("{__name__=\"a\"}", "{__name__=\"a\"}"),
        ("{\"foo.bar\"}", "{\"foo.bar\"}"),
        ("{\"foo\", x=\"y\"}", "foo{x=\"y\"}"),
        ("foo{\"bar.baz\"=\"x\"}", "foo{\"bar.baz\"=\"x\"}"),
        ("sum by (\"a.b\") (x)", "sum by (\"a.b\") (x)"),
        ("foo{d!~'e\\n', a=~\"b|c\"}", "foo{a=~\"b|c\",d!~\"e\\n\"}"),
        ("{b=\"1\", a=\"2\"}", "{a=\"2\",b=\"1\"}"),
        ("foo @ 10 offset 5m", "foo @ 10.000 offset 5m"),
        ("foo offset 5m @ 10", "foo @ 10.000 offset 5m"),
        ("foo smoothed offset 1m", "foo smoothed offset 1m"),
        ("a + fill(0) b", "a + fill (0) b"),
        ("a * on(x) group_left fill_left(1e6) fill_right(-Inf) b", "a * on (x) group_left () fill_left (1e+06) fill_right (-Inf) b"),
        ("1e6", "1000000"),
        ("1e-7", "0.0000001"),
        ("-0.5", "-0.5"),
        ("1h", "3600"),
        ("-(1)", "-(1)"),
        ("- 1", "-1"),
        ("-foo", "-foo"),
        ("1 + 2 * 3", "1 + 2 * 3"),
        ("(1 + 2) * 3", "(1 + 2) * 3"),
        ("rate(foo[5m])", "rate(foo[5m])"),
        ("histogram_quantile(0.9, sum by (le) (rate(x[1m])))", "histogram_quantile(0.9, sum by (le) (rate(x[1m])))"),
        ("label_replace(x, \"a\", \"$1\", \"b\", \"(.*)\")", "label_replace(x, \"a\", \"$1\", \"b\", \"(.*)\")"),
        ("`raw\\d`", "\"raw\\\\d\""),
        ("Inf", "+Inf"),
        ("-Inf", "-Inf"),
        ("NaN", "NaN"),
        ("0.25", "0.25"),
        ("time()", "time()"),
    ])
    func canonicalText(input: String, expected: String) {
        guard let expr = parsed(input) else {
            Issue.record("\(input) failed: \(parseErrorText(input) ?? "")")
            return
        }
        #expect(expr.description == expected)
        // Round trip: the printed text parses to a tree that prints the same.
        #expect(parsed(expected)?.description == expected)
    }
}
