import Foundation
import NIOCore
import PharosCore
import Testing
@testable import PharosHTTP

/// Fixed per-target metadata, in the order given.
struct FixedMetadata: MetadataProviding {
    var targets: [APITargetMetadata]
    func targetMetadata() async -> [APITargetMetadata] { targets }
}

@Suite(.timeLimit(.minutes(5))) struct MetadataAPITests {
    static let node = Labels(["instance": "a:9100", "job": "node"])
    static let app = Labels(["instance": "b:8080", "job": "app"])
    static let provider = FixedMetadata(targets: [
        APITargetMetadata(target: node, metadata: [
            ("go_goroutines", MetricMetadata(type: .gauge, help: "Goroutines.")),
            ("http_requests", MetricMetadata(type: .counter, help: "Requests <all>.")),
        ]),
        APITargetMetadata(target: app, metadata: [
            ("http_requests", MetricMetadata(type: .counter, help: "Requests, other help.")),
            ("request_seconds", MetricMetadata(type: .histogram, help: "Latency.", unit: "seconds")),
        ]),
    ])

    func api(_ provider: (any MetadataProviding)? = Self.provider) -> PrometheusAPI {
        PrometheusAPI(parseSelector: testSelectorParser, metadata: provider)
    }

    func metadata(_ query: String) async throws -> String {
        String(buffer: try await api().metricMetadata(FormParameters(encoded: query)))
    }

    func targets(_ query: String) async throws -> String {
        String(buffer: try await api().targetMetadata(FormParameters(encoded: query)))
    }

    @Test func metricMetadataMergesTargets() async throws {
        #expect(try await metadata("") == #"{"status":"success","data":{"go_goroutines":[{"type":"gauge","help":"Goroutines.","unit":""}],"#
            + #""http_requests":[{"type":"counter","help":"Requests \u003call\u003e.","unit":""},{"type":"counter","help":"Requests, other help.","unit":""}],"#
            + #""request_seconds":[{"type":"histogram","help":"Latency.","unit":"seconds"}]}}"#)
    }

    @Test func metricMetadataParameters() async throws {
        #expect(try await metadata("metric=request_seconds") == #"{"status":"success","data":{"request_seconds":[{"type":"histogram","help":"Latency.","unit":"seconds"}]}}"#)
        #expect(try await metadata("metric=absent") == #"{"status":"success","data":{}}"#)
        #expect(try await metadata("limit=0") == #"{"status":"success","data":{}}"#)
        #expect(try await metadata("limit=1") == #"{"status":"success","data":{"go_goroutines":[{"type":"gauge","help":"Goroutines.","unit":""}]}}"#)
        #expect(try await metadata("limit=-1").contains("request_seconds"))
        #expect(try await metadata("limit_per_metric=1&metric=http_requests") == #"{"status":"success","data":{"http_requests":[{"type":"counter","help":"Requests \u003call\u003e.","unit":""}]}}"#)
    }

    @Test(arguments: [("limit=x", "limit must be a number"), ("limit=1.5", "limit must be a number"),
                      ("limit_per_metric=many", "limit_per_metric must be a number")])
    func badLimits(query: String, message: String) async throws {
        await #expect(throws: APIError.self) { try await metadata(query) }
        do { _ = try await metadata(query) } catch let error as APIError {
            #expect(error.kind == .badData)
            #expect(error.message == message)
        }
        if query.hasPrefix("limit=") {
            do { _ = try await targets(query) } catch let error as APIError {
                #expect(error.message == message)
            }
        }
    }

    @Test func withoutProviderEverythingIsEmpty() async throws {
        #expect(String(buffer: try await api(nil).metricMetadata(FormParameters())) == #"{"status":"success","data":{}}"#)
        #expect(String(buffer: try await api(nil).targetMetadata(FormParameters())) == #"{"status":"success","data":[]}"#)
    }

    @Test func targetMetadataLists() async throws {
        let all = try await targets("")
        #expect(all.hasPrefix(#"{"status":"success","data":[{"target":{"instance":"a:9100","job":"node"},"metric":"go_goroutines","type":"gauge","help":"Goroutines.","unit":""},"#))
        #expect(all.components(separatedBy: #""target""#).count == 5)
        #expect(try await targets("metric=http_requests&match_target=%7Bjob%3D%22app%22%7D")
            == #"{"status":"success","data":[{"target":{"instance":"b:8080","job":"app"},"type":"counter","help":"Requests, other help.","unit":""}]}"#)
        #expect(try await targets("match_target=%7Bjob%3D%22none%22%7D") == #"{"status":"success","data":[]}"#)
        // The limit is checked per target: the first target's two entries both come back.
        #expect(try await targets("limit=1").components(separatedBy: #""target""#).count == 3)
        #expect(try await targets("limit=0") == #"{"status":"success","data":[]}"#)
    }

    @Test func badMatchTarget() async throws {
        do {
            _ = try await targets("match_target=%7Bjob")
            Issue.record("a broken selector was accepted")
        } catch let error as APIError {
            #expect(error.kind == .badData)
            #expect(error.message == #"invalid parameter "match_target": 1:5: parse error: unexpected end of input"#)
        }
    }
}

