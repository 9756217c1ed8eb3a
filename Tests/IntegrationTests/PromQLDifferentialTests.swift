import Exposition
import Foundation
import PharosCore
import PharosTestSupport
import Testing

/// Differential PromQL: the same pseudo-random series are remote-written into a real Prometheus
/// 2.42 and into a `pharos` subprocess, then well over a hundred expressions — every float
/// function family, aggregations, vector matching, subqueries, offsets and `@` — are evaluated
/// on both, instant and range, and must answer alike.
///
/// Sample timestamps sit 1–499 ms past a whole second and every evaluation time sits at
/// .500 s, so no sample ever lies on a window boundary: Prometheus 2.42 closes windows on the
/// left, Prometheus 3 (whose test scripts `ConformanceTests` runs) opens them, and this test is
/// about everything else. `atan2` is compared under `sum by`: 2.42 kept the metric name on it,
/// current Prometheus drops it (as Pharos does).
@Suite(.serialized, .timeLimit(.minutes(10))) struct PromQLDifferentialTests {
    /// Data spans 50 minutes before `end`; the head of a fresh Prometheus accepts one hour back.
    static let span: Int64 = 50 * 60_000

    @Test(arguments: [UInt64(1), 2])
    func prometheusAndPharosAgreeOnGeneratedData(seed: UInt64) async throws {
        try await withTemporaryDirectory { folder in
            // PHAROS_DIFF_END=<ms> replays a run (subquery steps align to wall-clock multiples).
            let end = ProcessInfo.processInfo.environment["PHAROS_DIFF_END"].flatMap { Int64($0) }
                ?? Int64(Date().timeIntervalSince1970) * 1000
            let base = end - Self.span
            let request = DifferentialData.generate(seed: seed, from: base, through: end)

            // Neither scrapes anything (not even itself): they hold exactly the written series.
            let config = "global:\n  scrape_interval: 1m\nscrape_configs: []\n"
            let prometheus = try await PrometheusPeer.start(folder: folder, config: config,
                                                            extraArguments: ["--web.enable-remote-write-receiver"])
            defer { prometheus.stop() }
            let pharos = try await PharosSubprocess(dataPath: folder + "/pharos-data", logPath: folder + "/pharos.log",
                                                    extraArguments: ["--config.file=\(folder)/prometheus.yml"])
            defer { pharos.stop() }
            let reference = prometheus.client

            for client in [reference, pharos.client] {
                let response = try await client.remoteWrite(request)
                try #require((200..<300).contains(response.status), "remote write to \(client.port): \(response.status) \(response.body)")
            }

            let baseSeconds = Double(base) / 1000
            // 635.5 s: the newest sample of dt_temp{job="web",instance="a"} is a NaN (step 42).
            let times = [600.5, 635.5, 1800.5, 2940.5, 3180.5].map { baseSeconds + $0 }
            var failures: [String] = []
            for query in DifferentialData.instantQueries(at: baseSeconds + 20 * 60 + 0.5) {
                for time in times {
                    if let failure = try await compare(query, reference, pharos.client, instantAt: time) { failures.append(failure) }
                }
            }
            for query in DifferentialData.rangeQueries {
                for step in [60.0, 37.0] {
                    let range = (start: baseSeconds + 5 * 60 + 0.5, end: baseSeconds + 52 * 60 + 0.5, step: step)
                    if let failure = try await compare(query, reference, pharos.client, range: range) { failures.append(failure) }
                }
            }
            for request in DifferentialData.metadataRequests(from: baseSeconds, through: baseSeconds + 3000) {
                if let failure = try await compareJSON(request, reference, pharos.client) { failures.append(failure) }
            }
            #expect(failures.isEmpty, "\(failures.count) differences (replay with PHAROS_DIFF_END=\(end)):\n\(failures.prefix(40).joined(separator: "\n"))")
        }
    }

    /// nil when both servers answer alike (both success with equal results, or both the same
    /// error type); otherwise a one-paragraph description.
    private func compare(_ query: String, _ reference: TestHTTPClient, _ pharos: TestHTTPClient,
                         instantAt time: Double? = nil,
                         range: (start: Double, end: Double, step: Double)? = nil) async throws -> String? {
        var form = "query=" + (query.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? query)
        let path: String
        if let time {
            path = "/api/v1/query"
            form += "&time=\(time)"
        } else if let range {
            path = "/api/v1/query_range"
            form += "&start=\(range.start)&end=\(range.end)&step=\(range.step)"
        } else {
            return "\(query): no evaluation time"
        }
        let want = try await reference.postForm(path, form)
        let have = try await pharos.postForm(path, form)
        let label = "\(path.hasSuffix("range") ? "range" : "instant") \(query) [\(form.split(separator: "&").dropFirst().joined(separator: " "))]"
        guard want.status == 200 else {
            let wantType = Self.errorType(want.body), haveType = Self.errorType(have.body)
            return wantType == haveType && have.status == want.status ? nil
                : "\(label): Prometheus \(want.status) \(want.body)\n  Pharos \(have.status) \(have.body)"
        }
        guard have.status == 200 else { return "\(label): Pharos failed \(have.status) \(have.body)" }
        let expected = try QueryResultJSON(json: Data(want.body.utf8))
        let actual = try QueryResultJSON(json: Data(have.body.utf8))
        let ordered = time != nil && DifferentialData.ordersItsResult(query)
        guard let difference = actual.difference(from: expected, tolerance: 1e-9, ordered: ordered) else { return nil }
        return "\(label): \(difference)\n  Prometheus \(want.body.prefix(500))\n  Pharos \(have.body.prefix(500))"
    }

    /// nil when both answer `path?form` (a GET) with the same status, and on success the same
    /// `data` (arrays compared as sets: Prometheus does not promise an order for series).
    private func compareJSON(_ request: String, _ reference: TestHTTPClient, _ pharos: TestHTTPClient) async throws -> String? {
        let want = try await reference.get(request)
        let have = try await pharos.get(request)
        guard want.status == have.status else {
            return "GET \(request): Prometheus \(want.status) \(want.body)\n  Pharos \(have.status) \(have.body)"
        }
        guard want.status == 200 else {
            return Self.errorType(want.body) == Self.errorType(have.body) ? nil
                : "GET \(request): error types differ: \(want.body) vs \(have.body)"
        }
        /// `data` as canonical JSON text (sorted keys; an array's elements sorted).
        func data(_ body: String) -> String? {
            guard let object = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any],
                  let data = object["data"] else { return nil }
            func canonical(_ value: Any) -> String {
                guard JSONSerialization.isValidJSONObject([value]),
                      let bytes = try? JSONSerialization.data(withJSONObject: [value], options: [.sortedKeys]) else { return "\(value)" }
                return String(decoding: bytes, as: UTF8.self)
            }
            if let array = data as? [Any] { return array.map(canonical).sorted().joined(separator: "\n") }
            return canonical(data)
        }
        guard let expected = data(want.body), let actual = data(have.body), expected == actual else {
            return "GET \(request): data differ:\n  Prometheus \(want.body.prefix(600))\n  Pharos \(have.body.prefix(600))"
        }
        return nil
    }

    private static func errorType(_ body: String) -> String? {
        let object = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any]
        return object?["errorType"] as? String
    }
}

