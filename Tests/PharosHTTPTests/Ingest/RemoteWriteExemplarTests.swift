import Exposition
import HTTPTypes
import PharosCore
import PharosTestSupport
import Testing
import TSDB
@testable import PharosHTTP

/// Remote write 1.0 `TimeSeries.exemplars`: stored after the series' samples in the same
/// transaction; refused ones are dropped without failing the request, as in Prometheus.
@Suite(.timeLimit(.minutes(2)))
struct RemoteWriteExemplarTests {
    static func series(_ name: String, samples: [(Timestamp, Double)], exemplars: [(trace: String, value: Double, t: Timestamp)]) -> RemoteTimeSeries {
        RemoteTimeSeries(labels: [Label(name: "__name__", value: name), Label(name: "job", value: "w")],
                         samples: samples.map { Sample(timestamp: $0.0, value: $0.1) },
                         exemplars: exemplars.map { RemoteExemplar(labels: [Label(name: "trace_id", value: $0.trace)], value: $0.value, timestamp: $0.t) })
    }

    static let requests = Labels(["__name__": "req_total", "job": "w"])

    @Test func exemplarsArriveOverHTTPAndAreQueryable() async throws {
        try await withTSDB { db in
            let harness = IngestHarness(IngestEndpoints(remoteWrite: RemoteWriteReceiver(
                appendable: db, isReady: { true }, now: { RemoteWriteReceiverTests.now })))
            let body = RemoteWriteEncoder.encodeSnappyBody(WriteRequest(timeseries: [
                Self.series("req_total", samples: [(1_000, 1), (2_000, 2)], exemplars: [("a", 0.5, 1_000), ("b", 0.7, 2_000)]),
                // No samples: the series is unknown to storage, so its exemplar is dropped.
                Self.series("nothing_total", samples: [], exemplars: [("c", 1, 1_000)]),
            ]))
            let response = try await harness.send(.post, "/api/v1/write", headers: RemoteWriteReceiverTests.headers, body: body)
            #expect(response.status == .noContent)
            let stored = try await db.exemplars(from: .min, through: .max, matching: [[.equal("job", "w")]])
            #expect(stored == [ExemplarQueryResult(seriesLabels: Self.requests, exemplars: [
                Exemplar(labels: Labels(["trace_id": "a"]), value: 0.5, timestamp: 1_000),
                Exemplar(labels: Labels(["trace_id": "b"]), value: 0.7, timestamp: 2_000),
            ])])
        }
    }

    @Test func refusedExemplarsAreCountedNotFatal() async throws {
        try await withTSDB { db in
            let receiver = RemoteWriteReceiver(appendable: db, isReady: { true }, now: { RemoteWriteReceiverTests.now })
            _ = await receiver.write(WriteRequest(timeseries: [
                Self.series("req_total", samples: [(5_000, 1)], exemplars: [("a", 1, 5_000)]),
            ]))
            let long = String(repeating: "x", count: 200)
            let outcome = await receiver.write(WriteRequest(timeseries: [
                Self.series("req_total", samples: [(6_000, 2)], exemplars: [("old", 1, 4_000), (long, 1, 6_000), ("new", 1, 6_000)]),
                Self.series("ghost_total", samples: [], exemplars: [("g", 1, 6_000)]),
            ]))
            #expect(outcome.response.status == .noContent)
            #expect(outcome.appended == 1)
            #expect(outcome.exemplars == 1 && outcome.droppedExemplars == 3)
            let stored = try await db.exemplars(from: .min, through: .max, matching: [[]])
            #expect(stored.first?.exemplars.map(\.labels) == [Labels(["trace_id": "a"]), Labels(["trace_id": "new"])])
        }
    }

    @Test func aRolledBackRequestKeepsNoExemplars() async throws {
        try await withTSDB { db in
            let receiver = RemoteWriteReceiver(appendable: db, isReady: { true }, now: { RemoteWriteReceiverTests.now })
            _ = await receiver.write(WriteRequest(timeseries: [Self.series("req_total", samples: [(5_000, 1)], exemplars: [])]))
            let outcome = await receiver.write(WriteRequest(timeseries: [
                Self.series("req_total", samples: [(6_000, 1)], exemplars: [("kept?", 1, 6_000)]),
                Self.series("req_total", samples: [(1_000, 1)], exemplars: []),   // out of order: the request fails
            ]))
            #expect(outcome.response.status == .badRequest)
            let stored = try await db.exemplars(from: .min, through: .max, matching: [[]])
            #expect(stored.isEmpty)
        }
    }

    /// The recording fake sees exemplars with the series' sorted labels and "has a timestamp"
    /// only when the sender gave one.
    @Test func zeroTimestampMeansNone() async {
        let storage = RecordingStorage()
        let receiver = RemoteWriteReceiver(appendable: storage, isReady: { true }, now: { RemoteWriteReceiverTests.now })
        _ = await receiver.write(WriteRequest(timeseries: [
            Self.series("req_total", samples: [(5_000, 1)], exemplars: [("a", 1, 0), ("b", 2, 7)]),
        ]))
        #expect(storage.committedExemplars == [
            RecordedExemplar(series: Self.requests, exemplar: Exemplar(labels: Labels(["trace_id": "a"]), value: 1, timestamp: 0, hasTimestamp: false)),
            RecordedExemplar(series: Self.requests, exemplar: Exemplar(labels: Labels(["trace_id": "b"]), value: 2, timestamp: 7)),
        ])
    }
}