/// A status provider answering fixed numbers, or failing like storage during WAL replay.
struct FixedTSDBStatus: TSDBStatusProviding {
    var status: APITSDBStatus?
    func tsdbStatus(limit: Int) async throws -> APITSDBStatus {
        guard var status else { throw StorageFailure(message: "storage is not ready: the WAL is being replayed") }
        status.seriesCountByMetricName = Array(status.seriesCountByMetricName.prefix(limit))
        return status
    }
}

@Suite(.timeLimit(.minutes(5))) struct TSDBStatusAPITests {
    static var status: APITSDBStatus {
        var status = APITSDBStatus()
        status.numSeries = 3
        status.numLabelPairs = 5
        status.chunkCount = 4
        status.minTime = 1000
        status.maxTime = 9000
        status.seriesCountByMetricName = [.init(name: "up", value: 2), .init(name: "x<y", value: 1)]
        status.labelValueCountByLabelName = [.init(name: "job", value: 2)]
        return status
    }

    func body(_ query: String, _ provider: (any TSDBStatusProviding)? = FixedTSDBStatus(status: Self.status)) async throws -> String {
        String(buffer: try await PrometheusAPI(tsdbStatusProvider: provider).tsdbStatus(FormParameters(encoded: query)))
    }

    @Test func shape() async throws {
        #expect(try await body("") == #"{"status":"success","data":{"headStats":{"numSeries":3,"numLabelPairs":5,"chunkCount":4,"minTime":1000,"maxTime":9000},"#
            + #""seriesCountByMetricName":[{"name":"up","value":2},{"name":"x\u003cy","value":1}],"labelValueCountByLabelName":[{"name":"job","value":2}],"#
            + #""memoryInBytesByLabelName":[],"seriesCountByLabelValuePair":[]}}"#)
        #expect(try await body("limit=1").contains(#""seriesCountByMetricName":[{"name":"up","value":2}],"#))
    }

    @Test func emptyHeadReportsGoBounds() async throws {
        let empty = try await body("", FixedTSDBStatus(status: APITSDBStatus()))
        #expect(empty.contains(#""minTime":9223372036854775807,"maxTime":-9223372036854775808"#))
    }

    @Test(arguments: ["limit=0", "limit=-3", "limit=ten", "limit=1e3"])
    func badLimit(query: String) async throws {
        do {
            _ = try await body(query)
            Issue.record("\(query) was accepted")
        } catch let error as APIError {
            #expect(error.kind == .badData)
            #expect(error.message == "limit must be a positive number")
        }
    }

    @Test func unavailableStorage() async throws {
        for provider in [nil, FixedTSDBStatus(status: nil)] as [(any TSDBStatusProviding)?] {
            do {
                _ = try await body("", provider)
                Issue.record("no error without storage")
            } catch let error as APIError {
                #expect(error.kind == .unavailable)
                #expect(error.kind.errorType == "unavailable")
            }
        }
    }
}
