import Foundation
import PharosTestSupport
import Testing

/// prometheus_client's `push_to_gateway`, `pushadd_to_gateway` and `delete_from_gateway`
/// against Pharos' Pushgateway routes; pushed values come back through `/api/v1/query`.
@Suite(.serialized, .timeLimit(.minutes(10))) struct PythonClientPushTests {
    static var script: String {
        URL(fileURLWithPath: MetricsTestApp.appScript).deletingLastPathComponent().appendingPathComponent("push_app.py").path
    }

    static func push(_ port: Int, _ mode: String) throws {
        let (status, output) = try Peers.run(try Peers.python3(), [script, "http://127.0.0.1:\(port)", mode], timeout: .seconds(60))
        guard status == 0 else { throw PeerError("push_app.py \(mode) failed (\(status)): \(output)") }
    }

    @Test func pushedGroupsAreQueryableAndDeletable() async throws {
        try await withTemporaryDirectory { folder in
            let pharos = try await PharosSubprocess(dataPath: folder + "/data", logPath: folder + "/pharos.log")
            defer { pharos.stop() }
            func values(_ query: String) async throws -> [String: Double] {
                try await pharos.query(query, at: Date().timeIntervalSince1970 + 0.1).series.compactMapValues { $0.last?.value }
            }
            let group = #"instance="host/1", job="nightly""#

            try Self.push(pharos.port, "push")
            #expect(try await values("pharos_batch_records_total") == [
                #"{__name__="pharos_batch_records_total", \#(group), stage="load"}"#: 7,
                #"{__name__="pharos_batch_records_total", \#(group), stage="transform"}"#: 2.5,
            ])
            #expect(try await values("pharos_batch_last_success_unixtime") == [
                #"{__name__="pharos_batch_last_success_unixtime", \#(group)}"#: 1_700_000_000,
            ])
            #expect(try await values(#"pharos_batch_duration_seconds_bucket{le="5.0"} or pharos_batch_duration_seconds_bucket{le="5"}"#).values.first == 1)
            let pushTime = try await values("push_time_seconds")[#"{__name__="push_time_seconds", \#(group)}"#] ?? 0
            #expect(abs(pushTime - Date().timeIntervalSince1970) < 120, "push_time_seconds \(pushTime)")

            try Self.push(pharos.port, "add")
            #expect(try await values("pharos_batch_extra") == [#"{__name__="pharos_batch_extra", \#(group)}"#: 3])
            #expect(try await values("count(pharos_batch_records_total)") == ["{}": 2], "POST must keep the other metrics")

            try Self.push(pharos.port, "delete")
            #expect(try await values(#"{job="nightly"}"#) == [:], "deleted group still answers")
        }
    }
}
