import Exposition
import PharosCore
import Testing

/// `nextSeries(ifSeriesIs:)`, the scrape cache's fast path: same results as `next()` when it
/// accepts a line, no input consumed when it declines, the same positioned errors when the
/// rest of an accepted line is broken.
@Suite(.timeLimit(.minutes(5))) struct KnownSeriesTests {
    static func keys(_ text: String, _ format: ExpositionFormat) throws -> [[UInt8]] {
        var parser = ExpositionParser(Array(text.utf8), format: format)
        var keys: [[UInt8]] = []
        while let entry = try parser.next() {
            if entry == .series { keys.append(Array(parser.seriesBytes)) }
        }
        return keys
    }

    @Test(arguments: [
        ("m{a=\"1\"} 2 3\n  m 4\nm{a=\"2\",b=\"x\\\"y\"} NaN\n{\"odd.name\",a=\"1\"} +Inf\n", ExpositionFormat.text004),
        ("m{a=\"1\"} 2 3.5\nm 4 # {id=\"t\"} 1 2\n{\"odd.name\"} 1\n# EOF\n", ExpositionFormat.openMetrics),
    ])
    func acceptedLinesMatchAFullParse(text: String, format: ExpositionFormat) throws {
        let keys = try Self.keys(text, format)
        var full = ExpositionParser(Array(text.utf8), format: format)
        var fast = ExpositionParser(Array(text.utf8), format: format)
        for key in keys {
            #expect(try full.next() == .series)
            #expect(try fast.nextSeries(ifSeriesIs: key))
            #expect(Array(fast.seriesBytes) == key)
            #expect(fast.value.bitPattern == full.value.bitPattern)
            #expect(fast.timestamp == full.timestamp)
            #expect(fast.currentExemplar() == full.currentExemplar())
            // Labels are read on demand, from the same bytes.
            #expect(fast.currentLabels() == full.currentLabels())
            #expect(fast.metricName() == full.metricName())
        }
        #expect(try fast.nextSeries(ifSeriesIs: keys[0]) == false)
        #expect(try fast.next() == full.next())
    }

    @Test(arguments: [
        ("other 1\n", "m"),                 // another series
        ("mm 1\n", "m"),                    // a longer name
        ("m {a=\"1\"} 1\n", "m"),           // text: a bare name followed by a label set
        ("m{a=\"1\"} 1\n", "m{a=\"2\"}"),   // other label values
        ("# HELP m x\nm 1\n", "m"),         // a comment first
        ("\nm 1\n", "m"),                   // a blank line first
        ("m", "m"),                         // a name at the end of the input
        ("", "m"),
    ])
    func declinedLinesAreLeftForNext(text: String, key: String) throws {
        var parser = ExpositionParser(Array(text.utf8), format: .text004)
        #expect(try parser.nextSeries(ifSeriesIs: Array(key.utf8)) == false)
        var reference = ExpositionParser(Array(text.utf8), format: .text004)
        let expected = Result { try reference.next() }
        let actual = Result { try parser.next() }
        #expect("\(expected)" == "\(actual)")
    }

    @Test(arguments: [
        ("m{a=\"1\"}\n", ExpositionFormat.text004),            // truncated: no value
        ("m{a=\"1\"} 1x\n", ExpositionFormat.text004),         // corrupted value
        ("m{a=\"1\"} 1 12ab\n", ExpositionFormat.text004),     // corrupted timestamp
        ("m{a=\"1\"} 1", ExpositionFormat.openMetrics),        // truncated: no # EOF
        ("m{a=\"1\"}  1\n# EOF\n", ExpositionFormat.openMetrics), // two spaces
    ])
    func brokenTailsFailLikeNext(text: String, format: ExpositionFormat) throws {
        var full = ExpositionParser(Array(text.utf8), format: format)
        var fast = ExpositionParser(Array(text.utf8), format: format)
        let expected: ExpositionError
        do {
            _ = try full.next()
            Issue.record("expected an error for \(text.debugDescription)")
            return
        } catch {
            expected = error
        }
        #expect(throws: expected) { try fast.nextSeries(ifSeriesIs: Array("m{a=\"1\"}".utf8)) }
        // The failure sticks: later calls decline or rethrow it.
        #expect(try fast.nextSeries(ifSeriesIs: Array("m{a=\"1\"}".utf8)) == false)
        #expect(throws: expected) { try fast.next() }
    }
}
