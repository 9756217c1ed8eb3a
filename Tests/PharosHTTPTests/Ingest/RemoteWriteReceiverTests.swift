import Exposition
import HTTPTypes
import PharosCore
import PharosTestSupport
import Snappy
import Testing
import TSDB
@testable import PharosHTTP

@Suite(.timeLimit(.minutes(5))) struct RemoteWriteReceiverTests {
    static let now: Timestamp = 1_700_000_000_000

    static func request(_ series: [(labels: [String: String], samples: [(Timestamp, Double)])]) -> WriteRequest {
        WriteRequest(timeseries: series.map { entry in
            RemoteTimeSeries(labels: entry.labels.sorted { $0.key < $1.key }.map { Label(name: $0.key, value: $0.value) },
                             samples: entry.samples.map { Sample(timestamp: $0.0, value: $0.1) })
        })
    }

    static var headers: HTTPFields {
        var fields = HTTPFields()
        for header in RemoteWriteEncoder.headers { fields[HTTPField.Name(header.name)!] = header.value }
        return fields
    }

    func harness(_ storage: any Appendable, ready: Bool = true, partial: Bool = false) -> IngestHarness {
        var configuration = RemoteWriteReceiver.Configuration()
        configuration.partialWrites = partial
        configuration.maxBodySize = 1 << 20
        return IngestHarness(IngestEndpoints(remoteWrite: RemoteWriteReceiver(
            appendable: storage, configuration: configuration, isReady: { ready }, now: { Self.now })))
    }

    @Test func roundTripIntoTSDB() async throws {
        try await withTSDB { db in
            let body = RemoteWriteEncoder.encodeSnappyBody(Self.request([
                (["__name__": "up", "job": "a", "instance": "x"], [(1_000, 1), (2_000, 0)]),
                (["__name__": "rpc_total", "job": "a"], [(1_500, 42.5)]),
            ]))
            let response = try await harness(db).send(.post, "/api/v1/write", headers: Self.headers, body: body)
            #expect(response.status == .noContent)
            #expect(response.body == "")
            #expect(try await dump(db, "up") == [#"up{instance="x", job="a"}@1000=1.0"#, #"up{instance="x", job="a"}@2000=0.0"#])
            #expect(try await dump(db, "rpc_total") == [#"rpc_total{job="a"}@1500=42.5"#])
        }
    }

    @Test func outOfOrderSamplesRollBackTheRequestLikePrometheus() async throws {
        try await withTSDB { db in
            let app = harness(db)
            _ = try await app.send(.post, "/api/v1/write", headers: Self.headers,
                                   body: RemoteWriteEncoder.encodeSnappyBody(Self.request([(["__name__": "m"], [(5_000, 1)])])))
            let body = RemoteWriteEncoder.encodeSnappyBody(Self.request([
                (["__name__": "n"], [(1_000, 1)]),
                (["__name__": "m"], [(4_000, 2)]),
            ]))
            let response = try await app.send(.post, "/api/v1/write", headers: Self.headers, body: body)
            #expect(response.status == .badRequest)
            #expect(response.body == "out of order sample for series m\n")
            #expect(response.headers[.contentType] == "text/plain; charset=utf-8")
            #expect(try await dump(db, "n") == [])
            #expect(try await dump(db, "m") == [#"m@5000=1.0"#])
        }
    }

    @Test func partialWritesCommitTheAcceptedSamples() async throws {
        try await withTSDB { db in
            let receiver = RemoteWriteReceiver(appendable: db, configuration: {
                var configuration = RemoteWriteReceiver.Configuration()
                configuration.partialWrites = true
                return configuration
            }(), isReady: { true }, now: { Self.now })
            _ = await receiver.write(Self.request([(["__name__": "m"], [(5_000, 1)])]))
            let outcome = await receiver.write(Self.request([
                (["__name__": "n"], [(1_000, 1)]),
                (["__name__": "m"], [(4_000, 2), (5_000, 3), (6_000, 4)]),
                (["__name__": "future"], [(Self.now + 11 * 60_000, 1)]),
            ]))
            #expect(outcome.response == IngestResponse(.badRequest, """
                3 samples rejected, 2 written:
                out of order sample for series m
                duplicate sample for timestamp for series m
                out of bounds for series future
                """))
            #expect(outcome.appended == 2 && outcome.rejected == 3)
            let n = try await dump(db, "n"), m = try await dump(db, "m")
            #expect(n == [#"n@1000=1.0"#])
            #expect(m == [#"m@5000=1.0"#, #"m@6000=4.0"#])
        }
    }

    @Test func invalidSeriesAreSkippedAndCounted() async throws {
        let storage = MemoryStorage()
        let receiver = RemoteWriteReceiver(appendable: storage, isReady: { true }, now: { Self.now })
        let request = WriteRequest(timeseries: [
            RemoteTimeSeries(labels: [Label(name: "job", value: "nameless")], samples: [Sample(timestamp: 1, value: 1)]),
            RemoteTimeSeries(labels: [Label(name: "__name__", value: "d"), Label(name: "a", value: "1"), Label(name: "a", value: "2")],
                             samples: [Sample(timestamp: 1, value: 1), Sample(timestamp: 2, value: 1)]),
            RemoteTimeSeries(labels: [Label(name: "__name__", value: "ok")], samples: [Sample(timestamp: 1, value: 1)]),
        ])
        let outcome = await receiver.write(request)
        #expect(outcome.response.status == .noContent)
        #expect(outcome.invalidLabels == 3 && outcome.appended == 1)
        #expect(storage.seriesCount == 1)
    }

    @Test func storageRefusalsOtherThanOrderingAreSkippedOr500() async throws {
        // Refuses series named `bad` (invalid labels) and `down` (unavailable).
        let storage = RecordingStorage { labels in
            switch labels.metricName {
            case "bad": AppendError(.invalidLabels, "bad")
            case "down": AppendError(.unavailable, "closed")
            default: nil
            }
        }
        let receiver = RemoteWriteReceiver(appendable: storage, isReady: { true }, now: { Self.now })
        let skipped = await receiver.write(Self.request([
            (["__name__": "bad"], [(1, 1), (2, 2)]), (["__name__": "good"], [(1, 1)]),
        ]))
        #expect(skipped.response.status == .noContent)
        #expect(skipped.invalidLabels == 2 && skipped.appended == 1)
        #expect(storage.committed.count == 1)
        let failed = await receiver.write(Self.request([(["__name__": "good"], [(3, 1)]), (["__name__": "down"], [(1, 1)])]))
        #expect(failed.response == IngestResponse(.internalServerError, "storage unavailable: closed"))
        #expect(failed.appended == 0)
        #expect(storage.committed.count == 1 && storage.rollbacks == 1)
    }

    @Test func notReadyAnswers503() async throws {
        let storage = MemoryStorage()
        let body = RemoteWriteEncoder.encodeSnappyBody(Self.request([(["__name__": "m"], [(1, 1)])]))
        let response = try await harness(storage, ready: false).send(.post, "/api/v1/write", headers: Self.headers, body: body)
        #expect(response.status == .serviceUnavailable)
        #expect(storage.seriesCount == 0)
    }

    @Test(arguments: [
        ("text/plain", "snappy", "expected application/x-protobuf as the first (media) part, got text/plain content-type"),
        ("application/x-protobuf;proto=io.prometheus.write.v2.Request", "snappy",
         "io.prometheus.write.v2.Request protobuf message is not accepted by this server; accepted [prometheus.WriteRequest]"),
        ("application/x-protobuf;bad", "snappy",
         "as per https://www.rfc-editor.org/rfc/rfc9110#parameter expected parameters to be key-values, got bad in application/x-protobuf;bad content-type"),
        ("application/x-protobuf", "gzip", "gzip encoding (compression) is not accepted by this server; only snappy is acceptable"),
    ])
    func unsupportedHeadersAnswer415(contentType: String, encoding: String, message: String) async throws {
        let body = RemoteWriteEncoder.encodeSnappyBody(Self.request([(["__name__": "m"], [(1, 1)])]))
        let response = try await harness(MemoryStorage()).send(
            .post, "/api/v1/write", headers: [.contentType: contentType, .contentEncoding: encoding], body: body)
        #expect(response.status == .unsupportedMediaType)
        #expect(response.body == message + "\n")
    }

    @Test func missingHeadersAreAcceptedAsVersion1Snappy() async throws {
        let storage = MemoryStorage()
        let body = RemoteWriteEncoder.encodeSnappyBody(Self.request([(["__name__": "m"], [(1, 1)])]))
        #expect(try await harness(storage).send(.post, "/api/v1/write", body: body).status == .noContent)
        #expect(storage.seriesCount == 1)
    }

    @Test func badBodiesAnswer400AndNeverCrash() async throws {
        let storage = MemoryStorage()
        let app = harness(storage)
        let good = RemoteWriteEncoder.encodeSnappyBody(Self.request([
            (["__name__": "m", "job": "j"], [(1, 1), (2, 2)]), (["__name__": "n"], [(3, 3)]),
        ]))
        // Truncated snappy at every length.
        for end in 0..<good.count {
            let response = try await app.send(.post, "/api/v1/write", headers: Self.headers, body: Array(good.prefix(end)))
            #expect(response.status == .badRequest || response.status == .noContent, "prefix \(end)")
            if response.status == .badRequest { #expect(response.body.contains("at byte ")) }
        }
        // Random bytes.
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            let bytes = (0..<Int.random(in: 1..<100, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let response = try await app.send(.post, "/api/v1/write", headers: Self.headers, body: bytes)
            #expect(response.status == .badRequest || response.status == .noContent)
        }
        // Valid snappy around a corrupt protobuf message.
        let protobuf = RemoteWriteEncoder.encode(Self.request([(["__name__": "m"], [(1, 1)])]))
        let corrupt = Snappy.compress(Array(protobuf.dropLast(3)))
        let response = try await app.send(.post, "/api/v1/write", headers: Self.headers, body: corrupt)
        #expect(response.status == .badRequest)
        #expect(response.body.hasPrefix("cannot decode remote write request: at byte "))
        let garbage = try await app.send(.post, "/api/v1/write", headers: Self.headers, body: [0xff, 0xff, 0xff, 0xff, 0xff, 0xff])
        #expect(garbage.status == .badRequest)
        #expect(garbage.body.hasPrefix("cannot decompress remote write request: at byte "))
    }

    @Test func oversizedBodiesAnswer413() async throws {
        let response = try await harness(MemoryStorage()).send(.post, "/api/v1/write", headers: Self.headers,
                                                               body: [UInt8](repeating: 0, count: (1 << 20) + 1))
        #expect(response.status == .contentTooLarge)
    }
}
