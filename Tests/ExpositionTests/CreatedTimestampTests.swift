import Exposition
import Foundation
import PharosCore
import Testing

@Suite struct CreatedTimestampTests {
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
