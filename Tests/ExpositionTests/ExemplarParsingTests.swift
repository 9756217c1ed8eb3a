import Exposition
import PharosCore
import Testing

/// OpenMetrics exemplars through the pull parser: accessors, both read paths, positioned errors
/// for broken ones, and truncated, drip-fed and corrupted bodies that carry them.
@Suite(.timeLimit(.minutes(2)))
struct ExemplarParsingTests {
    static let body = """
        # TYPE http_requests counter
        http_requests_total{code="200"} 1027 1700000000.5 # {trace_id="4bf92f3577b34da6",span_id="00f067aa"} 1 1700000000.123
        http_requests_total{code="500"} 3 # {trace_id="a\\"b\\\\c\\nd"} 0.5
        http_requests_created{code="200"} 1699990000
        # TYPE latency histogram
        latency_bucket{le="0.1"} 8 # {trace_id="x"} 0.05 -1.5
        latency_bucket{le="+Inf"} 9 # {} NaN
        latency_count 9
        latency_sum 1.5
        # TYPE temp gauge
        temp 21.5 # {sensor="s1"} 21.5 1700000000
        # EOF

        """

    static func ex(_ pairs: KeyValuePairs<String, String>, _ value: Double, _ t: Timestamp?) -> ExpositionExemplar {
        ExpositionExemplar(labels: labels(pairs), value: value, timestamp: t)
    }

