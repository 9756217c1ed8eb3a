import Exposition
import Foundation
import PharosCore
import PharosTestSupport
import Testing

/// `--query.lookback-delta` and `--query.max-samples` reach the engine of a running `pharos`.
@Suite(.serialized, .timeLimit(.minutes(10))) struct QueryFlagsTests {
    @Test func lookbackDeltaAndMaxSamplesApply() async throws {
        try await withTemporaryDirectory { folder in
            let pharos = try await PharosSubprocess(dataPath: folder + "/data", logPath: folder + "/pharos.log",
                                                    extraArguments: ["--query.lookback-delta=1m", "--query.max-samples=100"])
            defer { pharos.stop() }
            let now = Int64(Date().timeIntervalSince1970) * 1000
            let samples = (0..<200).map { Sample(timestamp: now - 200_000 + Int64($0) * 1000, value: Double($0)) }
            let write = try await pharos.client.remoteWrite(WriteRequest(timeseries: [
                RemoteTimeSeries(labels: [Label(name: "__name__", value: "flag_test")], samples: samples),
            ]))
            try #require((200..<300).contains(write.status), "remote write refused: \(write.body)")
            let last = Double(now - 1000) / 1000

            // The newest sample is 90 s before this time: outside a 1 m lookback, inside 5 m.
            let stale = try await pharos.query("flag_test", at: last + 90)
            #expect(stale.series.isEmpty, "lookback of 1m still found \(stale)")
            let fresh = try await pharos.query("flag_test", at: last + 30)
            #expect(fresh.series.count == 1)

            // 120 samples in the window: over the limit of 100.
            let response = try await pharos.client.get("/api/v1/query?query=count_over_time(flag_test%5B2m%5D)&time=\(last)")
            #expect(response.status == 422, "\(response.body)")
            #expect(response.body.contains(#""errorType":"execution""#) && response.body.contains("too many samples"), "\(response.body)")
        }
    }
}
