import Foundation
import PharosCore
import PharosHTTP
import PharosServer
import PromQL
import Synchronization
import Testing

/// Echoes the query and time back as a string result, so routing and parameter plumbing
/// over real HTTP can be checked end to end.
private struct EchoEngine: PromQLQuerying {
    func instantQuery(_ query: String, at time: Timestamp, on storage: any Queryable) async throws(QueryError) -> QueryResult {
        if query == "bad(" { throw QueryError(.badData, "1:5: parse error: unclosed left parenthesis") }
        if query == "explode" { throw QueryError(.execution, "found duplicate series for the match group") }
        return QueryResult(value: .string(timestamp: time, value: query))
    }

    func rangeQuery(_ query: String, start: Timestamp, end: Timestamp, step: Int64,
                    on storage: any Queryable) async throws(QueryError) -> QueryResult {
        var samples: [Sample] = []
        var t = start
        while t <= end {
            samples.append(Sample(timestamp: t, value: Double(step)))
            t += step
        }
        return QueryResult(value: .matrix([RangeSeries(labels: Labels(["q": query]), samples: samples)]))
    }
}

private struct OneSeriesStorage: Queryable {
    func withQuerier<R: Sendable>(from mint: Timestamp, through maxt: Timestamp,
                                  _ body: (any Querier) async throws -> R) async throws -> R {
        try await body(OneSeriesQuerier())
    }
}

private struct OneSeriesQuerier: Querier {
    let labels = Labels(["__name__": "up", "job": "pharos"])
    func select(_ matchers: [LabelMatcher], hints: SelectHints?, sorted: Bool) async throws -> any SeriesSet {
        OneSet(pending: matchers.allSatisfy { $0.matches(labels[$0.name]) } ? [ArraySeries(labels: labels, samples: [])] : [])
    }
    func labelNames(matching: [LabelMatcher]) async throws -> [String] { labels.map(\.name) }
    func labelValues(_ name: String, matching: [LabelMatcher]) async throws -> [String] { labels.value(of: name).map { [$0] } ?? [] }
}

private struct OneSet: SeriesSet {
    var pending: [ArraySeries]
    var annotations = Annotations()
    mutating func next() throws -> (any Series)? { pending.popLast() }
}

@Suite(.timeLimit(.minutes(10))) struct PrometheusAPIRoutesTests {
    func withAPI(_ body: (TestHTTPClient) async throws -> Void) async throws {
        try await withLiveServer(configure: { (server: inout PharosServer) in
            server.engine = EchoEngine()
            server.storage = OneSeriesStorage()
            server.parseSelector = { text in [LabelMatcher.equal("__name__", text)] }
            server.options.flags = ["web.listen-address": "127.0.0.1:0"]
        }) { port, _ async throws in
            try await body(TestHTTPClient(port: port))
        }
    }

    @Test func instantQueryGetAndPost() async throws {
        try await withAPI { client async throws in
            let get = try await client.get("/api/v1/query?query=sum%28up%29&time=10.25")
            #expect(get.status == 200)
            #expect(get.headers["content-type"] == "application/json")
            #expect(get.body == #"{"status":"success","data":{"resultType":"string","result":[10.250,"sum(up)"]}}"#)
            let post = try await client.postForm("/api/v1/query", "query=rate(x%5B5m%5D)&time=2015-07-01T20:10:51.781Z")
            #expect(post.body == #"{"status":"success","data":{"resultType":"string","result":[1435781451.781,"rate(x[5m])"]}}"#)
            // As in Go's r.Form, body values take precedence over the URL query's.
            let both = try await client.postForm("/api/v1/query?query=fromURL&time=1", "query=fromBody")
            #expect(both.body == #"{"status":"success","data":{"resultType":"string","result":[1,"fromBody"]}}"#)
        }
    }

    @Test func queryErrorsUseTheirStatus() async throws {
        try await withAPI { client async throws in
            let bad = try await client.get("/api/v1/query?query=bad(")
            #expect(bad.status == 400)
            #expect(bad.body == #"{"status":"error","errorType":"bad_data","error":"invalid parameter \"query\": 1:5: parse error: unclosed left parenthesis"}"#)
            let exec = try await client.get("/api/v1/query?query=explode")
            #expect(exec.status == 422)
            #expect(exec.body.contains(#""errorType":"execution""#))
            // As Go's r.Form, a pair with a bad escape is dropped (the engine sees no query);
            // only series refuses the whole form.
            let badForm = try await client.get("/api/v1/query?query=%zz&time=1")
            #expect(badForm.body == #"{"status":"success","data":{"resultType":"string","result":[1,""]}}"#)
            let badSeries = try await client.get("/api/v1/series?match[]=up&x=%zz")
            #expect(badSeries.status == 400)
            #expect(badSeries.body == #"{"status":"error","errorType":"bad_data","error":"error parsing form values: invalid URL escape \"%zz\""}"#)
        }
    }

    @Test func rangeQuery() async throws {
        try await withAPI { client async throws in
            let response = try await client.postForm("/api/v1/query_range", "query=up&start=0&end=1&step=0.5")
            #expect(response.status == 200)
            #expect(response.body == #"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"q":"up"},"values":[[0,"500"],[0.500,"500"],[1,"500"]]}]}}"#)
            #expect(try await client.get("/api/v1/query_range?query=up&start=1&end=0&step=1").status == 400)
        }
    }

    @Test func seriesAndLabels() async throws {
        try await withAPI { client async throws in
            #expect(try await client.get("/api/v1/series?match[]=up").body == #"{"status":"success","data":[{"__name__":"up","job":"pharos"}]}"#)
            #expect(try await client.postForm("/api/v1/series", "match%5B%5D=down").body == #"{"status":"success","data":[]}"#)
            #expect(try await client.get("/api/v1/series").status == 400)
            #expect(try await client.get("/api/v1/labels").body == #"{"status":"success","data":["__name__","job"]}"#)
            #expect(try await client.get("/api/v1/label/job/values").body == #"{"status":"success","data":["pharos"]}"#)
        }
    }

    @Test func statusEndpoints() async throws {
        try await withAPI { client async throws in
            #expect(try await client.get("/api/v1/status/flags").body == #"{"status":"success","data":{"web.listen-address":"127.0.0.1:0"}}"#)
            #expect(try await client.get("/api/v1/status/config").body == #"{"status":"success","data":{"yaml":""}}"#)
            let build = try await client.get("/api/v1/status/buildinfo")
            #expect(build.body.contains(#""version":"\#(PharosServer.version)""#))
            let runtime = try await client.get("/api/v1/status/runtimeinfo")
            let object = try JSONSerialization.jsonObject(with: Data(runtime.body.utf8)) as? [String: Any]
            let data = object?["data"] as? [String: Any]
            #expect(data?["storageRetention"] as? String == "15d")
            #expect(data?["CWD"] as? String == FileManager.default.currentDirectoryPath)
        }
    }

    @Test func withoutEngineTheAPIIsUnavailable() async throws {
        try await withLiveServer { port, _ async throws in
            let response = try await TestHTTPClient(port: port).get("/api/v1/query?query=up")
            #expect(response.status == 503)
            #expect(response.body == #"{"status":"error","errorType":"unavailable","error":"query engine is not available"}"#)
        }
    }
}
