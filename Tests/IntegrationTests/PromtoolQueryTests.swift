import Exposition
import Foundation
import PharosCore
import PharosTestSupport
import Testing

/// `promtool query instant|range` (Prometheus' own API client) against a live Pharos whose TSDB
/// received a known data set through remote write: counters with fixed slopes and a gauge climbing by one per sample.
@Suite(.serialized, .timeLimit(.minutes(10))) struct PromtoolQueryTests {
    typealias Point = QueryResultJSON.Point

    /// 20 minutes at a 15 s interval, ending 10 minutes ago (well inside the head).
    static let base: Int64 = (Int64(Date().timeIntervalSince1970) / 60 - 30) * 60_000
    static let steps = 0...80
    static let slopes = [("api", "a", 0.1), ("api", "b", 0.2), ("db", "c", 0.05)]

    static func seconds(_ i: Int) -> Double { Double(base) / 1000 + Double(i) * 15 }

    /// Writes the data set through `POST /api/v1/write`, as a remote-write sender would.
    static func load(port: Int) async throws {
        var series: [RemoteTimeSeries] = slopes.map { job, instance, slope in
            RemoteTimeSeries(labels: [Label(name: "__name__", value: "pharos_it_requests_total"),
                                      Label(name: "instance", value: instance), Label(name: "job", value: job)],
                             samples: steps.map { Sample(timestamp: base + Int64($0) * 15_000, value: Double($0) * 15 * slope) })
        }
        series.append(RemoteTimeSeries(labels: [Label(name: "__name__", value: "pharos_it_temperature"), Label(name: "room", value: "x")],
                                       samples: steps.map { Sample(timestamp: base + Int64($0) * 15_000, value: 20 + Double($0)) }))
        let response = try await TestHTTPClient(port: port).remoteWrite(WriteRequest(timeseries: series))
        guard (200..<300).contains(response.status) else {
            throw PeerError("remote write refused: \(response.status) \(response.body)")
        }
    }

    static func promtool(_ arguments: [String]) throws -> QueryResultJSON {
        let (status, output) = try Peers.run(Peers.promtool, ["query"] + arguments + ["-o", "json"])
        guard status == 0 else { throw PeerError("promtool query \(arguments) failed (\(status)): \(output)") }
        return try QueryResultJSON(json: Data(output.utf8))
    }

    @Test func instantAndRangeQueriesMatchTheWrittenData() async throws {
        try await withTemporaryDirectory { folder in
            try await withStandardServer(storagePath: folder + "/data") { port, _ in
                try await Self.load(port: port)
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
