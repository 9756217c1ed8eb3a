import Exposition
import Foundation
import PharosCore
import PharosTestSupport
import Testing

/// Where Prometheus 3 and 2.42 answer differently, Pharos answers as 3 does
/// (Docs/compatibility.md). The same series are remote-written into a real Prometheus 2.42 and
/// into `pharos`; each case computes both rules' results in the test, from the rule as the
/// page states it, and checks Pharos against the 3.x result and 2.42 against its own — so the
/// difference is shown to be real, not assumed.
///
/// Every sample sits on a whole multiple of 15 s and every evaluation time on a sample, so
/// windows' left edges fall exactly on samples: the cases the PromQL differential test avoids.
@Suite(.serialized, .timeLimit(.minutes(10))) struct Prometheus3SemanticsTests {
    typealias Point = QueryResultJSON.Point

    /// A series of the written data: its labels and its samples (ms, value).
    struct Written {
        var labels: [String: String]
        var samples: [(time: Int64, value: Double)]

        var key: String { Self.key(labels) }

        static func key(_ labels: [String: String]) -> String {
            "{" + labels.sorted { $0.key < $1.key }.map { "\($0.key)=\"\($0.value)\"" }.joined(separator: ", ") + "}"
        }

        /// Samples in the window ending at `end` (ms) reaching back `range` ms: (end − range, end]
        /// in Prometheus 3, [end − range, end] in 2.42.
        func window(end: Int64, range: Int64, leftOpen: Bool) -> [(time: Int64, value: Double)] {
            samples.filter { (leftOpen ? $0.time > end - range : $0.time >= end - range) && $0.time <= end }
        }
    }

    /// What one server must answer: a result, or an error of a type.
    enum Expected {
        case result(QueryResultJSON)
        case error(String)
    }

    struct Case {
        var query: String
        var at: Int64
        var prometheus3: Expected
        var prometheus2: Expected
    }

    @Test func pharosFollowsPrometheus3Where242Differs() async throws {
        try await withTemporaryDirectory { folder in
            let now = Int64(Date().timeIntervalSince1970) * 1000
            let base = (now - 45 * 60_000) / 60_000 * 60_000
            let data = Self.data(base: base)
            let request = WriteRequest(timeseries: data.map { series in
                RemoteTimeSeries(labels: series.labels.sorted { $0.key < $1.key }.map { Label(name: $0.key, value: $0.value) },
                                 samples: series.samples.map { Sample(timestamp: $0.time, value: $0.value) })
            })
            let config = "global:\n  scrape_interval: 1m\nscrape_configs: []\n"
            let prometheus = try await PrometheusPeer.start(folder: folder, config: config,
                                                            extraArguments: ["--web.enable-remote-write-receiver"])
            defer { prometheus.stop() }
            let pharos = try await PharosSubprocess(dataPath: folder + "/pharos-data", logPath: folder + "/pharos.log",
                                                    extraArguments: ["--config.file=\(folder)/prometheus.yml"])
            defer { pharos.stop() }
            for client in [prometheus.client, pharos.client] {
                let response = try await client.remoteWrite(request)
                try #require((200..<300).contains(response.status), "remote write: \(response.status) \(response.body)")
            }

            let cases = Self.cases(data, base: base)
            #expect(cases.count >= 12)
            for item in cases {
                #expect(Self.differ(item.prometheus3, item.prometheus2), "\(item.query): the rules agree; not a difference")
                let form = "query=\(TestHTTPClient.formEncode(item.query))&time=\(Double(item.at) / 1000)"
                let three = try await pharos.client.postForm("/api/v1/query", form)
                if let problem = Self.check(three, against: item.prometheus3) {
                    Issue.record("Pharos, \(item.query) at \(item.at): \(problem)")
                }
                let two = try await prometheus.client.postForm("/api/v1/query", form)
                if let problem = Self.check(two, against: item.prometheus2) {
                    Issue.record("Prometheus 2.42 does not answer \(item.query) by the stated 2.42 rule: \(problem)")
                }
            }
        }
    }

    /// nil when `response` is what `expected` says.
    static func check(_ response: TestHTTPClient.Response, against expected: Expected) -> String? {
        switch expected {
        case .error(let type):
            let object = try? JSONSerialization.jsonObject(with: Data(response.body.utf8)) as? [String: Any]
            let actual = object?["errorType"] as? String
            return actual == type ? nil : "want error \(type), got \(response.status) \(response.body.prefix(300))"
        case .result(let want):
            guard response.status == 200, let have = try? QueryResultJSON(json: Data(response.body.utf8)) else {
                return "want \(want), got \(response.status) \(response.body.prefix(300))"
            }
            return have.difference(from: want, tolerance: 1e-12).map { "\($0)\n  want \(want)\n  got \(have)" }
        }
    }

    static func differ(_ a: Expected, _ b: Expected) -> Bool {
        switch (a, b) {
        case (.error(let x), .error(let y)): x != y
        case (.result(let x), .result(let y)): x.difference(from: y, tolerance: 1e-12) != nil
        default: true
        }
    }

    // MARK: The data

    static func data(base: Int64) -> [Written] {
        func stamp(_ k: Int) -> Int64 { base + Int64(k) * 15_000 }
        var out: [Written] = []
        // A gauge on every 15 s, value k.
        out.append(Written(labels: ["__name__": "p3_gauge", "series": "edge"], samples: (0..<170).map { (stamp($0), Double($0)) }))
        // A gauge whose last sample is at k = 100: exactly 5 m before the evaluation at k = 120.
        out.append(Written(labels: ["__name__": "p3_gauge", "series": "ends"], samples: (0...100).map { (stamp($0), Double($0)) }))
        // A counter that starts late (k = 100) at 10 and grows 10 per sample.
        out.append(Written(labels: ["__name__": "p3_counter_total", "series": "late"],
                           samples: (100..<170).map { (stamp($0), 10 + 10 * Double($0 - 100)) }))
        // A counter that restarts near zero at k = 80.
        let resetting = (0..<170).map { (k: Int) -> (time: Int64, value: Double) in
            let value: Double = k < 80 ? 100 + 5 * Double(k) : 2 + 5 * Double(k - 80)
            return (stamp(k), value)
        }
        out.append(Written(labels: ["__name__": "p3_counter_total", "series": "reset"], samples: resetting))
        // A label value with a newline.
        out.append(Written(labels: ["__name__": "p3_text", "note": "a\nb"], samples: (0..<170).map { (stamp($0), 1) }))
        return out
    }

    // MARK: The cases, each from its rule

    static func cases(_ data: [Written], base: Int64) -> [Case] {
        func stamp(_ k: Int) -> Int64 { base + Int64(k) * 15_000 }
        let edge = data[0], ends = data[1], late = data[2], reset = data[3]
        var cases: [Case] = []

        // Range selectors are left-open in 3: a sample on the window's left edge is out.
        let t = stamp(120)
        for function in ["count_over_time", "sum_over_time", "min_over_time", "avg_over_time"] {
            func value(_ samples: [(time: Int64, value: Double)]) -> Double {
                let values = samples.map(\.value)
                switch function {
                case "count_over_time": return Double(values.count)
                case "sum_over_time": return values.reduce(0, +)
                case "min_over_time": return values.min()!
                default: return values.reduce(0, +) / Double(values.count)
                }
            }
            var labels = edge.labels
            labels["__name__"] = nil
            func result(_ leftOpen: Bool) -> Expected {
                .result(QueryResultJSON(series: [Written.key(labels): [Point(Double(t) / 1000, value(edge.window(end: t, range: 60_000, leftOpen: leftOpen)))]]))
            }
            cases.append(Case(query: #"\#(function)(p3_gauge{series="edge"}[1m])"#, at: t, prometheus3: result(true), prometheus2: result(false)))
        }

        // The lookback is left-open too: a sample exactly lookback-delta (5 m) old is stale.
        let lookback = ends.window(end: t, range: 300_000, leftOpen: true).last
        let lookback2 = ends.window(end: t, range: 300_000, leftOpen: false).last
        cases.append(Case(
            query: #"p3_gauge{series="ends"}"#, at: t,
            prometheus3: .result(QueryResultJSON(series: lookback.map { [ends.key: [Point(Double(t) / 1000, $0.value)]] } ?? [:])),
            prometheus2: .result(QueryResultJSON(series: lookback2.map { [ends.key: [Point(Double(t) / 1000, $0.value)]] } ?? [:]))))

        // Subqueries: steps at multiples of the resolution, the left edge excluded in 3.
        func subqueryCount(_ leftOpen: Bool) -> Expected {
            let steps = stride(from: t, through: t - 60_000, by: -15_000).filter { leftOpen ? $0 > t - 60_000 : true }
            return .result(QueryResultJSON(series: [#"{series="edge"}"#: [Point(Double(t) / 1000, Double(steps.count))]]))
        }
        cases.append(Case(query: #"count_over_time(p3_gauge{series="edge"}[1m:15s])"#, at: t,
                          prometheus3: subqueryCount(true), prometheus2: subqueryCount(false)))

        // rate/increase: 3 halves a far start before the zero-point limit, 2.42 after it; and
        // 3's left-open window drops the sample on the edge (the reset series at k = 74).
        for (series, at) in [(late, stamp(103)), (reset, stamp(82)), (reset, stamp(81))] {
            for (function, isRate) in [("rate", true), ("increase", false)] {
                var labels = series.labels
                labels["__name__"] = nil
                func result(_ rule: RateRule) -> Expected {
                    let window = series.window(end: at, range: 120_000, leftOpen: rule == .prometheus3)
                    let value = extrapolatedRate(window, rangeStart: at - 120_000, rangeEnd: at, isRate: isRate, rule: rule)
                    return .result(QueryResultJSON(series: value.map { [Written.key(labels): [Point(Double(at) / 1000, $0)]] } ?? [:]))
                }
                let query = #"\#(function)(p3_counter_total{series="\#(series.labels["series"]!)"}[2m])"#
                cases.append(Case(query: query, at: at, prometheus3: result(.prometheus3), prometheus2: result(.prometheus2)))
            }
        }

        // `.` matches a newline in 3 (matchers are anchored as ^(?s:…)$); not in 2.42.
        cases.append(Case(query: #"count(p3_text{note=~"a.b"})"#, at: t,
                          prometheus3: .result(QueryResultJSON(series: ["{}": [Point(Double(t) / 1000, 1)]])),
                          prometheus2: .result(QueryResultJSON(series: [:]))))

        // UTF-8 label names are valid destinations in 3; 2.42 refuses them.
        var dotted = edge.labels
        dotted["host.name"] = "edge"
        cases.append(Case(query: #"label_replace(p3_gauge{series="edge"}, "host.name", "$1", "series", "(.*)")"#, at: t,
                          prometheus3: .result(QueryResultJSON(series: [Written.key(dotted): [Point(Double(t) / 1000, 120)]])),
                          prometheus2: .error("execution")))

        // atan2 drops the metric name in 3, like every arithmetic operator; 2.42 kept it.
        var unnamed = edge.labels
        unnamed["__name__"] = nil
        let angle = atan2(120.0, 120.0)
        cases.append(Case(query: #"p3_gauge{series="edge"} atan2 p3_gauge{series="edge"}"#, at: t,
                          prometheus3: .result(QueryResultJSON(series: [Written.key(unnamed): [Point(Double(t) / 1000, angle)]])),
                          prometheus2: .result(QueryResultJSON(series: [edge.key: [Point(Double(t) / 1000, angle)]]))))

        // holt_winters is gone in 3 (double_exponential_smoothing is experimental).
        cases.append(Case(query: #"holt_winters(p3_gauge{series="edge"}[5m], 0.5, 0.5)"#, at: t,
                          prometheus3: .error("bad_data"),
                          prometheus2: .result(QueryResultJSON(series: [#"{series="edge"}"#: [Point(Double(t) / 1000, 120)]]))))
        return cases
    }

    enum RateRule { case prometheus3, prometheus2 }

    /// `rate`/`increase` of counter samples by the stated rule of each version: 2.42 limits the
    /// start extrapolation by the zero point first and then compares it with 1.1 × the average
    /// spacing; 3 first replaces a start beyond 1.1 × the spacing by half the spacing, then
    /// limits by the zero point. nil with fewer than two samples.
    static func extrapolatedRate(_ samples: [(time: Int64, value: Double)], rangeStart: Int64, rangeEnd: Int64,
                                 isRate: Bool, rule: RateRule) -> Double? {
        guard samples.count >= 2, let first = samples.first, let last = samples.last else { return nil }
        var result = last.value - first.value
        for (previous, current) in zip(samples, samples.dropFirst()) where current.value < previous.value {
            result += previous.value
        }
        var toStart = Double(first.time - rangeStart) / 1000
        var toEnd = Double(rangeEnd - last.time) / 1000
        let sampled = Double(last.time - first.time) / 1000
        let average = sampled / Double(samples.count - 1)
        let threshold = average * 1.1
        let toZero = result > 0 && first.value >= 0 ? sampled * (first.value / result) : toStart
        switch rule {
        case .prometheus2:
            toStart = min(toStart, toZero)
            if toStart >= threshold { toStart = average / 2 }
        case .prometheus3:
            if toStart >= threshold { toStart = average / 2 }
            toStart = min(toStart, toZero)
        }
        if toEnd >= threshold { toEnd = average / 2 }
        let increase = result * (sampled + toStart + toEnd) / sampled
        return isRate ? increase / (Double(rangeEnd - rangeStart) / 1000) : increase
    }
}
