import Foundation
import PharosTestSupport
import Testing

/// `/api/v1/format_query` answers as Prometheus 2.42's: the same prettified text for short and
/// long expressions (split past 100 characters), the same error for broken ones.
@Suite(.serialized, .timeLimit(.minutes(10))) struct FormatQueryComparisonTests {
    static let expressions = [
        "up", "  sum(rate(x[5m]))  by (job)", #"foo{a="b",c=~"d.*"} offset 5m"#, "-x + 1", "x[5m:1m] @ 100",
        #"sum by (job, instance) (rate(http_requests_total{job="api-server",handler=~"/api/v1/.*",code=~"5.."}[5m])) / sum by (job, instance) (rate(http_requests_total{job="api-server"}[5m]))"#,
        #"histogram_quantile(0.99, sum by (le, service) (rate(http_request_duration_seconds_bucket{service=~"checkout|payments|inventory"}[5m])))"#,
        #"topk(5, sum without (pod, container, namespace_label) (container_memory_working_set_bytes{namespace="production", container!=""}))"#,
        #"(node_filesystem_avail_bytes{fstype!~"tmpfs|overlay",mountpoint="/"} / node_filesystem_size_bytes{fstype!~"tmpfs|overlay"}) * 100 < 10"#,
        #"label_replace(up{job="very-long-job-name-for-testing-the-prettifier"}, "host", "$1", "instance", "(.*):\\d+") == bool 1"#,
        #"max_over_time((sum by (job) (rate(errors_total{environment="production",region="eu-west-1"}[1m])))[30m:1m]) > 10"#,
        "sum(", "x{", "rate(x)", "1 +",
    ]

    @Test func formattingMatchesPrometheus() async throws {
        try await withTemporaryDirectory { folder in
            let config = "global:\n  scrape_interval: 1m\nscrape_configs: []\n"
            let prometheus = try await PrometheusPeer.start(folder: folder, config: config)
            defer { prometheus.stop() }
            let pharos = try await PharosSubprocess(dataPath: folder + "/pharos-data", logPath: folder + "/pharos.log",
                                                    extraArguments: ["--config.file=\(folder)/prometheus.yml"])
            defer { pharos.stop() }
            var split = 0
            for expression in Self.expressions {
                let form = "query=\(TestHTTPClient.formEncode(expression))"
                let want = try await prometheus.client.postForm("/api/v1/format_query", form)
                let have = try await pharos.client.postForm("/api/v1/format_query", form)
                #expect(have.status == want.status, "\(expression): \(have.body) vs \(want.body)")
                if want.status == 200 {
                    #expect(have.body == want.body, "\(expression)")
                    if want.body.contains("\\n") { split += 1 }
                } else {
                    #expect(Self.errorType(want.body) == "bad_data")
                    #expect(have.body == want.body, "\(expression)")
                }
            }
            #expect(split >= 4, "the long expressions were split")
            let get = try await pharos.client.get("/api/v1/format_query?query=foo%2Bbar")
            #expect(get.body == #"{"status":"success","data":"foo + bar"}"#)
        }
    }

    static func errorType(_ body: String) -> String? {
        (try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])?["errorType"] as? String
    }
}