/// The generated series and the expressions evaluated on them.
enum DifferentialData {
    /// Counters with resets, gauges with NaNs, a stale gap and a late start, classic histogram
    /// buckets and an info-style metric — all on a 15 s grid with 1–499 ms of jitter.
    static func generate(seed: UInt64, from base: Int64, through end: Int64) -> WriteRequest {
        var random = SplitMix64(seed: seed)
        var timeseries: [RemoteTimeSeries] = []
        func stamp(_ index: Int64) -> Int64 { base + index * 15_000 + Int64(random.next(in: 1...499)) }
        let steps = (end - base) / 15_000
        func series(_ labels: [(String, String)], _ value: (Int64, inout SplitMix64) -> Double?) {
            var samples: [Sample] = []
            for index in 0..<steps {
                let time = stamp(index)
                if let v = value(index, &random) { samples.append(Sample(timestamp: time, value: v)) }
            }
            timeseries.append(RemoteTimeSeries(labels: labels.map { Label(name: $0.0, value: $0.1) }, samples: samples))
        }
        for job in ["api", "web"] {
            for instance in ["a", "b", "c"] {
                for code in ["200", "500"] {
                    // Far from zero at the start: Prometheus 2.42 and 3 order rate's zero-point
                    // and half-interval extrapolation limits differently at a series' first sample.
                    var total = Double(random.next(in: 1000...5000))
                    series([("__name__", "dt_requests_total"), ("job", job), ("instance", instance), ("code", code)]) { _, r in
                        if r.next(in: 0...99) < 2 { total = Double(r.next(in: 0...5)) } // a restart
                        total += Double(r.next(in: 0...(code == "200" ? 40 : 4)))
                        return total
                    }
                }
                var temperature = 15 + Double(random.next(in: 0...100)) / 10
                let stale = job == "web" && instance == "b", late = job == "api" && instance == "c"
                series([("__name__", "dt_temp"), ("job", job), ("instance", instance)]) { index, r in
                    if late && index < 80 { return nil }
                    if stale && (100..<140).contains(index) { return index == 100 ? StaleNaN.value : nil }
                    temperature += Double(r.next(in: 0...40)) / 10 - 2
                    if job == "web" && instance == "a" && index % 37 == 5 { return .nan }
                    return temperature
                }
                // Per-bucket observation counts per step, summed into cumulative `le` buckets.
                let counts = (0..<4).map { _ in (0..<steps).map { _ in Double(random.next(in: 0...20)) } }
                for (position, le) in ["0.1", "0.5", "1", "+Inf"].enumerated() {
                    var cumulative = 0.0
                    series([("__name__", "dt_latency_bucket"), ("job", job), ("instance", instance), ("le", le)]) { index, _ in
                        cumulative += counts[0...position].reduce(0) { $0 + $1[Int(index)] }
                        return cumulative
                    }
                }
                series([("__name__", "dt_info"), ("job", job), ("instance", instance), ("version", "v\(instance)")]) { _, _ in 1 }
            }
        }
        return WriteRequest(timeseries: timeseries)
    }

