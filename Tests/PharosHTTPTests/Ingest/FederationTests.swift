import Foundation
import HTTPTypes
import PharosCore
import PharosTestSupport
import Testing
@testable import PharosHTTP

@Suite(.timeLimit(.minutes(5))) struct FederationTests {
    static let now: Timestamp = 600_000

    /// Storage with samples as Prometheus' federate_test.go-like fixtures.
    static func storage() async throws -> MemoryStorage {
        let storage = MemoryStorage()
        let appender = storage.makeAppender()
        func add(_ labels: [String: String], _ samples: [(Timestamp, Double)]) throws {
            for (t, v) in samples { try appender.append(Labels(labels), at: t, value: v) }
        }
        try add(["__name__": "test_metric1", "foo": "bar", "instance": "i"], [(300_000, 10_000), (500_000, 10_001)])
        try add(["__name__": "test_metric1", "foo": "boo", "instance": "i"], [(500_000, 1)])
        try add(["__name__": "test_metric2", "foo": "boo", "instance": "i"], [(500_000, 1)])
        try add(["__name__": "test_metric_without_labels"], [(500_000, 1001)])
        try add(["__name__": "test_metric_stale"], [(400_000, 1), (500_000, StaleNaN.value)])
        try add(["__name__": "test_metric_old"], [(200_000, 981)])
        try add(["__name__": "test_metric_future"], [(700_000, 5)])
        try add(["__name__": "test_metric_special", "a": "q\"u\\o\nte"], [(500_000, .infinity), (550_000, 1e-7)])
        try add(["__name__": "zzz", "Upper": "x"], [(500_000, 1_000_000)])
        try await appender.commit()
        return storage
    }

    func federate(_ query: String, externalLabels: Labels = .empty) async throws -> (status: HTTPResponse.Status, body: String, type: String?) {
        let federation = Federation(storage: try await Self.storage(), parseSelector: testSelectorParser,
                                    externalLabels: externalLabels, now: { Self.now })
        let response = try await IngestHarness(IngestEndpoints(federation: federation)).send(.get, "/federate" + query)
        return (response.status, response.body, response.headers[.contentType])
    }

    @Test func latestSamplesGroupedByNameWithInstanceDefault() async throws {
        let response = try await federate("?match[]=test_metric1&match[]=test_metric_without_labels&match[]=test_metric2")
        #expect(response.status == .ok)
        #expect(response.type == "text/plain; version=0.0.4; charset=utf-8")
        #expect(response.body == """
            # TYPE test_metric1 untyped
            test_metric1{foo="bar",instance="i"} 10001 500000
            test_metric1{foo="boo",instance="i"} 1 500000
            # TYPE test_metric2 untyped
            test_metric2{foo="boo",instance="i"} 1 500000
            # TYPE test_metric_without_labels untyped
            test_metric_without_labels{instance=""} 1001 500000

            """)
    }

    @Test func staleOldAndFutureSamplesAreOmitted() async throws {
        let response = try await federate("?match[]=test_metric_stale&match[]=test_metric_old&match[]=test_metric_future")
        #expect(response.status == .ok)
        #expect(response.body == "")
    }

    @Test func externalLabelsAreAppendedUnlessTheSeriesHasThem() async throws {
        let response = try await federate("?match[]=%7Bfoo%3D%22bar%22%7D&match[]=zzz&match[]=test_metric_special",
                                          externalLabels: Labels(["foo": "baz", "zone": "ie", "instance": "ext"]))
        #expect(response.body == #"""
            # TYPE test_metric1 untyped
            test_metric1{foo="bar",instance="i",zone="ie"} 10001 500000
            # TYPE test_metric_special untyped
            test_metric_special{a="q\"u\\o\nte",foo="baz",instance="ext",zone="ie"} 1e-07 550000
            # TYPE zzz untyped
            zzz{Upper="x",foo="baz",instance="ext",zone="ie"} 1e+06 500000

            """#)
    }

    @Test func overlappingSelectorsWriteEachSeriesOnce() async throws {
        let response = try await federate("?match[]=test_metric1&match[]=%7Bfoo%3D%22bar%22%7D")
        #expect(response.body.components(separatedBy: "\n").filter { $0.hasPrefix("test_metric1{") }.count == 2)
    }

    @Test func remoteWriteThenFederateFromTSDB() async throws {
        try await withTSDB { db in
            let receiver = RemoteWriteReceiver(appendable: db, isReady: { true }, now: { Self.now })
            let outcome = await receiver.write(RemoteWriteReceiverTests.request([
                (["__name__": "up", "job": "a", "instance": "x"], [(100_000, 0), (590_000, 1)]),
                (["__name__": "up", "job": "b"], [(590_000, 1), (595_000, StaleNaN.value)]),
                (["__name__": "load", "job": "a"], [(599_999, 0.5)]),
            ]))
            #expect(outcome.response.status == .noContent)
            let federation = Federation(storage: db, parseSelector: testSelectorParser,
                                        externalLabels: Labels(["replica": "1"]), now: { Self.now })
            let text = try await federation.render(selectors: ["up", "load"])
            #expect(String(decoding: text, as: UTF8.self) == """
                # TYPE load untyped
                load{job="a",instance="",replica="1"} 0.5 599999
                # TYPE up untyped
                up{instance="x",job="a",replica="1"} 1 590000

                """)
        }
    }

    @Test func noMatchIsEmptyAndBadSelectorsAre400() async throws {
        #expect(try await federate("").body == "")
        let bad = try await federate("?match[]=up%7Bjob%3D")
        #expect(bad.status == .badRequest)
        #expect(bad.body.contains("parse error"))
        #expect(try await federate("?match[]=%ZZ").status == .badRequest)
    }
}
