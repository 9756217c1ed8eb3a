import Foundation
import NIOHTTP1
import PharosTestSupport
import Testing

/// Pharos and a real Prometheus 2.42 scrape the same prometheus_client app; the metadata
/// endpoints, `/api/v1/status/tsdb` and the GET/POST behaviour of every `/api/v1/*` endpoint
/// must answer in the same shape (same status codes, `status`/`errorType`/`error`, same data
/// where it does not depend on map order or timing).
@Suite(.serialized, .timeLimit(.minutes(10))) struct PrometheusMetadataComparisonTests {
    struct Pair {
        let pharos: TestHTTPClient
        let prometheus: TestHTTPClient
    }

    static func withBoth(_ body: (Pair) async throws -> Void) async throws {
        try await withTemporaryDirectory { folder in
            let (app, appPort) = try await MetricsTestApp.startApp(folder: folder, tick: false)
            defer { app.stop() }
            let config = MetricsTestApp.scrapeConfig(appPort: appPort)
            try config.write(toFile: folder + "/scrape.yml", atomically: true, encoding: .utf8)
            let pharos = try await PharosSubprocess(dataPath: folder + "/pharos-data", logPath: folder + "/pharos.log",
                                                    extraArguments: ["--config.file=\(folder)/scrape.yml"])
            defer { pharos.stop() }
            let prometheus = try await PrometheusPeer.start(folder: folder, config: config)
            defer { prometheus.stop() }
            let pair = Pair(pharos: pharos.client, prometheus: prometheus.client)
            // Both have scraped at least twice once scrape_samples_scraped has two samples.
            for client in [pair.pharos, pair.prometheus] {
                var scraped = false
                for _ in 0..<120 where !scraped {
                    let response = try await client.get("/api/v1/query?query=count_over_time(scrape_samples_scraped%5B1m%5D)%3E%3D2")
                    scraped = response.body.contains(#""result":[{"#)
                    if !scraped { try await Task.sleep(for: .milliseconds(250)) }
                }
                try #require(scraped, "no two scrapes within 30 s\n\(pharos.log)\n\(prometheus.log)")
            }
            try await body(pair)
        }
    }

    /// One request; when the connection fails (a server may close it after refusing a
    /// request whose body is still being written) it is retried, three attempts in all.
    static func send(_ client: TestHTTPClient, _ method: HTTPMethod, _ path: String,
                     form: String? = nil) async throws -> TestHTTPClient.Response {
        var attempt = 1
        while true {
            do {
                guard let form else { return try await client.send(method, path, body: nil) }
                return try await client.send(method, path, body: form, contentType: "application/x-www-form-urlencoded")
            } catch {
                if attempt == 3 { throw error }
                attempt += 1
            }
        }
    }

    static func json(_ body: String) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(body.utf8), options: [.fragmentsAllowed])
    }

    /// Canonical text of a JSON value: object keys sorted, arrays optionally sorted too.
    static func canonical(_ value: Any, sortArrays: Bool) -> String {
        switch value {
        case let object as [String: Any]:
            return "{" + object.keys.sorted().map { "\($0):" + canonical(object[$0]!, sortArrays: sortArrays) }.joined(separator: ",") + "}"
        case let array as [Any]:
            var items = array.map { canonical($0, sortArrays: sortArrays) }
            if sortArrays { items.sort() }
            return "[" + items.joined(separator: ",") + "]"
        default:
            return "\(value)"
        }
    }

    /// One Prometheus, one Pharos and one app for every check: each setup costs ~15 s.
    @Test func pharosAnswersAsPrometheus() async throws {
        try await Self.withBoth { pair in
            try await Self.checkMetadataEndpoints(pair)
            try await Self.checkTSDBStatus(pair)
            try await Self.checkErrorBodies(pair)
            try await Self.checkMethodsAndErrorShapes(pair)
        }
    }

    static func checkMetadataEndpoints(_ pair: Pair) async throws {
        let sameData = [
            "/api/v1/metadata", "/api/v1/metadata?metric=pharos_app_requests", "/api/v1/metadata?metric=absent",
            "/api/v1/metadata?limit=0", "/api/v1/metadata?limit=x",
            "/api/v1/targets/metadata", "/api/v1/targets/metadata?metric=pharos_app_latency_seconds",
            "/api/v1/targets/metadata?match_target=%7Bjob%3D%22app%22%7D", "/api/v1/targets/metadata?match_target=%7Bjob%3D%22nope%22%7D",
            "/api/v1/targets/metadata?limit=1", "/api/v1/targets/metadata?limit=x",
        ]
        for path in sameData {
            let want = try await pair.prometheus.get(path)
            let have = try await pair.pharos.get(path)
            #expect(have.status == want.status, "\(path)")
            #expect(have.headers["content-type"] == want.headers["content-type"], "\(path)")
            // Order inside metadata lists is Go map order in Prometheus: compare as sets.
            #expect(Self.canonical(try Self.json(have.body), sortArrays: true) == Self.canonical(try Self.json(want.body), sortArrays: true),
                    "\(path)\nPharos:     \(have.body)\nPrometheus: \(want.body)")
        }
        // A limit picks arbitrary metrics in Prometheus (map order): compare the count.
        let want = try Self.json(try await pair.prometheus.get("/api/v1/metadata?limit=2").body) as? [String: Any]
        let have = try Self.json(try await pair.pharos.get("/api/v1/metadata?limit=2").body) as? [String: Any]
        #expect((have?["data"] as? [String: Any])?.count == 2)
        #expect((want?["data"] as? [String: Any])?.count == 2)
        // A broken selector: same status and error type, Prometheus' wording for the parameter.
        let brokenPath = "/api/v1/targets/metadata?match_target=%7Bjob"
        let brokenWant = try Self.json(try await pair.prometheus.get(brokenPath).body) as? [String: Any]
        let broken = try await pair.pharos.get(brokenPath)
        let brokenHave = try Self.json(broken.body) as? [String: Any]
        #expect(broken.status == 400)
        #expect(brokenHave?["errorType"] as? String == brokenWant?["errorType"] as? String)
        #expect((brokenHave?["error"] as? String)?.hasPrefix(#"invalid parameter "match_target": 1:"#) == true, "\(broken.body)")
    }

    static func checkTSDBStatus(_ pair: Pair) async throws {
        let wantBody = try await pair.prometheus.get("/api/v1/status/tsdb")
        let haveBody = try await pair.pharos.get("/api/v1/status/tsdb")
        #expect(haveBody.status == 200 && wantBody.status == 200)
        let want = (try Self.json(wantBody.body) as? [String: Any])?["data"] as? [String: Any] ?? [:]
        let have = (try Self.json(haveBody.body) as? [String: Any])?["data"] as? [String: Any] ?? [:]
        #expect(have.keys.sorted() == want.keys.sorted())
        let wantHead = want["headStats"] as? [String: Any] ?? [:]
        let haveHead = have["headStats"] as? [String: Any] ?? [:]
        #expect(haveHead.keys.sorted() == wantHead.keys.sorted())
        // Same target, same format: the same series and label pairs.
        for key in ["numSeries", "numLabelPairs"] {
            #expect(haveHead[key] as? Int == wantHead[key] as? Int, "\(key)\nPharos:     \(haveBody.body)\nPrometheus: \(wantBody.body)")
        }
        #expect((haveHead["chunkCount"] as? Int ?? 0) >= (haveHead["numSeries"] as? Int ?? 0))
        // Lists shorter than 10 must be equal as sets; longer ones cut ties arbitrarily,
        // so compare their values only.
        for key in ["seriesCountByMetricName", "labelValueCountByLabelName", "memoryInBytesByLabelName", "seriesCountByLabelValuePair"] {
            let wantList = want[key] as? [[String: Any]] ?? []
            let haveList = have[key] as? [[String: Any]] ?? []
            #expect(haveList.count == wantList.count, "\(key)")
            #expect(haveList.compactMap { $0["value"] as? Int } == wantList.compactMap { $0["value"] as? Int },
                    "\(key)\nPharos:     \(haveList)\nPrometheus: \(wantList)")
            if wantList.count < 10 {
                #expect(Self.canonical(haveList, sortArrays: true) == Self.canonical(wantList, sortArrays: true), "\(key)")
            }
        }
    }

    /// Requests whose whole answer (status code and body) does not depend on the data or the
    /// clock: both servers must give the same bytes.
    static func checkErrorBodies(_ pair: Pair) async throws {
        let paths = [
            "/api/v1/query", "/api/v1/query?query=sum(", "/api/v1/query?query=up&time=x", "/api/v1/query?query=up&timeout=x",
            "/api/v1/query_range", "/api/v1/query_range?query=up&start=1&end=2&step=0",
            "/api/v1/query_range?query=up&start=2&end=1&step=1", "/api/v1/query_range?query=up&start=1&end=100000&step=1",
            "/api/v1/series", "/api/v1/series?match%5B%5D=%7B", "/api/v1/series?match%5B%5D=%7Ba%3D%22%22%7D",
            "/api/v1/series?match%5B%5D=up&x=%zz", "/api/v1/labels?start=x", "/api/v1/labels?match%5B%5D=%7B",
            "/api/v1/labels?match%5B%5D=%7Ba%3D%22%22%7D", "/api/v1/label/job/values?match%5B%5D=%7B",
            "/api/v1/label/job/values?end=x", "/api/v1/metadata?limit=x", "/api/v1/targets/metadata?limit=x",
            "/api/v1/label/job/values?x=%zz", "/api/v1/metadata?x=%zz&metric=absent",
            "/api/v1/status/walreplay",   // both replayed an empty folder: {0, 0, 0}
        ]
        for path in paths {
            let want = try await pair.prometheus.get(path)
            let have = try await pair.pharos.get(path)
            #expect(have.status == want.status && have.body == want.body,
                    "GET \(path)\nPharos:     \(have.status) \(have.body)\nPrometheus: \(want.status) \(want.body)")
        }
    }

    /// Every `/api/v1/*` read endpoint on GET and form POST: the same status code, content
    /// type and, for JSON answers, the same `status` and `errorType`.
    static func checkMethodsAndErrorShapes(_ pair: Pair) async throws {
        let paths = [
            "/api/v1/query", "/api/v1/query?query=up", "/api/v1/query?query=sum(", "/api/v1/query?query=up&time=x",
            "/api/v1/query_range", "/api/v1/query_range?query=up&start=1&end=2&step=1",
            "/api/v1/query_range?query=up&start=2&end=1&step=1", "/api/v1/query_range?query=up&start=1&end=2&step=0",
            "/api/v1/series", "/api/v1/series?match%5B%5D=up", "/api/v1/series?match%5B%5D=%7B",
            "/api/v1/labels", "/api/v1/labels?start=x", "/api/v1/label/job/values",
            "/api/v1/metadata", "/api/v1/targets/metadata", "/api/v1/targets", "/api/v1/targets?state=x",
            "/api/v1/status/config", "/api/v1/status/flags", "/api/v1/status/runtimeinfo",
            "/api/v1/status/buildinfo", "/api/v1/status/tsdb", "/api/v1/no_such_endpoint",
            "/api/v1/query_exemplars?query=sum(", "/api/v1/query_exemplars?query=up&start=x",
        ]
        // Methods outside the handlers: OPTIONS (204), refused methods (405 + Allow),
        // Prometheus' unimplemented DELETE /series, unknown paths.
        for path in ["/api/v1/query", "/api/v1/series", "/api/v1/labels", "/api/v1/metadata", "/api/v1/targets",
                     "/api/v1/label/job/values", "/api/v1/status/tsdb", "/api/v1/no_such_endpoint", "/api/v1/write",
                     "/api/v1/query_exemplars"] {
            for method in [HTTPMethod.PUT, .DELETE, .PATCH, .OPTIONS] + (path == "/api/v1/write" ? [.GET] : []) {
                let want = try await Self.send(pair.prometheus, method, path)
                let have = try await Self.send(pair.pharos, method, path)
                let label = "\(method) \(path)"
                #expect(have.status == want.status, "\(label): Pharos \(have.status) \(have.body), Prometheus \(want.status) \(want.body)")
                #expect(have.headers["allow"] == want.headers["allow"], "\(label)")
                #expect(have.body == want.body, "\(label)")
            }
        }
        // The admin endpoints without --web.enable-admin-api: same status (500), body, Allow.
        for path in ["/api/v1/admin/tsdb/snapshot", "/api/v1/admin/tsdb/delete_series?match%5B%5D=up",
                     "/api/v1/admin/tsdb/clean_tombstones"] {
            for method in [HTTPMethod.POST, .PUT, .GET, .DELETE, .PATCH, .OPTIONS] {
                let want = try await Self.send(pair.prometheus, method, path)
                let have = try await Self.send(pair.pharos, method, path)
                let label = "\(method) \(path)"
                #expect(have.status == want.status && have.body == want.body,
                        "\(label): Pharos \(have.status) \(have.body), Prometheus \(want.status) \(want.body)")
                #expect(have.headers["allow"] == want.headers["allow"], "\(label)")
            }
        }
        for path in paths {
            let (route, query) = path.firstIndex(of: "?").map { (String(path[..<$0]), String(path[path.index(after: $0)...])) } ?? (path, "")
            for method in ["GET", "POST"] {
                let want = method == "GET" ? try await Self.send(pair.prometheus, .GET, path)
                    : try await Self.send(pair.prometheus, .POST, route, form: query)
                let have = method == "GET" ? try await Self.send(pair.pharos, .GET, path)
                    : try await Self.send(pair.pharos, .POST, route, form: query)
                let label = "\(method) \(path)"
                #expect(have.status == want.status, "\(label): Pharos \(have.status) \(have.body), Prometheus \(want.status) \(want.body)")
                let wantType = want.headers["content-type"] ?? ""
                #expect((have.headers["content-type"] ?? "").hasPrefix(wantType.split(separator: ";").first.map(String.init) ?? ""),
                        "\(label): content type \(have.headers["content-type"] ?? "none"), want \(wantType)")
                if have.status == 405 { #expect(have.headers["allow"] == want.headers["allow"], "\(label)") }
                guard wantType.hasPrefix("application/json") else { continue }
                let wantObject = try Self.json(want.body) as? [String: Any] ?? [:]
                let haveObject = try Self.json(have.body) as? [String: Any] ?? [:]
                #expect(haveObject["status"] as? String == wantObject["status"] as? String, "\(label)")
                #expect(haveObject["errorType"] as? String == wantObject["errorType"] as? String, "\(label): \(have.body) vs \(want.body)")
                #expect((haveObject["error"] == nil) == (wantObject["error"] == nil), "\(label)")
            }
        }
    }
}
