import Exposition
import Foundation
import PharosCore
import PharosTestSupport
import Testing

/// The upstream Prometheus exposition samples in shared/conformance/exposition (README §4).
@Suite(.timeLimit(.minutes(5))) struct FixtureTests {
    struct Expectation: Sendable, CustomStringConvertible {
        var file: String
        var format: ExpositionFormat
        var samples: Int
        var types: Int
        var helps: Int
        var exemplars: Int
        var description: String { file }
    }

    static let fixtures: [Expectation] = [
        .init(file: "textparse/alltypes.237mfs.prom.txt", format: .text004, samples: 1857, types: 237, helps: 237, exemplars: 0),
        .init(file: "textparse/alltypes.237mfs.nometa.prom.txt", format: .text004, samples: 1857, types: 0, helps: 0, exemplars: 0),
        .init(file: "textparse/alltypes.5mfs.om.txt", format: .openMetrics, samples: 53, types: 5, helps: 5, exemplars: 6),
        .init(file: "textparse/1histogram.om.txt", format: .openMetrics, samples: 42, types: 1, helps: 1, exemplars: 0),
        .init(file: "promtool/metrics-test.prom", format: .text004, samples: 27, types: 4, helps: 4, exemplars: 0),
        .init(file: "promtool/dump-openmetrics-test.prom", format: .openMetrics, samples: 10, types: 0, helps: 0, exemplars: 0),
        .init(file: "promtool/dump-openmetrics-roundtrip-test.prom", format: .openMetrics, samples: 14, types: 0, helps: 0, exemplars: 0),
    ]

    static func load(_ file: String) throws -> [UInt8] {
        let path = Conformance.path("exposition/" + file)
        return Array(try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    @Test(arguments: fixtures)
    func fixtureParsesWithExpectedCounts(_ fixture: Expectation) throws {
        let (entries, error) = parseAll(try Self.load(fixture.file), fixture.format)
        #expect(error == nil, "\(error.map(String.init(describing:)) ?? "")")
        var samples = 0, types = 0, helps = 0, exemplars = 0
        for entry in entries {
            switch entry {
            case let .series(_, _, _, exemplar): samples += 1; if exemplar != nil { exemplars += 1 }
            case .type: types += 1
            case .help: helps += 1
            default: break
            }
        }
        #expect(samples == fixture.samples)
        #expect(types == fixture.types)
        #expect(helps == fixture.helps)
        #expect(exemplars == fixture.exemplars)
        if fixture.format == .openMetrics { #expect(entries.last == .eof) }
    }

    @Test func familyTypesInAllTypes() throws {
        let (entries, _) = parseAll(try Self.load("textparse/alltypes.237mfs.prom.txt"), .text004)
        var counts: [MetricType: Int] = [:]
        for case let .type(_, type) in entries { counts[type, default: 0] += 1 }
        #expect(counts == [.counter: 112, .gauge: 97, .histogram: 15, .summary: 13])
    }

    @Test func openMetricsFamilyTypes() throws {
        let (entries, _) = parseAll(try Self.load("textparse/alltypes.5mfs.om.txt"), .openMetrics)
        var counts: [MetricType: Int] = [:]
        for case let .type(_, type) in entries { counts[type, default: 0] += 1 }
        #expect(counts == [.counter: 2, .gauge: 1, .histogram: 1, .summary: 1])
    }

    /// README §4: the dump of `load 1m` / `my_counter{foo="bar", baz="abc"} 1 2 3 4 5` /
    /// `my_gauge{bar="foo", abc="baz"} 9 8 0 4 7`.
    @Test func dumpMatchesItsLoadDescription() throws {
        let (entries, error) = parseAll(try Self.load("promtool/dump-openmetrics-test.prom"), .openMetrics)
        #expect(error == nil)
        var expected: [ParsedEntry] = []
        for (index, value) in [1.0, 2, 3, 4, 5].enumerated() {
            expected.append(.series(labels(["__name__": "my_counter", "foo": "bar", "baz": "abc"]), value, Int64(index) * 60_000))
        }
        for (index, value) in [9.0, 8, 0, 4, 7].enumerated() {
            expected.append(.series(labels(["__name__": "my_gauge", "bar": "foo", "abc": "baz"]), value, Int64(index) * 60_000))
        }
        expected.append(.eof)
        #expect(entries == expected)
    }

    @Test func metricsTestFamilies() throws {
        let (entries, _) = parseAll(try Self.load("promtool/metrics-test.prom"), .text004)
        var byFamily: [String: Int] = [:]
        let families = ["prometheus_tsdb_compaction_chunk_size_bytes", "go_gc_duration_seconds",
                        "net_conntrack_dialer_conn_attempted_total", "go_info"]
        for case let .series(labels, _, _, _) in entries {
            let name = labels.metricName ?? ""
            let family = families.first { name == $0 || name.hasPrefix($0 + "_") } ?? name
            byFamily[family, default: 0] += 1
        }
        #expect(byFamily == ["prometheus_tsdb_compaction_chunk_size_bytes": 15, "go_gc_duration_seconds": 7,
                             "net_conntrack_dialer_conn_attempted_total": 4, "go_info": 1])
    }

    @Test func openMetricsTimestampsAreMilliseconds() throws {
        let (entries, _) = parseAll(try Self.load("promtool/dump-openmetrics-roundtrip-test.prom"), .openMetrics)
        guard case let .series(labels, bits, ts, _) = entries.first else { Issue.record("no series"); return }
        #expect(labels.metricName == "my_histogram_bucket")
        #expect(labels["le"] == "+Inf")
        #expect(Double(bitPattern: bits) == 1.0267820369e+10)
        #expect(ts == 1_700_215_884_373)
    }

    @Test func exemplarIsRead() throws {
        let (entries, _) = parseAll(try Self.load("textparse/alltypes.5mfs.om.txt"), .openMetrics)
        let exemplar = entries.compactMap { entry -> ExpositionExemplar? in
            if case let .series(_, _, _, exemplar) = entry { return exemplar }
            return nil
        }.first
        #expect(exemplar?.labels == labels(["dummyID": "17783"]))
        #expect(exemplar?.value == -0.0003825067330956884)
        #expect(exemplar?.timestamp == 1_726_839_814_223)
    }
}