    @Test func accessorsGiveLabelsValueAndOptionalTimestamp() throws {
        var parser = ExpositionParser(Array(Self.body.utf8), format: .openMetrics)
        var found: [(String, Bool, ExpositionExemplar?)] = []
        while let entry = try parser.next() {
            guard entry == .series else { continue }
            found.append((parser.metricName(), parser.hasExemplar, parser.currentExemplar()))
            #expect(parser.hasExemplar == (parser.currentExemplar() != nil))
        }
        #expect(found.map(\.0) == ["http_requests_total", "http_requests_total", "http_requests_created", "latency_bucket",
                                   "latency_bucket", "latency_count", "latency_sum", "temp"])
        #expect(found[0].2 == Self.ex(["trace_id": "4bf92f3577b34da6", "span_id": "00f067aa"], 1, 1_700_000_000_123))
        // Escapes stay as written in exemplar label values, as in Prometheus.
        #expect(found[1].2 == Self.ex(["trace_id": #"a\"b\\c\nd"#], 0.5, nil))
        #expect(found[2].2 == nil && found[5].2 == nil && found[6].2 == nil)
        #expect(found[3].2 == Self.ex(["trace_id": "x"], 0.05, -1500))
        #expect(found[4].2?.labels == .empty && found[4].2?.value.isNaN == true)
        // Any series may carry one (Prometheus 2.43+), a gauge too.
        #expect(found[7].2 == Self.ex(["sensor": "s1"], 21.5, 1_700_000_000_000))
    }

    @Test func emptyExemplarLabelValuesAreDropped() throws {
        var parser = ExpositionParser(Array("a_total 1 # {x=\"\",y=\"1\"} 2\n# EOF\n".utf8), format: .openMetrics)
        #expect(try parser.next() == .series)
        #expect(parser.currentExemplar() == Self.ex(["y": "1"], 2, nil))
    }

    @Test func textFormatHasNoExemplars() {
        let (entries, error) = parseAll("a_total 1 # {x=\"y\"} 2\n", .text004)
        #expect(entries.isEmpty)
        #expect(error?.description == "line 1, column 11: expected a timestamp in milliseconds or end of line after the value, got \"#\"")
        var parser = ExpositionParser(Array("a_total 1\n".utf8), format: .text004)
        #expect((try? parser.next()) == .series)
        #expect(!parser.hasExemplar)
    }

    /// The fast path reads the exemplar like a full parse, and forgets the last line's exemplar.
    @Test func fastPathKeepsAndResetsExemplars() throws {
        let text = "a_total 1 # {t=\"1\"} 1\na_total 2\na_total 3 # {t=\"3\"} 3 5\n# EOF\n"
        let key = Array("a_total".utf8)
        var fast = ExpositionParser(Array(text.utf8), format: .openMetrics)
        #expect(try fast.nextSeries(ifSeriesIs: key))
        #expect(fast.currentExemplar() == Self.ex(["t": "1"], 1, nil))
        #expect(try fast.nextSeries(ifSeriesIs: key))
        #expect(!fast.hasExemplar && fast.currentExemplar() == nil)
        #expect(try fast.nextSeries(ifSeriesIs: key))
        #expect(fast.currentExemplar() == Self.ex(["t": "3"], 3, 5000))
        #expect(try fast.next() == .eof)
    }

    struct BadCase: Sendable, CustomStringConvertible {
        var input: String
        var error: String
        var description: String { input.debugDescription }
        init(_ input: String, _ error: String) {
            self.input = input + "\n# EOF\n"
            self.error = error
        }
    }

    static let badCases: [BadCase] = [
        .init("a_total 1 # {t=\"1\"} x", "line 1, column 21: expected a value after the exemplar labels, got \"x\""),
        .init("a_total 1 # {t=\"1\"} 1.2.3", "line 1, column 21: cannot parse value \"1.2.3\": want a float such as 1.5, 1e3, NaN or +Inf"),
        .init("a_total 1 # {t=\"1\"} 1 NaN", "line 1, column 23: cannot parse timestamp \"NaN\": want float seconds such as 1700000000.123"),
        .init("a_total 1 # {t=\"1\"} 1 +Inf", "line 1, column 23: cannot parse timestamp \"+Inf\": want float seconds such as 1700000000.123"),
        .init("a_total 1 # {t=\"1\"} 1 1e30", "line 1, column 23: timestamp 1e+30 is out of range"),
        .init("a_total 1 # {t=\"1\"}  1", "line 1, column 21: expected a value after the exemplar labels, got \" \""),
        .init("a_total 1 # {t=\"1\",t=\"2\"} 1", "line 1, column 20: duplicate label name \"t\""),
        .init("a_total 1 # {t=\"1\" 1", "line 1, column 19: expected ',' or '}' after a label value, got \" \""),
        .init("a_total 1 # {t=1} 1", "line 1, column 16: expected a quoted label value after '=', got \"1\""),
        .init("a_total 1 # {t=\"1} 1", "line 1, column 16: unterminated quoted label value: no closing '\"' before the end of the line"),
        .init("a_total 1 # t=\"1\" 1", "line 1, column 11: expected an exemplar ('# {' then labels, a value and an optional timestamp), got \"#\""),
        .init("a_total 1 #{t=\"1\"} 1", "line 1, column 11: expected an exemplar ('# {' then labels, a value and an optional timestamp), got \"#\""),
        .init("a_total 1 2 #{t=\"1\"} 1", "line 1, column 12: expected a timestamp, an exemplar or end of line after the value, got \" \""),
        .init("a_total 1 2 # {t=\"1\"} 1 3 4", "line 1, column 26: expected end of line after the exemplar, got \" \""),
        .init("a_total 1 # {\"t\"} 1", "line 1, column 17: expected '=' after the exemplar label name, got \"}\""),
    ]

    @Test(arguments: badCases)
    func brokenExemplarsGivePositionedErrors(_ bad: BadCase) {
        let (_, error) = parseAll(bad.input, .openMetrics)
        #expect(error?.description == bad.error)
        #expect(error.map { $0.line == 1 && $0.offset == ($0.column ?? 0) - 1 } == true)
        // The fast path reports the same error for the same line.
        var fast = ExpositionParser(Array(bad.input.utf8), format: .openMetrics)
        #expect(throws: ExpositionError.self) { try fast.nextSeries(ifSeriesIs: Array("a_total".utf8)) }
        #expect((try? fast.next()) == nil)
        do { _ = try fast.next() } catch { #expect(error.description == bad.error) }
    }

    /// Every prefix parses to a prefix of the whole (its last entry may be a shortened line)
    /// or fails with a positioned error; no prefix before `# EOF` parses cleanly.
    @Test func truncatedAtEveryOffset() {
        let bytes = Array(Self.body.utf8)
        let full = parseAll(bytes, .openMetrics)
        #expect(full.error == nil)
        for length in 0..<bytes.count - 1 {
            let prefix = Array(bytes[..<length])
            let (entries, error) = parseAll(prefix, .openMetrics)
            let stable = max(0, entries.count - 1)
            #expect(Array(entries.prefix(stable)) == Array(full.entries.prefix(stable)), "prefix \(length)")
            let positioned = error.map { ($0.line ?? 0) >= 1 && ($0.column ?? 0) >= 1 && $0.offset <= length }
            #expect(positioned == true, "prefix \(length) parsed without # EOF")
        }
    }

    /// Growing the body one byte at a time never changes an entry whose line was complete.
    @Test func dripFedOneByteAtATime() {
        let bytes = Array(Self.body.utf8)
        let full = parseAll(bytes, .openMetrics).entries
        var completed = 0
        for length in 1...bytes.count where bytes[length - 1] == 10 {
            let (entries, _) = parseAll(Array(bytes[..<length]), .openMetrics)
            #expect(Array(entries.prefix(completed)) == Array(full.prefix(completed)))
            completed = max(completed, entries.count)
        }
        #expect(completed == full.count)
    }

    /// Flipping any byte of an exemplar line never crashes and either parses or fails positioned.
    @Test func corruptedExemplarLinesNeverCrash() {
        let line = Array("a_total{x=\"y\"} 1 2 # {trace_id=\"abc\",s=\"\\\"\"} 0.5 1.25\n# EOF\n".utf8)
        for index in line.indices {
            for flip: UInt8 in [0x01, 0x20, 0x80, 0xFF] {
                var damaged = line
                damaged[index] ^= flip
                let (_, error) = parseAll(damaged, .openMetrics)
                if let error {
                    #expect((error.line ?? 0) >= 1 && error.offset <= damaged.count, "\(error)")
                }
            }
        }
    }
}
