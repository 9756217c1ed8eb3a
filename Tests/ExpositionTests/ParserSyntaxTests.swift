import Exposition
import Foundation
import PharosCore
import Testing

@Suite(.timeLimit(.minutes(5))) struct ParserSyntaxTests {
    @Test func textBasics() {
        let text = """
        # HELP http_requests_total The total number of HTTP requests.\\nSecond \\\\ line.
        # TYPE http_requests_total counter
        http_requests_total{method="post",code="200"} 1027 1395066363000
        http_requests_total{ method = "post" , code="400", }    3   1395066363000
        # A normal comment.

          metric_without_labels 12.47
        metric_without_timestamp_and_labels{} -Inf
        a{x="\\"q\\" \\\\ \\n"} NaN
        b +Inf
        c{} 1e+06
        # TYPE untyped_metric untyped
        # EOF
        after_eof 1
        """
        let (entries, error) = parseAll(text, .text004)
        #expect(error == nil)
        #expect(entries == [
            .help("http_requests_total", "The total number of HTTP requests.\nSecond \\ line."),
            .type("http_requests_total", .counter),
            .series(labels(["__name__": "http_requests_total", "method": "post", "code": "200"]), 1027, 1_395_066_363_000),
            .series(labels(["__name__": "http_requests_total", "method": "post", "code": "400"]), 3, 1_395_066_363_000),
            .comment("A normal comment."),
            .series(labels(["__name__": "metric_without_labels"]), 12.47),
            .series(labels(["__name__": "metric_without_timestamp_and_labels"]), -.infinity),
            .series(labels(["__name__": "a", "x": "\"q\" \\ \n"]), .nan),
            .series(labels(["__name__": "b"]), .infinity),
            .series(labels(["__name__": "c"]), 1_000_000),
            .type("untyped_metric", .unknown),
            .comment("EOF"),
            .series(labels(["__name__": "after_eof"]), 1),
        ])
    }

    @Test func utf8QuotedNames() {
        let text = """
        # HELP "my.metric" Dotted.
        # TYPE "my.metric" gauge
        {"my.metric", "a.b"="c", d="é"} 1
        {"my.metric"} 2

        """
        for format in [ExpositionFormat.text004, .openMetrics] {
            // OpenMetrics allows no whitespace inside label sets.
            let body = format == .openMetrics ? text.replacingOccurrences(of: ", ", with: ",") + "# EOF\n" : text
            let (entries, error) = parseAll(body, format)
            #expect(error == nil, "\(format): \(String(describing: error))")
            #expect(entries.prefix(4) == [
                .help("my.metric", "Dotted."),
                .type("my.metric", .gauge),
                .series(labels(["__name__": "my.metric", "a.b": "c", "d": "é"]), 1),
                .series(labels(["__name__": "my.metric"]), 2),
            ])
        }
    }

    @Test func openMetricsBasics() {
        let text = """
        # TYPE foo_seconds counter
        # UNIT foo_seconds seconds
        # HELP foo_seconds Help with \\"quotes\\" and \\n newline.
        foo_seconds_total{a="b"} 17.0 1520879607.789 # {id="c"} 1 1520879607.5
        foo_seconds_created 1520430000.123
        bar 1 # {} 2
        baz 1e3 -1.5
        # EOF

        """
        let (entries, error) = parseAll(text, .openMetrics)
        #expect(error == nil, "\(String(describing: error))")
        #expect(entries == [
            .type("foo_seconds", .counter),
            .unit("foo_seconds", "seconds"),
            .help("foo_seconds", "Help with \"quotes\" and \n newline."),
            .series(labels(["__name__": "foo_seconds_total", "a": "b"]), 17, 1_520_879_607_789,
                    exemplar: ExpositionExemplar(labels: labels(["id": "c"]), value: 1, timestamp: 1_520_879_607_500)),
            .series(labels(["__name__": "foo_seconds_created"]), 1_520_430_000.123),
            .series(labels(["__name__": "bar"]), 1, exemplar: ExpositionExemplar(labels: .empty, value: 2, timestamp: nil)),
            .series(labels(["__name__": "baz"]), 1000, -1500),
            .eof,
        ])
    }

    @Test func seriesBytesAreTheRawSeries() throws {
        var parser = ExpositionParser(Array("m{a=\"1\"} 2 3\nm 4\n".utf8), format: .text004)
        #expect(try parser.next() == .series)
        #expect(String(decoding: parser.seriesBytes, as: UTF8.self) == "m{a=\"1\"}")
        #expect(parser.metricName() == "m")
        #expect(try parser.next() == .series)
        #expect(String(decoding: parser.seriesBytes, as: UTF8.self) == "m")
        #expect(try parser.next() == nil)
        #expect(try parser.next() == nil)
    }

    struct BadCase: Sendable, CustomStringConvertible {
        var input: String
        var format: ExpositionFormat
        var error: String
        var description: String { "\(format): \(input.debugDescription)" }
        init(_ input: String, _ error: String) { self.init(input, .text004, error) }
        init(_ input: String, _ format: ExpositionFormat, _ error: String) {
            self.input = input
            self.format = format
            self.error = error
        }
    }

    static let badCases: [BadCase] = [
        .init("m{a=\"b\"} # x\n", "line 1, column 10: expected a value after the label set, got \"#\""),
        .init("ok 1\nm{a=\"b\"}\n", "line 2, column 9: expected a value after the label set, got end of line"),
        .init("m\n", "line 1, column 2: expected a value after the metric name, got end of line"),
        .init("m 1.2.3\n", "line 1, column 3: cannot parse value \"1.2.3\": want a float such as 1.5, 1e3, NaN or +Inf"),
        .init("m 0x10\n", "line 1, column 3: cannot parse value \"0x10\": want a float such as 1.5, 1e3, NaN or +Inf"),
        .init("m 1_000\n", "line 1, column 3: cannot parse value \"1_000\": want a float such as 1.5, 1e3, NaN or +Inf"),
        .init("m 1e400\n", "line 1, column 3: cannot parse value \"1e400\": want a float such as 1.5, 1e3, NaN or +Inf"),
        .init("m 1 -5\n", "line 1, column 5: expected a timestamp in milliseconds or end of line after the value, got \"-\""),
        .init("m 1 99999999999999999999\n", "line 1, column 5: expected a timestamp in milliseconds or end of line after the value, got \"99999999999999999999\""),
        .init("m 1 2 3\n", "line 1, column 7: expected end of line after the timestamp, got \"3\""),
        .init("m{a=\"b\",a=\"c\"} 1\n", "line 1, column 9: duplicate label name \"a\""),
        .init("m{a=\"b} 1\n", "line 1, column 5: unterminated quoted label value: no closing '\"' before the end of the line"),
        .init("m{a=b} 1\n", "line 1, column 5: expected a quoted label value after '=', got \"b\""),
        .init("m{a \"b\"} 1\n", "line 1, column 5: expected '=' after label name \"a\", got \"\\\"\""),
        .init("m{a=\"b\" c=\"d\"} 1\n", "line 1, column 9: expected ',' or '}' after a label value, got \"c\""),
        .init("m{1=\"b\"} 1\n", "line 1, column 3: expected a label name or '}', got \"1\""),
        .init("{a=\"b\"} 1\n", "line 1, column 1: metric name not set in the label set"),
        .init("m{__name__=\"x\"} 1\n", "line 1, column 3: duplicate label name \"__name__\": the metric name is already set"),
        .init("{__name__=\"x\"} 1\n", "line 1, column 1: metric name not set in the label set"),
        .init("{\"x\", \"y\"} 1\n", "line 1, column 7: metric name already set in the label set"),
        .init("# TYPE m foo\n", "line 1, column 10: invalid metric type \"foo\": want counter, gauge, histogram, summary or untyped"),
        .init("# HELP\tm\n# TYPE 1m counter\n", "line 2, column 8: expected a metric name after TYPE, got \"1m\""),
        .init("=1\n", "line 1, column 1: expected a metric name, '{' or '#' at the start of a line, got \"=\""),
        .init("m{a=\"b\\\nc\"} 1\n", "line 1, column 5: unterminated quoted label value: no closing '\"' before the end of the line"),
        // OpenMetrics
        .init("m 1\n", .openMetrics, "line 2, column 1: data does not end with # EOF"),
        .init("m 1", .openMetrics, "line 1, column 4: data does not end with # EOF"),
        .init("m 1\n# EOF\nm 2\n", .openMetrics, "line 2, column 7: unexpected data after # EOF"),
        .init("\n# EOF\n", .openMetrics, "line 1, column 1: expected a metric name, '{' or '#' at the start of a line, got end of line"),
        .init("# comment\n# EOF\n", .openMetrics, "line 1, column 3: expected HELP, TYPE, UNIT or EOF after \"# \", got \"comment\""),
        .init("m  1\n# EOF\n", .openMetrics, "line 1, column 3: expected a value after the metric name, got \" \""),
        .init("m{a=\"b\"}1\n# EOF\n", .openMetrics, "line 1, column 9: expected a space and a value after the label set, got \"1\""),
        .init("m 1 NaN\n# EOF\n", .openMetrics, "line 1, column 5: cannot parse timestamp \"NaN\": want float seconds such as 1700000000.123"),
        .init("# TYPE m counters\n# EOF\n", .openMetrics, "line 1, column 10: invalid metric type \"counters\": want counter, gauge, histogram, gaugehistogram, summary, info, stateset or unknown"),
        .init("# UNIT m_bytes seconds\n# EOF\n", .openMetrics, "line 1, column 16: unit \"seconds\" is not a suffix of metric \"m_bytes\""),
        .init("m 1 # {\"x\"} 1\n# EOF\n", .openMetrics, "line 1, column 11: expected '=' after the exemplar label name, got \"}\""),
        .init("m 1 # {a=\"b\"}\n# EOF\n", .openMetrics, "line 1, column 14: expected a space and a value after the exemplar labels, got end of line"),
        .init("m 1 # {a=\"b\"} 1 2 3\n# EOF\n", .openMetrics, "line 1, column 18: expected end of line after the exemplar, got \" \""),
    ]

    @Test(arguments: badCases)
    func brokenInputGivesPositionedError(_ bad: BadCase) {
        let (_, error) = parseAll(Array(bad.input.utf8), bad.format)
        #expect(error?.description == bad.error)
    }

    @Test func invalidUTF8() {
        let bytes: [UInt8] = Array("m{a=\"".utf8) + [0xFF] + Array("\"} 1\n".utf8)
        #expect(parseAll(bytes, .text004).error?.description == "line 1, column 6: invalid UTF-8 in label value")
        let help: [UInt8] = Array("# HELP m x".utf8) + [0xC3] + Array("\n".utf8)
        #expect(parseAll(help, .text004).error?.description == "line 1, column 10: invalid UTF-8 in help text")
    }

    /// Prometheus has no line length limit: a HELP text and a label value of several MB parse.
    @Test func linesOfAnyLength() throws {
        let help = String(repeating: "h", count: 3 << 20), value = String(repeating: "v", count: 5 << 20)
        let body = "# HELP m \(help)\n# TYPE m gauge\nm{a=\"\(value)\"} 1\nn 2\n"
        var parser = ExpositionParser(Array(body.utf8), format: .text004)
        #expect(try parser.next() == .help)
        #expect(parser.currentHelp().text == help)
        #expect(try parser.next() == .type)
        #expect(try parser.next() == .series)
        #expect(parser.currentLabels()["a"] == value)
        #expect(try parser.next() == .series)
        #expect(parser.value == 2)
        #expect(try parser.next() == nil)
    }

    @Test(arguments: [
        ("text/plain; version=0.0.4; charset=utf-8", ExpositionFormat.text004),
        ("application/openmetrics-text; version=1.0.0; charset=utf-8", .openMetrics),
        ("application/openmetrics-text; version=0.0.1", .openMetrics),
        ("Application/OpenMetrics-Text", .openMetrics),
        ("", .text004),
        ("application/json", .text004),
        ("text/html", .text004),
    ])
    func contentNegotiation(_ contentType: String, _ expected: ExpositionFormat) {
        #expect(ExpositionFormat(contentType: contentType) == expected)
    }

    @Test func parserFromContentType() throws {
        var parser = ExpositionParser(Array("m 1\n# EOF\n".utf8), contentType: "application/openmetrics-text; version=1.0.0")
        #expect(parser.format == .openMetrics)
        #expect(try parser.next() == .series)
        #expect(try parser.next() == .eof)
        #expect(try parser.next() == nil)
    }

    @Test func missingContentTypeFallsBackToText() {
        #expect(ExpositionFormat(contentType: nil) == .text004)
        #expect(ExpositionFormat.scrapeAcceptHeader.hasPrefix("application/openmetrics-text;version=1.0.0;q=0.5,"))
    }
}
