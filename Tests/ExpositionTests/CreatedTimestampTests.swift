import Exposition
import Foundation
import PharosCore
import Testing

@Suite(.timeLimit(.minutes(5))) struct CreatedTimestampTests {
    @Test func createdTimestampsFromTheFixture() throws {
        var parser = ExpositionParser(try FixtureTests.load("textparse/alltypes.5mfs.om.txt"), format: .openMetrics)
        var found: [String: Timestamp] = [:]
        var createdLines = 0
        while let entry = try parser.next() {
            guard entry == .series else { continue }
            if parser.isCreatedSeries { createdLines += 1; continue }
            if let created = parser.createdTimestamp() { found[parser.currentLabels().description] = created }
        }
        #expect(createdLines == 9)
        #expect(found[#"promhttp_metric_handler_errors_total{cause="encoding"}"#] == 1_726_839_813_016)
        #expect(found[#"promhttp_metric_handler_errors_total{cause="gathering"}"#] == 1_726_839_813_016)
        #expect(found[#"rpc_durations_histogram_seconds_bucket{le="-0.00099"}"#] == 1_726_839_813_016)
        #expect(found[#"rpc_requests_total{service="uniform"}"#] == 1_726_839_813_016)
        #expect(found["go_build_info"] == nil)
        #expect(found.count == 53 - 9 - 1)
    }

    @Test func noCreatedTimestampInText() throws {
        var parser = ExpositionParser(Array("# TYPE a counter\na_total 1\na_created 2\n".utf8), format: .text004)
        #expect(try parser.next() == .type)
        #expect(parser.familyName == "a" && parser.familyType == .counter)
        #expect(try parser.next() == .series)
        #expect(parser.createdTimestamp() == nil)
        #expect(!parser.isCreatedSeries)
    }
}

extension CreatedTimestampTests {
    @Test func lookaheadStopsAtTheNextLabelSet() throws {
        var lines = "# TYPE c counter\n"
        for index in 0..<3000 { lines += "c_total{i=\"\(index)\"} 1\n" }
        lines += "c_created{i=\"0\"} 5\n# EOF\n"
        var parser = ExpositionParser(Array(lines.utf8), format: .openMetrics)
        var found = 0, series = 0
        while let entry = try parser.next() {
            guard entry == .series else { continue }
            series += 1
            if parser.createdTimestamp() != nil { found += 1 }
        }
        // The only _created line is not next to its series, so it does not belong to it.
        #expect(series == 3001)
        #expect(found == 0)
        let adjacent = "# TYPE c counter\nc_total{i=\"0\"} 1\nc_created{i=\"0\"} 5.5\n# EOF\n"
        var second = ExpositionParser(Array(adjacent.utf8), format: .openMetrics)
        _ = try second.next()
        _ = try second.next()
        #expect(second.createdTimestamp() == 5500)
    }
}
