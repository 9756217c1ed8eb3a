import Foundation
import PharosCore
import PharosTestSupport
import Testing

/// `promtool query instant|range` (Prometheus' own API client) against a live Pharos whose TSDB
/// holds a known data set: counters with fixed slopes and a gauge climbing by one per sample.
@Suite(.serialized) struct PromtoolQueryTests {
    typealias Point = QueryResultJSON.Point

    /// 20 minutes at a 15 s interval, ending 10 minutes ago (well inside the head).
    static let base: Int64 = (Int64(Date().timeIntervalSince1970) / 60 - 30) * 60_000
    static let steps = 0...80
    static let slopes = [("api", "a", 0.1), ("api", "b", 0.2), ("db", "c", 0.05)]

    static func seconds(_ i: Int) -> Double { Double(base) / 1000 + Double(i) * 15 }

    static func load(_ storage: any Appendable) async throws {
        let appender = storage.makeAppender()
        for i in steps {
            let t = base + Int64(i) * 15_000
            for (job, instance, slope) in slopes {
                _ = try appender.append(Labels(["__name__": "pharos_it_requests_total", "job": job, "instance": instance]),
                                        at: t, value: Double(i) * 15 * slope)
            }
            _ = try appender.append(Labels(["__name__": "pharos_it_temperature", "room": "x"]), at: t, value: 20 + Double(i))
        }
        try await appender.commit()
    }

    static func promtool(_ arguments: [String]) throws -> QueryResultJSON {
        let (status, output) = try Peers.run(Peers.promtool, ["query"] + arguments + ["-o", "json"])
        guard status == 0 else { throw PeerError("promtool query \(arguments) failed (\(status)): \(output)") }
        return try QueryResultJSON(json: Data(output.utf8))
    }

    @Test func instantAndRangeQueriesMatchTheWrittenData() async throws {
        try await withTemporaryDirectory { folder in
            try await withStandardServer(storagePath: folder + "/data") { port, storage in
                try await Self.load(storage)
                let url = "http://127.0.0.1:\(port)"
                let at = Self.seconds(40)
                let temperature = #"{__name__="pharos_it_temperature", room="x"}"#

                var cases: [(String, QueryResultJSON, QueryResultJSON)] = []
                cases.append(("instant gauge", try Self.promtool(["instant", "--time=\(at)", url, "pharos_it_temperature"]),
                              QueryResultJSON(series: [temperature: [Point(at, 60)]])))
                cases.append(("instant sum by rate",
                              try Self.promtool(["instant", "--time=\(at)", url, "sum by (job) (rate(pharos_it_requests_total[1m]))"]),
                              QueryResultJSON(series: [#"{job="api"}"#: [Point(at, 0.3)], #"{job="db"}"#: [Point(at, 0.05)]])))
                cases.append(("instant offset",
                              try Self.promtool(["instant", "--time=\(at)", url, #"pharos_it_requests_total{instance="b"} offset 5m"#]),
                              QueryResultJSON(series: [#"{__name__="pharos_it_requests_total", instance="b", job="api"}"#: [Point(at, 60)]])))
                cases.append(("instant scalar", try Self.promtool(["instant", "--time=\(at)", url, "1 + 2 * 3"]),
                              QueryResultJSON(series: ["scalar": [Point(at, 7)]])))
                cases.append(("range gauge",
                              try Self.promtool(["range", "--start=\(Self.seconds(20))", "--end=\(Self.seconds(28))", "--step=30s",
                                                 url, "pharos_it_temperature"]),
                              QueryResultJSON(series: [temperature: stride(from: 20, through: 28, by: 2).map { Point(Self.seconds($0), 20 + Double($0)) }])))
                cases.append(("range sum of rates",
                              try Self.promtool(["range", "--start=\(Self.seconds(20))", "--end=\(Self.seconds(40))", "--step=1m",
                                                 url, "sum(rate(pharos_it_requests_total[2m]))"]),
                              QueryResultJSON(series: ["{}": stride(from: 20, through: 40, by: 4).map { Point(Self.seconds($0), 0.35) }])))
                for (name, actual, expected) in cases {
                    #expect(actual.difference(from: expected, tolerance: 1e-9) == nil,
                            "\(name): \(actual.difference(from: expected) ?? "")\ngot:\n\(actual)\nwant:\n\(expected)")
                }
            }
        }
    }

    @Test func promtoolReportsPharosQueryErrors() async throws {
        try await withTemporaryDirectory { folder in
            try await withStandardServer(storagePath: folder + "/data") { port, _ in
                let (status, output) = try Peers.run(Peers.promtool, ["query", "instant", "http://127.0.0.1:\(port)", "sum(("])
                #expect(status != 0, "promtool accepted a broken expression: \(output)")
                #expect(output.contains("bad_data"), "promtool should relay Pharos' bad_data error: \(output)")
            }
        }
    }
}
