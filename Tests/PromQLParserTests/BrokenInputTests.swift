import PharosCore
import Testing
@testable import PromQLParser

/// Truncated and corrupted queries must fail with a positioned error, never crash.
@Suite(.timeLimit(.minutes(5))) struct BrokenInputTests {
    static let queries = [
        #"sum by (job) (rate(http_requests_total{job=~"api|web", code!="500"}[5m] offset 1h @ 1609746000))"#,
        #"histogram_quantile(0.99, sum without (instance) (rate(x_bucket[1m:15s] @ start())))"#,
        #"foo / on(a) group_left(b, "c.d") bar > bool 0.5e-3 or {"my.metric", x='y\u00e9'} unless -foo ^ 2"#,
        #"label_replace(up, "a", "$1", `b`, "(.*)") # comment"#,
        "topk(3, count_values(\"v\", foo)) and sum_over_time(foo[5m:] offset -30s)",
    ]

    @Test func everyTruncationFailsCleanlyOrParses() {
        for query in Self.queries {
            let bytes = Array(query.utf8)
            #expect(parsed(query) != nil, "\(query): \(parseErrorText(query) ?? "")")
            for cut in 0..<bytes.count {
                let prefix = String(decoding: bytes[..<cut], as: UTF8.self)
                switch parseResult(prefix) {
                case .success(let expr):
                    #expect(parsed(expr.description) != nil, "reprint of \(prefix)")
                case .failure(let error):
                    #expect(error.position.start >= 0 && error.position.start <= prefix.utf8.count, "\(prefix)")
                    #expect(error.description.contains(": parse error: "))
                }
            }
        }
    }

    @Test func corruptedBytesFailCleanlyOrParse() {
        let garbage: [UInt8] = [0xFF, 0x00, UInt8(ascii: "\""), UInt8(ascii: "("), UInt8(ascii: "}"),
                                UInt8(ascii: "["), UInt8(ascii: "\\"), UInt8(ascii: "@"), 0xC3]
        var failures = 0
        for query in Self.queries {
            let bytes = Array(query.utf8)
            for index in bytes.indices {
                for g in garbage {
                    var corrupted = bytes
                    corrupted[index] = g
                    let text = String(decoding: corrupted, as: UTF8.self)
                    if case .failure(let error) = parseResult(text) {
                        failures += 1
                        #expect(error.line >= 1 && error.column >= 1)
                    }
                }
            }
        }
        #expect(failures > 0)
    }

    @Test func invalidUTF8InStrings() {
        let bytes: [UInt8] = Array("label_replace(a, `b`, `c".utf8) + [0xFF] + Array("`, `d`, `.*`)".utf8)
        // String(decoding:) repairs invalid bytes to U+FFFD, which is valid: the query then parses.
        #expect(parsed(String(decoding: bytes, as: UTF8.self)) != nil)
        var lexer = Lexer.tokenize(bytes)
        #expect(lexer.contains { $0.kind == .error && $0.message == "invalid UTF-8 rune" })
        lexer = Lexer.tokenize(Array("\"ok\"".utf8))
        #expect(lexer.map(\.kind) == [.string, .eof])
    }

    @Test func lexerTokens() {
        let kinds = Lexer.tokenize(Array("sum BY (a) (foo:bar{x!~\"y\"}[5m:1m] offset 1h @ end()) >= bool Inf # c".utf8)).map(\.kind)
        #expect(kinds == [.sum, .by, .leftParen, .identifier, .rightParen, .leftParen, .metricIdentifier, .leftBrace,
                          .identifier, .neqRegex, .string, .rightBrace, .leftBracket, .duration, .colon, .duration,
                          .rightBracket, .offset, .duration, .at, .end, .leftParen, .rightParen, .rightParen, .gte,
                          .bool, .number, .eof])
        // Keywords are plain identifiers inside braces; fill is a keyword only before "(".
        #expect(Lexer.tokenize(Array("{by=\"x\"} + fill".utf8)).map(\.kind)
                == [.leftBrace, .identifier, .assign, .string, .rightBrace, .add, .identifier, .eof])
    }

    @Test func metricSelectorEntryPoint() throws {
        let matchers = try parseMetricSelector(#"up{job="api", env=~"prod|dev"}"#)
        #expect(matchers == [.equal("job", "api"), try LabelMatcher(.regexMatch, "env", "prod|dev"), .equal("__name__", "up")])
        #expect(try parseMetricSelector(#"{"my.metric"}"#) == [.equal("__name__", "my.metric")])
        func failure(_ text: String) -> String? {
            if case .failure(let e) = Result(catching: { () throws(ParseError) -> [LabelMatcher] in try parseMetricSelector(text) }) {
                return e.description
            }
            return nil
        }
        #expect(failure("foo[5m]") == "1:4: parse error: unexpected \"[\"")
        #expect(failure("foo offset 5m") == "1:5: parse error: unexpected <offset>")
        #expect(try parseMetricSelector("{}") == [])
        #expect(failure("{a=\"b\"") == "1:7: parse error: unexpected end of input inside braces")
        #expect(failure("") == "1:1: parse error: no expression found in input")
        #expect(failure("1") == "1:1: parse error: unexpected number \"1\"")
    }

    @Test func deepNestingIsBoundedNotACrash() {
        let fine = "sum(" + String(repeating: "abs(", count: 390) + "x" + String(repeating: ")", count: 391)
        #expect(parsed(fine) != nil)
        let deep = String(repeating: "(", count: 100_000) + "1" + String(repeating: ")", count: 100_000)
        #expect(parseErrorText(deep) == "1:401: parse error: expression nests deeper than 400 levels")
        let unary = String(repeating: "-", count: 5000) + "1"
        #expect(parseErrorText(unary)?.hasSuffix("expression nests deeper than 400 levels") == true)
        let duration = "x[" + String(repeating: "(", count: 1000) + "1" + String(repeating: ")", count: 1000) + "]"
        #expect(parseErrorText(duration)?.hasSuffix("expression nests deeper than 400 levels") == true)
    }
}
