import Exposition
import Foundation
import Logging
import PharosCore
import PharosTestSupport

/// Fixtures and comparison helpers for `ExemplarDifferentialTests`.
enum ExemplarFixture {
    /// `le` values are written in the float form Prometheus 3 normalises them to (`1.0`), so 2.42,
    /// which keeps them as written, stores the same series (Docs/compatibility.md).
    /// Version `version` (1…3) of the scraped OpenMetrics body. `jobs_total`'s explicit sample
    /// timestamp is `base` plus three minutes plus `version` seconds: within both heads' bounds,
    /// and after Prometheus started, so its remote write sends the samples (it skips older ones,
    /// and the exemplars of a series it never sent have nothing to attach to). Exemplar
    /// timestamps are fixed in the past.
    ///
    /// What each version exercises, identically in Prometheus 2.42 and Pharos:
    /// - `req_total{code="200"}`: a new exemplar per version, v3's older than v2's (refused as
    ///   out of order);
    /// - `req_total{code="500"}`: no exemplar timestamp (takes the scrape time; repeated, a
    ///   duplicate), new trace in v3;
    /// - `lat_bucket`: escaped label values, a label set over 128 characters (dropped, the
    ///   sample kept), one exemplar per bucket;
    /// - `jobs_total`: an explicit sample timestamp, which the timestamp-less exemplar takes.
    static func body(version: Int, base: Int64) -> String {
        let sampleTime = String(format: "%.3f", Double(base + 180_000 + Int64(version) * 1000) / 1000)
        let requestTrace = ["", "t1", "t2", "t3"][version]
        let requestTime = ["", "1700000001.5", "1700000002.25", "1700000000.5"][version]
        let errorTrace = version < 3 ? "e1" : "e2"
        let long = String(repeating: "x", count: 130)
        return """
            # TYPE req counter
            # HELP req Requests.
            req_total{code="200"} \(version * 10) # {trace_id="\(requestTrace)",span_id="s\(version)"} \(Double(version) / 4) \(requestTime)
            req_total{code="500"} \(version) # {trace_id="\(errorTrace)"} 0.125
            # TYPE lat histogram
            lat_bucket{le="0.1"} \(version) # {trace_id="b\(version)"} 0.05 \(1_700_000_010 + version)
            lat_bucket{le="1.0"} \(version + 1) # {trace_id="\\"q\\"\\n\\\\"} 0.7 1700000001
            lat_bucket{le="+Inf"} \(version + 2) # {trace_id="\(long)"} 2 1700000001
            lat_count \(version + 2)
            lat_sum 3.5
            # TYPE jobs counter
            jobs_total \(version) \(sampleTime) # {trace_id="j\(version)"} 1
            # EOF

            """
    }

    /// The remote write requests both servers receive (job `rw`), in order.
    static func remoteWrites(base: Int64) -> [WriteRequest] {
        func series(_ name: String, _ extra: [(String, String)], samples: [(Int64, Double)],
                    exemplars: [(labels: [(String, String)], value: Double, t: Int64)]) -> RemoteTimeSeries {
            RemoteTimeSeries(labels: ([("__name__", name), ("job", "rw")] + extra).map { Label(name: $0.0, value: $0.1) },
                             samples: samples.map { Sample(timestamp: base + $0.0, value: $0.1) },
                             exemplars: exemplars.map { exemplar in
                                 RemoteExemplar(labels: exemplar.labels.map { Label(name: $0.0, value: $0.1) }, value: exemplar.value,
                                                timestamp: exemplar.t == 0 ? 0 : base + exemplar.t)
                             })
        }
        return [
            WriteRequest(timeseries: [
                series("rw_total", [("path", "/a")], samples: [(0, 1), (1000, 2)],
                       exemplars: [([("trace_id", "r1")], 0.5, 0), ([("trace_id", "r2")], 0.75, 1000), ([("trace_id", "r3")], 1, 500)]),
                series("rw_bucket", [("le", "0.5")], samples: [(1000, 3)],
                       exemplars: [([("trace_id", "h1"), ("span_id", "")], 0.3, 1000), ([("trace_id", String(repeating: "y", count: 129))], 1, 2000)]),
                series("rw_gauge", [], samples: [(1000, 4)], exemplars: [([("trace_id", "g1")], -2.5, 900)]),
                series("rw_without_samples_total", [], samples: [], exemplars: [([("trace_id", "lost")], 1, 1000)]),
            ]),
            WriteRequest(timeseries: [
                series("rw_total", [("path", "/a")], samples: [(2000, 3)],
                       exemplars: [([("trace_id", "r2")], 0.75, 1000), ([("trace_id", "r4")], 1.25, 2000), ([("trace_id", "r0")], 9, 100)]),
                series("rw_bucket", [("le", "0.5")], samples: [(2000, 4)], exemplars: [([("trace_id", "h2")], 0.4, 1500)]),
            ]),
        ]
    }

    /// `query_exemplars` answers as comparable values: the parsed JSON, with the timestamps of
    /// exemplars of `scrapeTimed` series (they took each server's own scrape time) set to 0.
    static func normalized(_ body: String, scrapeTimed: (String) -> Bool = { _ in false },
                           dropLabel: String? = nil) -> String {
        guard var object = (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any] else { return body }
        if let data = object["data"] as? [[String: Any]] {
            object["data"] = data.map { entry -> [String: Any] in
                var entry = entry
                var series = entry["seriesLabels"] as? [String: String] ?? [:]
                if let dropLabel { series[dropLabel] = nil }
                entry["seriesLabels"] = series
                let key = series.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
                if scrapeTimed(key), let exemplars = entry["exemplars"] as? [[String: Any]] {
                    entry["exemplars"] = exemplars.map { exemplar -> [String: Any] in
                        var exemplar = exemplar
                        exemplar["timestamp"] = 0
                        return exemplar
                    }
                }
                return entry
            }
        }
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    /// The series of `query_exemplars` answers whose exemplars took the scrape time.
    static func scrapeTimed(_ key: String) -> Bool { key.contains("code=500") }

    /// Exemplars per series in a `query_exemplars` answer (`[:]` for anything else).
    static func counts(_ body: String) -> [String: Int] {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any],
              let data = object["data"] as? [[String: Any]] else { return [:] }
        var out: [String: Int] = [:]
        for entry in data {
            let series = (entry["seriesLabels"] as? [String: String] ?? [:]).sorted { $0.key < $1.key }
            out[series.map { "\($0.key)=\($0.value)" }.joined(separator: ",")] = (entry["exemplars"] as? [Any])?.count ?? 0
        }
        return out
    }
}

extension TestHTTPClient {
    /// `GET /api/v1/query_exemplars` with `parameters` (already form-encoded, without `?`).
    func queryExemplars(_ parameters: String) async throws -> Response {
        try await get("/api/v1/query_exemplars?" + parameters)
    }

    /// Polls `query_exemplars` for `query` until `done` holds for the answer (at most ~30 s);
    /// returns the last body.
    @discardableResult
    func waitForExemplars(_ query: String, _ done: ([String: Int]) -> Bool) async throws -> String {
        var body = ""
        for _ in 0..<150 {
            body = try await queryExemplars("query=" + Self.formEncode(query)).body
            if done(ExemplarFixture.counts(body)) { return body }
            try await Task.sleep(for: .milliseconds(200))
        }
        return body
    }
}

/// Drops every log message (tests open a TSDB directly).
struct SwallowingLogHandler: LogHandler {
    var logLevel: Logger.Level = .critical
    var metadata: Logger.Metadata = [:]
    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { nil }
        set {}
    }
    func log(event: LogEvent) {}
}