    static let windows = ["1m", "5m", "17m"]

    /// Instant queries whose result order is part of the answer: the sort functions, and
    /// topk/bottomk, which list each group's series by value.
    static func ordersItsResult(_ query: String) -> Bool {
        ["sort(", "sort_desc(", "topk(", "bottomk(", "topk by", "bottomk by"].contains { query.hasPrefix($0) }
    }

    static func instantQueries(at pinned: Double) -> [String] {
        let counter = "dt_requests_total", gauge = "dt_temp"
        var queries = [
            counter, #"dt_requests_total{code=~"5.."}"#, #"dt_requests_total{code!="200", instance=~"a|b"}"#,
            #"{__name__=~"dt_.*", job="api", le=""}"#, gauge, "dt_temp offset 7m", "dt_temp offset -3m",
            "dt_temp @ \(pinned)", "rate(dt_requests_total[5m] @ \(pinned))",
            "irate(dt_requests_total[2m])", "increase(dt_requests_total[10m])", "resets(dt_requests_total[20m])",
            "changes(dt_temp[10m])", "delta(dt_temp[5m])", "idelta(dt_temp[5m])", "deriv(dt_temp[10m])",
            "predict_linear(dt_temp[10m], 600)", "quantile_over_time(0.3, dt_temp[10m])",
            "present_over_time(dt_temp[3m])", "absent_over_time(dt_nothing[5m])", "absent_over_time(dt_temp[5m])",
            "sum(rate(dt_requests_total[5m]))", "sum by (job) (rate(dt_requests_total[5m]))",
            "sum without (instance) (rate(dt_requests_total[5m]))", "avg by (code) (rate(dt_requests_total[5m]))",
            "min by (job) (dt_temp)", "max(dt_temp)", "count by (job) (dt_temp)", "group by (instance) (dt_requests_total)",
            "stddev by (job) (dt_temp)", "stdvar(dt_temp)", "topk(2, dt_temp)", "bottomk(2, rate(dt_requests_total[5m]))",
            "topk by (job) (1, dt_temp)", "quantile(0.9, dt_temp)", "quantile by (job) (0.25, dt_temp)",
            #"count_values("value", round(dt_temp))"#, #"count_values by (job) ("v", round(dt_temp / 5))"#,
            "histogram_quantile(0.9, sum by (le) (rate(dt_latency_bucket[5m])))",
            "histogram_quantile(0.5, sum by (le, job) (rate(dt_latency_bucket[10m])))",
            "histogram_quantile(0.99, rate(dt_latency_bucket[5m]))",
            "rate(dt_requests_total[5m]) / on (job, instance) group_left dt_temp",
            "dt_temp * on (job, instance) group_left (version) dt_info",
            "dt_info * on (job, instance) group_right dt_temp",
            "dt_temp > 20", "dt_temp > bool 20", "dt_temp and dt_temp > 20", "dt_temp or dt_info",
            "dt_temp unless dt_temp < 15", #"dt_temp unless on (job) dt_temp{instance="a"}"#,
            "sum by (job) (dt_temp) - on (job) group_right sum by (job, instance) (dt_temp)",
            "dt_temp == bool on (job, instance) dt_temp offset 1m", "dt_temp != 20", "dt_temp == dt_temp", "dt_temp <= dt_temp offset 5m",
            "-dt_temp", "2 ^ 3 ^ 2", "dt_temp ^ 0.5", "dt_temp % 7", "sum by (job, instance) (dt_temp atan2 (dt_temp offset 1m))", "1 - -2 * 3 / 4",
            "abs(dt_temp - 20)", "ceil(dt_temp)", "floor(dt_temp)", "round(dt_temp)", "round(dt_temp, 0.5)",
            "clamp(dt_temp, 15, 25)", "clamp_min(dt_temp, 18)", "clamp_max(dt_temp, 18)", "exp(dt_temp / 10)",
            "ln(dt_temp)", "log2(dt_temp)", "log10(dt_temp)", "sqrt(dt_temp)", "sgn(dt_temp - 20)",
            "sin(dt_temp)", "cos(dt_temp)", "tan(dt_temp)", "asin(dt_temp / 100)", "acos(dt_temp / 100)", "atan(dt_temp)",
            "sinh(dt_temp / 10)", "cosh(dt_temp / 10)", "tanh(dt_temp)", "asinh(dt_temp)", "acosh(dt_temp)",
            "atanh(dt_temp / 100)", "deg(dt_temp)", "rad(dt_temp)", "pi()",
            "timestamp(dt_temp)", #"label_replace(dt_temp, "host", "h-$1", "instance", "(.*)")"#,
            #"label_replace(dt_temp, "job", "", "job", "web")"#, #"label_join(dt_temp, "id", "/", "job", "instance")"#,
            #"absent(dt_nothing{job="x", instance=~"y"})"#, "absent(dt_temp)", "vector(1)", "scalar(sum(dt_temp))",
            "scalar(dt_temp)", "time()", "minute()", "hour(timestamp(dt_temp))", "day_of_week()", "day_of_month()",
            "days_in_month()", "month(timestamp(dt_temp))", "year()", "sort(dt_temp)", "sort_desc(dt_temp)",
            "max_over_time(rate(dt_requests_total[1m])[10m:1m])", "avg_over_time(dt_temp[5m:30s])",
            "rate(dt_requests_total[5m:1m])", "quantile_over_time(0.9, rate(dt_requests_total[1m])[10m:])",
            "sum_over_time(dt_temp[3m] offset 2m)", "min_over_time((dt_temp > 18)[7m:45s] offset 1m)",
            "count(dt_temp) by (job)", "sum(dt_temp) without (instance)", "avg(dt_temp) + on () group_left max(dt_temp)",
            "sum(dt_temp) * 2 + count(dt_temp)", "(dt_temp + 1) / (dt_temp - 1)",
            // Errors both must report alike.
            "dt_temp + on (job) dt_temp", "sum(dt_temp) by (job) / on (nothing) dt_temp", "rate(dt_temp)", "dt_temp[5m]",
            "label_replace(dt_temp, \"x\", \"$1\", \"job\", \"(\")",
        ]
        for window in windows {
            queries.append("rate(\(counter)[\(window)])")
            for function in ["avg", "min", "max", "sum", "count", "last", "stddev", "stdvar"] {
                queries.append("\(function)_over_time(\(gauge)[\(window)])")
            }
        }
        return queries
    }

