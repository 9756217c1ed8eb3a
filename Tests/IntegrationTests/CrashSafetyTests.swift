import Exposition
import Foundation
import PharosCore
import PharosTestSupport
import Synchronization
import Testing

/// `kill -9` in the middle of sustained remote_write: after a restart on the same data folder,
/// every sample whose request was answered 2xx is queryable (a 2xx means "in the WAL").
@Suite(.serialized, .timeLimit(.minutes(10))) struct CrashSafetyTests {
    final class StopFlag: Sendable {
        let value = Atomic<Bool>(false)
        /// Writers that have had at least `minimumAcknowledged` requests answered 2xx.
        let warmedUp = Atomic<Int>(0)
    }

    /// Acknowledged batches every writer gets before the kill.
    static let minimumAcknowledged = 20

    static let shards = 4
    static let writers = 3

    /// Batch `k` of writer `w`: one sample per shard at `base + k*10 ms`, value `k`.
    static func batch(writer: Int, index: Int, base: Int64) -> WriteRequest {
        WriteRequest(timeseries: (0..<shards).map { shard in
            RemoteTimeSeries(labels: [Label(name: "__name__", value: "pharos_it_crash"),
                                      Label(name: "shard", value: "\(shard)"), Label(name: "writer", value: "\(writer)")],
                             samples: [Sample(timestamp: base + Int64(index) * 10, value: Double(index))])
        })
    }

    /// Sends batches in order until a request fails or `stop` is set; returns the acknowledged
    /// indexes and whether a failed request (the kill) ended the stream.
    static func send(writer: Int, port: Int, base: Int64, stop: StopFlag) async -> (acknowledged: [Int], cutOff: Bool) {
        var acknowledged: [Int] = []
        let client = TestHTTPClient(port: port)
        for index in 0..<100_000 where !stop.value.load(ordering: .relaxed) {
            guard let response = try? await client.remoteWrite(batch(writer: writer, index: index, base: base)),
                  (200..<300).contains(response.status) else { return (acknowledged, true) }
            acknowledged.append(index)
            if acknowledged.count == minimumAcknowledged { stop.warmedUp.add(1, ordering: .relaxed) }
        }
        return (acknowledged, false)
    }

    @Test func everyAcknowledgedSampleSurvivesKillDashNine() async throws {
        try await withTemporaryDirectory { folder in
            let data = folder + "/data"
            let base = (Int64(Date().timeIntervalSince1970) - 1800) * 1000
            let pharos = try await PharosSubprocess(dataPath: data, logPath: folder + "/pharos.log")
            defer { pharos.stop() }
            let port = pharos.port
            let stop = StopFlag()
            let acknowledged = try await withThrowingTaskGroup(of: (Int, (acknowledged: [Int], cutOff: Bool)).self) { tasks in
                for writer in 0..<Self.writers {
                    tasks.addTask { (writer, await Self.send(writer: writer, port: port, base: base, stop: stop)) }
                }
                // Let every writer get going (bounded: a loaded machine is slow), then kill
                // while requests are in flight.
                try await Task.sleep(for: .seconds(1))
                for _ in 0..<600 where stop.warmedUp.load(ordering: .relaxed) < Self.writers {
                    try await Task.sleep(for: .milliseconds(100))
                }
                pharos.kill9()
                let killedWhileWriting = pharos.peer.process.terminationReason == .uncaughtSignal
                try await Task.sleep(for: .milliseconds(200))
                stop.value.store(true, ordering: .relaxed)
                var result: [Int: [Int]] = [:]
                var cutOff = 0
                for try await (writer, outcome) in tasks {
                    result[writer] = outcome.acknowledged
                    if outcome.cutOff { cutOff += 1 }
                }
                #expect(killedWhileWriting, "pharos was not killed by SIGKILL")
                #expect(cutOff == Self.writers, "only \(cutOff) of \(Self.writers) writers were still sending at the kill")
                return result
            }
            for writer in 0..<Self.writers {
                #expect((acknowledged[writer]?.count ?? 0) >= Self.minimumAcknowledged, "writer \(writer) got too few acknowledgements: \(acknowledged[writer]?.count ?? 0)\n\(pharos.log)")
            }

            let restarted = try await PharosSubprocess(dataPath: data, logPath: folder + "/pharos-2.log")
            defer { restarted.stop() }
            let at = Double(base) / 1000 + 600
            let stored = try await restarted.query("pharos_it_crash[15m]", at: at)
            for writer in 0..<Self.writers {
                let expected = Set(acknowledged[writer] ?? [])
                for shard in 0..<Self.shards {
                    let key = #"{__name__="pharos_it_crash", shard="\#(shard)", writer="\#(writer)"}"#
                    let points = stored.series[key] ?? []
                    let kept = Set(points.map { Int((($0.time * 1000).rounded() - Double(base)) / 10) })
                    let lost = expected.subtracting(kept).sorted()
                    #expect(lost.isEmpty, "\(key): \(lost.count) of \(expected.count) acknowledged batches lost, first \(lost.prefix(5))")
                    for point in points where point.value != ((point.time * 1000).rounded() - Double(base)) / 10 {
                        Issue.record("\(key): wrong value \(point.value) at \(point.time)")
                        break
                    }
                }
            }
        }
    }
}
