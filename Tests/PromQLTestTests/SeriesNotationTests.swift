import PharosCore
import PromQL
import PromQLTest
import Testing

@Suite(.timeLimit(.minutes(5))) struct SeriesNotationTests {
    static let floatCases: [(String, [Double])] = [
        ("m 1 2 3", [1.0, 2, 3]),
        ("m 0+10x3", [0.0, 10, 20, 30]),
        ("m 1-2x2", [1.0, -1, -3]),
        ("m 5x2", [5.0, 5, 5]),
        ("m -2+4x1", [-2.0, 2]),
        ("m 1e3 .5 +Inf -Inf", [1000.0, 0.5, .infinity, -.infinity]),
    ]

    @Test(arguments: floatCases)
    func expandsFloatTokens(line: String, expected: [Double]) throws {
        let parsed = try SeriesNotation.parse(line)
        #expect(parsed.values == expected.map { .float($0) })
    }

    @Test func parsesLabelsInAnyForm() throws {
        let full = try SeriesNotation.parse(#"metric{b="2",  a="1"} 1"#)
        #expect(full.labels == Labels(["__name__": "metric", "a": "1", "b": "2"]))
        let bare = try SeriesNotation.parse(#"{a="x"} 1"#)
        #expect(bare.labels == Labels(["a": "x"]))
        let empty = try SeriesNotation.parse("{} 7")
        #expect(empty.labels == Labels.empty)
        #expect(empty.values == [.float(7)])
    }

    @Test func gapsStaleAndHistograms() throws {
        let parsed = try SeriesNotation.parse("m _ _x3 stale {{schema:0 sum:5 count:4 buckets:[1 2 1]}}x1 NaN")
        #expect(parsed.values.count == 1 + 3 + 1 + 2 + 1)
        #expect(parsed.values[0] == .omitted)
        #expect(parsed.values[4] == .stale)
        if case .histogram(let text) = parsed.values[5] { #expect(text.hasPrefix("{{schema:0")) } else { Issue.record("not a histogram") }
        if case .float(let v) = parsed.values[7] { #expect(v.isNaN) } else { Issue.record("not NaN") }
    }

    @Test func hexIsNotANumberButARepetition() throws {
        #expect(try SeriesNotation.parse("m 0x2").values == [.float(0), .float(0), .float(0)])
    }

    @Test(arguments: [
        #"m{a="1" 1"#,          // unterminated label set
        #"m{a=1} 1"#,           // unquoted value
        #"m{a} 1"#,             // missing =
        #"m{a="1} 2"#,          // unterminated string
        "m 1 abc",              // bad value
        "m 1+x3",               // bad increment
        "m {{schema:0 sum:1",   // unterminated histogram
        "m _xq",                // bad repetition
        "",                     // nothing
    ])
    func rejectsBrokenLines(line: String) {
        #expect(throws: PromQLTestError.self) { try SeriesNotation.parse(line) }
    }
}
