import Exposition
import Foundation
import NIOHTTP1
import PharosTestSupport
import Testing

/// The TSDB admin API against a real Prometheus 2.42, both with `--web.enable-admin-api`:
/// the same generated series remote-written into both, the same delete_series calls, then the
/// same queries must answer alike — first over the head, then over blocks (each server
/// restarted on a copy of its own snapshot), before and after clean_tombstones. A Prometheus
/// started on Pharos' snapshot, and one on Pharos' folder with Pharos-written tombstones,
/// must answer as Pharos does; promtool analyzes Pharos' snapshot.
@Suite(.serialized, .timeLimit(.minutes(8))) struct PrometheusAdminComparisonTests {
    static let span: Int64 = 50 * 60_000
    static let admin = "/api/v1/admin/tsdb"

    /// Expressions over every generated family (deleted and untouched series alike).
    static let queries = [
        "dt_temp", "dt_requests_total", "dt_latency_bucket", "dt_info",
        #"count by (__name__, job) ({__name__=~"dt_.*"})"#, "sum by (job) (rate(dt_requests_total[5m]))",
        "count_over_time(dt_temp[10m])", "timestamp(dt_temp)", "max_over_time(dt_latency_bucket[7m])",
    ]

    struct Sides {
        var base: Double
        var prometheus: TestHTTPClient
        var pharos: TestHTTPClient
    }

    /// Every query at five instants and as one range query, plus series, labels and label
    /// values over all time; returns the differences.
    static func differences(_ sides: Sides, _ what: String, queries: [String] = queries) async throws -> [String] {
        var failures: [String] = []
        for query in queries {
            for offset in [300.5, 900.5, 1500.5, 2100.5, 2700.5] {
                let time = sides.base + offset
                let want = try await sides.prometheus.query(query, at: time)
                let have = try await sides.pharos.query(query, at: time)
                if let difference = have.difference(from: want, tolerance: 1e-9) {
                    failures.append("\(what): \(query) at base+\(offset): \(difference)")
                    }
                }
            let want = try await sides.prometheus.queryRange(query, start: sides.base + 60.5, end: sides.base + 2990.5, step: 60)
            let have = try await sides.pharos.queryRange(query, start: sides.base + 60.5, end: sides.base + 2990.5, step: 60)
            if let difference = have.difference(from: want, tolerance: 1e-9) { failures.append("\(what): range \(query): \(difference)") }
        }
        for path in ["/api/v1/series?match%5B%5D=%7B__name__%3D~%22dt_.*%22%7D", "/api/v1/labels", "/api/v1/label/code/values",
                     "/api/v1/label/instance/values", "/api/v1/series?match%5B%5D=dt_requests_total%7Bcode%3D%22500%22%7D"] {
            let want = try await sides.prometheus.get(path)
            let have = try await sides.pharos.get(path)
            if try have.status != want.status || canonical(have.body) != canonical(want.body) {
                failures.append("\(what): GET \(path)\n  Prometheus \(want.body.prefix(600))\n  Pharos     \(have.body.prefix(600))")
            }
        }
        return failures
    }

    /// Deleted intervals, in seconds after the data's start, by selector.
    typealias Deletion = (selector: String, from: Double, through: Double)

    /// Samples `client` still returns inside deleted intervals: the raw samples of each
    /// deleted selector over (from, through], which must be empty.
    static func deletedSamplesShown(_ client: TestHTTPClient, base: Double, _ deletions: [Deletion]) async throws -> [String] {
        var shown: [String] = []
        for deletion in deletions {
            let range = Int(deletion.through - deletion.from)
            let answer = try await client.query("\(deletion.selector)[\(range)s]", at: base + deletion.through + 0.7)
            if !answer.series.isEmpty { shown.append("\(deletion.selector): \(answer.series.keys.sorted().prefix(3))") }
        }
        return shown
    }

    /// Pharos must never return deleted samples. Prometheus 2.42 sometimes does (from some chunk
    /// layouts of partly deleted chunks, e.g. PHAROS_DIFF_END=1796646473000): then its answers
    /// break its own API's contract and are not compared; otherwise both must answer alike.
    /// With `pharosIsPrometheus` the second side is a Prometheus reading Pharos' files: both
    /// sides then must honour the deletes for the comparison to mean anything.
    static func expectSameHonouringDeletes(_ sides: Sides, _ what: String, _ deletions: [Deletion], pharosIsPrometheus: Bool = false,
                                           queries: [String] = queries,
                                           sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let second = try await deletedSamplesShown(sides.pharos, base: sides.base, deletions)
        if !pharosIsPrometheus {
            #expect(second.isEmpty, "\(what): Pharos returns deleted samples: \(second)", sourceLocation: sourceLocation)
        }
        let prometheus = try await deletedSamplesShown(sides.prometheus, base: sides.base, deletions)
        guard prometheus.isEmpty, second.isEmpty else {
            print("\(what): Prometheus 2.42 returns deleted samples here (\(prometheus + second)); compared with the deletion rule only")
            return
        }
        try await expectSame(sides, what, queries: queries, sourceLocation: sourceLocation)
    }

    /// Records one issue listing every difference.
    static func expectSame(_ sides: Sides, _ what: String, queries: [String] = queries,
                           sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let failures = try await differences(sides, what, queries: queries)
        #expect(failures.isEmpty, "\(failures.count) differences:\n\(failures.prefix(30).joined(separator: "\n"))",
                sourceLocation: sourceLocation)
    }

    /// A JSON body with object keys and array elements sorted.
    static func canonical(_ body: String) throws -> String {
        func text(_ value: Any) -> String {
            switch value {
            case let object as [String: Any]: return "{" + object.keys.sorted().map { "\($0):" + text(object[$0]!) }.joined(separator: ",") + "}"
            case let array as [Any]: return "[" + array.map(text).sorted().joined(separator: ",") + "]"
            default: return "\(value)"
            }
        }
        return text(try JSONSerialization.jsonObject(with: Data(body.utf8), options: [.fragmentsAllowed]))
    }

    /// Sends the same admin request to both; both must answer `status` with equal bodies.
    static func both(_ sides: Sides, _ method: HTTPMethod, _ path: String, form: String? = nil, status: Int) async throws {
        for client in [sides.prometheus, sides.pharos] {
            let response = try await client.send(method, path, body: form, contentType: form == nil ? nil : "application/x-www-form-urlencoded")
            #expect(response.status == status, "\(method) \(path) on \(client.port): \(response.status) \(response.body)")
            if status == 204 { #expect(response.body.isEmpty) }
        }
    }

    /// `start`/`end` form values `seconds` after `base`, between two samples of the 15 s grid.
    static func at(_ base: Double, _ seconds: Double) -> String { String(format: "%.3f", base + seconds + 0.7) }

    static func snapshot(_ client: TestHTTPClient, dataPath: String) async throws -> String {
        let response = try await client.send(.POST, admin + "/snapshot", body: nil)
        try #require(response.status == 200, "snapshot: \(response.status) \(response.body)")
        let data = (try JSONSerialization.jsonObject(with: Data(response.body.utf8)) as? [String: Any])?["data"] as? [String: Any]
        let name = try #require(data?["name"] as? String)
        #expect(name.range(of: #"^\d{8}T\d{6}Z-[0-9a-f]{16}$"#, options: .regularExpression) != nil, "\(name)")
        let path = dataPath + "/snapshots/" + name
        #expect(FileManager.default.fileExists(atPath: path))
        return path
    }

    @Test func deletesSnapshotsAndCleanUpAnswerAsPrometheus() async throws {
        try await withTemporaryDirectory { folder in
            let end = ProcessInfo.processInfo.environment["PHAROS_DIFF_END"].flatMap { Int64($0) }
                ?? Int64(Date().timeIntervalSince1970) * 1000
            let base = end - Self.span
            let request = DifferentialData.generate(seed: 3, from: base, through: end)
            let config = "global:\n  scrape_interval: 1m\nscrape_configs: []\n"
            for name in ["p1", "p2", "p3", "p4"] { try FileManager.default.createDirectory(atPath: folder + "/" + name, withIntermediateDirectories: true) }
            try config.write(toFile: folder + "/pharos.yml", atomically: true, encoding: .utf8)
            let pharosArguments = ["--config.file=\(folder)/pharos.yml", "--web.enable-admin-api"]
            let prometheus = try await PrometheusPeer.start(folder: folder + "/p1", config: config,
                                                            extraArguments: ["--web.enable-remote-write-receiver", "--web.enable-admin-api"])
            defer { prometheus.stop() }
            let pharos = try await PharosSubprocess(dataPath: folder + "/pharos-data", logPath: folder + "/pharos.log", extraArguments: pharosArguments)
            defer { pharos.stop() }
            let head = Sides(base: Double(base) / 1000, prometheus: prometheus.client, pharos: pharos.client)
            for client in [head.prometheus, head.pharos] {
                let response = try await client.remoteWrite(request)
                try #require((200..<300).contains(response.status), "remote write to \(client.port): \(response.status) \(response.body)")
            }

            // The flag shows; bad requests answer alike, byte for byte.
            let flags = try await pharos.client.get("/api/v1/status/flags")
            #expect(flags.body.contains(#""web.enable-admin-api":"true""#), "\(flags.body)")
            for path in ["/snapshot?skip_head=x", "/delete_series", "/delete_series?match%5B%5D=up&start=x",
                         "/delete_series?match%5B%5D=up&end=x", "/delete_series?match%5B%5D=%7B", "/delete_series?match%5B%5D=up&x=%zz"] {
                for method in [HTTPMethod.POST, .PUT] {
                    let want = try await prometheus.client.send(method, Self.admin + path, body: nil)
                    let have = try await pharos.client.send(method, Self.admin + path, body: nil)
                    #expect(have.status == want.status && have.body == want.body,
                            "\(method) \(path)\nPharos:     \(have.status) \(have.body)\nPrometheus: \(want.status) \(want.body)")
                }
            }
            try await Self.expectSame(head, "before deletes")

            // Deletes in the head: a window, all time, an open start, a PUT with a form body.
            let b = head.base
            try await Self.both(head, .POST, Self.admin + "/delete_series?match%5B%5D=dt_temp%7Bjob%3D%22web%22%7D&start=\(Self.at(b, 600))&end=\(Self.at(b, 1200))", status: 204)
            try await Self.both(head, .POST, Self.admin + "/delete_series?match%5B%5D=dt_requests_total%7Bcode%3D%22500%22%7D", status: 204)
            try await Self.both(head, .POST, Self.admin + "/delete_series?match%5B%5D=%7Binstance%3D%22c%22,job%3D%22api%22%7D&end=\(Self.at(b, 1800))", status: 204)
            try await Self.both(head, .PUT, Self.admin + "/delete_series",
                                form: "match%5B%5D=dt_latency_bucket%7Ble%3D%220.5%22%7D&start=\(Self.at(b, 100))&end=\(Self.at(b, 2500))", status: 204)
            try await Self.expectSameHonouringDeletes(head, "after head deletes", [
                (#"dt_temp{job="web"}"#, 600, 1200), (#"dt_requests_total{code="500"}"#, 0, 3000),
                (#"{instance="c",job="api"}"#, 0, 1800), (#"dt_latency_bucket{le="0.5"}"#, 100, 2500),
            ])

            // Snapshots with the head: each server is started again on a copy of its own.
            let pharosSnapshot = try await Self.snapshot(pharos.client, dataPath: folder + "/pharos-data")
            let prometheusSnapshot = try await Self.snapshot(prometheus.client, dataPath: folder + "/p1/prometheus-data")
            let analysis = try Peers.run(Peers.promtool, ["tsdb", "analyze", pharosSnapshot])
            #expect(analysis.status == 0, "promtool tsdb analyze: \(analysis.output)")
            try FileManager.default.copyItem(atPath: pharosSnapshot, toPath: folder + "/p2/prometheus-data")
            try FileManager.default.copyItem(atPath: pharosSnapshot, toPath: folder + "/pharos-blocks")
            try FileManager.default.copyItem(atPath: prometheusSnapshot, toPath: folder + "/p3/prometheus-data")

            // Block tombstones: both servers on their snapshots (the data is in blocks now).
            let prometheusBlocks = try await PrometheusPeer.start(folder: folder + "/p3", config: config, extraArguments: ["--web.enable-admin-api"])
            defer { prometheusBlocks.stop() }
            // Prometheus reads Pharos' snapshot as its data folder and answers as it does on its own.
            let onPharosSnapshot = try await PrometheusPeer.start(folder: folder + "/p2", config: config)
            try await Self.expectSame(Sides(base: b, prometheus: prometheusBlocks.client, pharos: onPharosSnapshot.client),
                                      "Prometheus on Pharos' snapshot")
            onPharosSnapshot.stop()
            var pharosBlocks = try await PharosSubprocess(dataPath: folder + "/pharos-blocks", logPath: folder + "/pharos-blocks.log",
                                                          extraArguments: pharosArguments)
            var blocks = Sides(base: b, prometheus: prometheusBlocks.client, pharos: pharosBlocks.client)
            try await Self.expectSame(blocks, "on snapshots")
            try await Self.both(blocks, .POST, Self.admin + "/delete_series?match%5B%5D=dt_temp%7Binstance%3D%22a%22%7D&start=\(Self.at(b, 1500))&end=\(Self.at(b, 2400))", status: 204)
            try await Self.both(blocks, .PUT, Self.admin + "/delete_series?match%5B%5D=dt_info", status: 204)
            try await Self.both(blocks, .POST, Self.admin + "/delete_series?match%5B%5D=dt_requests_total%7Bjob%3D%22web%22%7D&start=\(Self.at(b, 2000))", status: 204)
            let blockDeletions: [Deletion] = [
                (#"dt_temp{instance="a"}"#, 1500, 2400), (#"dt_info"#, 0, 3000), (#"dt_requests_total{job="web"}"#, 2000, 3000),
            ]
            try await Self.expectSameHonouringDeletes(blocks, "after block deletes", blockDeletions)

            // Prometheus reads the tombstones files Pharos wrote: promtool's dump of Pharos' folder
            // equals its dump of Prometheus' own, and a Prometheus server on a copy answers alike.
            // (Only plain selectors there: Prometheus 2.42's windowed reads of partly deleted
            // chunks depend on the chunk layout — count_over_time over Pharos' chunks shows
            // deleted samples that a full read does not; Pharos answers as Prometheus does on
            // its own blocks.)
            pharosBlocks.stop()
            let pharosDump = try Peers.run(Peers.promtool, ["tsdb", "dump", folder + "/pharos-blocks"])
            let prometheusDump = try Peers.run(Peers.promtool, ["tsdb", "dump", folder + "/p3/prometheus-data"])
            #expect(pharosDump.status == 0 && prometheusDump.status == 0, "\(pharosDump.output.prefix(500))")
            let pharosLines = Set(pharosDump.output.split(separator: "\n")), prometheusLines = Set(prometheusDump.output.split(separator: "\n"))
            #expect(pharosLines == prometheusLines && pharosLines.count > 1000,
                    "only Pharos: \(pharosLines.subtracting(prometheusLines).prefix(5)), only Prometheus: \(prometheusLines.subtracting(pharosLines).prefix(5))")
            try FileManager.default.copyItem(atPath: folder + "/pharos-blocks", toPath: folder + "/p4/prometheus-data")
            let onPharosTombstones = try await PrometheusPeer.start(folder: folder + "/p4", config: config)
            try await Self.expectSameHonouringDeletes(Sides(base: b, prometheus: prometheusBlocks.client, pharos: onPharosTombstones.client),
                                                      "Prometheus on Pharos' tombstones", blockDeletions, pharosIsPrometheus: true,
                                                      queries: ["dt_temp", "dt_requests_total", "dt_info", "dt_latency_bucket"])
            onPharosTombstones.stop()
            if let keep = ProcessInfo.processInfo.environment["PHAROS_ADMIN_KEEP"] { // keeps every folder for a look with promtool
                try? FileManager.default.removeItem(atPath: keep)
                try FileManager.default.copyItem(atPath: folder, toPath: keep)
            }

            // clean_tombstones rewrites the blocks; the answers stay the same.
            pharosBlocks = try await PharosSubprocess(dataPath: folder + "/pharos-blocks", logPath: folder + "/pharos-blocks-2.log",
                                                      extraArguments: pharosArguments)
            defer { pharosBlocks.stop() }
            blocks.pharos = pharosBlocks.client
            try await Self.both(blocks, .POST, Self.admin + "/clean_tombstones", status: 204)
            try await Self.both(blocks, .PUT, Self.admin + "/clean_tombstones", status: 204)
            try await Self.expectSame(blocks, "after clean_tombstones")
            let folders = try FileManager.default.contentsOfDirectory(atPath: folder + "/pharos-blocks").filter { $0.count == 26 }
            for name in folders {
                let tombstones = try Data(contentsOf: URL(fileURLWithPath: folder + "/pharos-blocks/" + name + "/tombstones"))
                #expect(tombstones.count == 9, "block \(name) still has tombstones")
            }
            #expect(!folders.isEmpty)
        }
    }
}
