import HTTPTypes
import Logging
import PharosCore
import PharosTestSupport
import Push
import Testing
import TSDB
@testable import PharosHTTP

@Suite(.timeLimit(.minutes(5))) struct PushRoutesTests {
    func withGateway(ready: Bool = true, _ body: (IngestHarness, TSDB, GroupStore) async throws -> Void) async throws {
        try await withTSDB { db in
            let directory = try TemporaryDirectory()
            defer { directory.remove() }
            let logger = Logger(label: "push-routes")
            let store = try GroupStore(persistence: FileGroupPersistence(dataDirectory: directory.path))
            let gateway = Pushgateway(store: store, ingester: PushIngester(store: store, appendable: db, logger: logger),
                                      logger: logger, now: { 1_583_872_347_716 })
            var endpoints = IngestEndpoints(pushgateway: gateway)
            endpoints.pushReady = { ready }
            try await body(IngestHarness(endpoints), db, store)
        }
    }

    @Test func putPostDeleteThroughTheRouter() async throws {
        try await withGateway { app, db, store in
            let put = try await app.send(.put, "/metrics/job/batch/path@base64/L3Zhci90bXA",
                                         body: Array("# TYPE my_job_duration_seconds gauge\n# HELP my_job_duration_seconds Duration.\nmy_job_duration_seconds 0.25\n".utf8))
            #expect(put.status == .ok && put.body == "")
            let post = try await app.send(.post, "/metrics/job/batch/path@base64/L3Zhci90bXA", body: Array("other 2\n".utf8))
            #expect(post.status == .ok)
            #expect(store.snapshot().first?.families.keys.sorted() == ["my_job_duration_seconds", "other", "push_failure_time_seconds", "push_time_seconds"])
            #expect(try await dump(db, "my_job_duration_seconds") == [#"my_job_duration_seconds{job="batch", path="/var/tmp"}@1583872347716=0.25"#])

            let status = try await app.send(.get, "/api/v1/metrics")
            #expect(status.status == .ok)
            #expect(status.body == #"{"status":"success","data":[{"labels":{"job":"batch","path":"/var/tmp"},"last_push_successful":true,"#
                + #""my_job_duration_seconds":{"time_stamp":"2020-03-10T20:32:27.716Z","type":"GAUGE","help":"Duration.","metrics":[{"labels":{"instance":"","job":"batch","path":"/var/tmp"},"value":"0.25"}]},"#
                + #""other":{"time_stamp":"2020-03-10T20:32:27.716Z","type":"UNTYPED","help":"","metrics":[{"labels":{"instance":"","job":"batch","path":"/var/tmp"},"value":"2"}]},"#
                + #""push_failure_time_seconds":{"time_stamp":"2020-03-10T20:32:27.716Z","type":"GAUGE","help":"Last Unix time when changing this group in the Pushgateway failed.","metrics":[{"labels":{"instance":"","job":"batch","path":"/var/tmp"},"value":"0"}]},"#
                + #""push_time_seconds":{"time_stamp":"2020-03-10T20:32:27.716Z","type":"GAUGE","help":"Last Unix time when changing this group in the Pushgateway succeeded.","metrics":[{"labels":{"instance":"","job":"batch","path":"/var/tmp"},"value":"1.583872347716e+09"}]}}]}"#)

            let delete = try await app.send(.delete, "/metrics/job/batch/path@base64/L3Zhci90bXA")
            #expect(delete.status == .accepted)
            #expect(store.snapshot().isEmpty)
            #expect(try await app.send(.delete, "/metrics/job/batch").status == .accepted)
        }
    }

    @Test func errorsUsePushgatewayStatusCodes() async throws {
        try await withGateway { app, _, store in
            let odd = try await app.send(.put, "/metrics/job/a/b", body: Array("m 1\n".utf8))
            #expect(odd.status == .badRequest)
            #expect(odd.body == "odd number of components in label string \"/b\"\n")
            let broken = try await app.send(.put, "/metrics/job/a", body: Array("m{ 1\n".utf8))
            #expect(broken.status == .badRequest)
            #expect(broken.body.hasPrefix("text format parsing error in line 1: "))
            let stamped = try await app.send(.put, "/metrics/job/a", body: Array("m 1 1000\n".utf8))
            #expect(stamped.status == .badRequest)
            #expect(stamped.body == "pushed metrics are invalid or inconsistent with existing metrics: pushed metrics must not have timestamps\n")
            #expect(store.snapshot().first?.lastPushSuccessful == false)
            let protobuf = try await app.send(.put, "/metrics/job/a", headers: [
                .contentType: "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited",
            ], body: [0x05])
            #expect(protobuf.status == .unsupportedMediaType)
            let gzip = try await app.send(.put, "/metrics/job/a", headers: [.contentEncoding: "gzip"], body: [0x1f, 0x8b])
            #expect(gzip.status == .unsupportedMediaType)
        }
    }

    @Test func base64JobAndTrailingSlashRoutes() async throws {
        try await withGateway { app, _, store in
            let put = try await app.send(.put, "/metrics/job@base64/YS9i/e@base64/=", body: Array("m 1\n".utf8))
            let post = try await app.send(.post, "/metrics/job/b/", body: Array("m 2\n".utf8))
            #expect(put.status == .ok && post.status == .ok)
            #expect(store.snapshot().map(\.key.job) == ["a/b", "b"])
            let status = try await app.send(.get, "/api/v1/metrics")
            #expect(status.body.contains(#"{"labels":{"e":"","job":"a/b"},"last_push_successful":true,"m":{"#))
            #expect(status.body.contains(#""metrics":[{"labels":{"e":"","instance":"","job":"a/b"},"value":"1"}]"#))
            let delete = try await app.send(.delete, "/metrics/job@base64/YS9i/e@base64/=")
            #expect(delete.status == .accepted)
            #expect(store.snapshot().map(\.key.job) == ["b"])
            let get = try await app.send(.get, "/metrics/job/b")
            #expect(get.status != .ok)
        }
    }

    @Test func unconfiguredPartsRegisterNoRoutes() async throws {
        let app = IngestHarness(IngestEndpoints())
        #expect(try await app.send(.post, "/api/v1/write").status == .notFound)
        #expect(try await app.send(.get, "/federate").status == .notFound)
        #expect(try await app.send(.put, "/metrics/job/a").status == .notFound)
    }

    @Test func notReadyAnswers503() async throws {
        try await withGateway(ready: false) { app, _, store in
            let response = try await app.send(.put, "/metrics/job/a", body: Array("m 1\n".utf8))
            #expect(response.status == .serviceUnavailable)
            #expect(store.snapshot().isEmpty)
        }
    }
}