    /// Series, label names and label values requests (with and without `match[]` and time
    /// bounds), and query-API requests with bad parameters.
    static func metadataRequests(from start: Double, through end: Double) -> [String] {
        func encoded(_ text: String) -> String {
            text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? text
        }
        let window = "start=\(start)&end=\(end)"
        return [
            "/api/v1/series?match[]=\(encoded("dt_temp"))&\(window)",
            "/api/v1/series?match[]=\(encoded(#"{__name__=~"dt_.*", instance="a"}"#))&match[]=\(encoded("dt_info"))&\(window)",
            "/api/v1/series?match[]=\(encoded(#"dt_requests_total{code!="200"}"#))",
            "/api/v1/labels?\(window)", "/api/v1/labels?match[]=\(encoded("dt_latency_bucket"))&\(window)",
            "/api/v1/label/__name__/values?\(window)", "/api/v1/label/le/values", "/api/v1/label/job/values?match[]=\(encoded("dt_info"))",
            "/api/v1/label/nothing_here/values",
            // Bad requests: both refuse them with the same status and error type.
            "/api/v1/series", "/api/v1/series?match[]=\(encoded("{job=~"))", "/api/v1/series?match[]=\(encoded(#"{job=~".*"}"#))",
            "/api/v1/query", "/api/v1/query?query=up&time=yesterday", "/api/v1/query?query=\(encoded("sum("))",
            "/api/v1/query_range?query=up&start=10&end=5&step=1", "/api/v1/query_range?query=up&start=0&end=100000&step=1",
            "/api/v1/query_range?query=up&start=0&end=10&step=0", "/api/v1/query_range?query=up&start=0&end=10",
            "/api/v1/label/job/values?end=soon", "/api/v1/labels?start=abc",
        ]
    }

    static let rangeQueries = [
        "dt_temp", "rate(dt_requests_total[5m])", "sum by (job) (rate(dt_requests_total[5m]))",
        "histogram_quantile(0.9, sum by (le) (rate(dt_latency_bucket[5m])))", "topk(3, dt_temp)",
        "avg_over_time(dt_temp[5m:30s])", "absent(dt_nothing)", #"count_values("v", round(dt_temp))"#,
        #"label_replace(dt_temp, "host", "$1", "instance", "(.*)")"#, "timestamp(dt_temp)", "time()",
        "scalar(sum(dt_temp))", "dt_temp offset 10m", "dt_temp @ end()", "rate(dt_requests_total[3m] @ start())",
        "dt_temp > bool 20", "changes(dt_temp[10m])", "deriv(dt_temp[4m])",
    ]
}
