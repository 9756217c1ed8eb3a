import Foundation
import HTTPTypes
import PharosCore
import PharosHTTP
import TSDB

/// Serves the TSDB admin endpoints from the opened TSDB: snapshots under
/// `<data>/snapshots/<name>`, deletes and tombstone clean-up. While the WAL replays every
/// call answers Prometheus 2.42's `TSDB not ready` (`unavailable`, HTTP 500).
struct TSDBAdminAdapter: TSDBAdministering {
    let storage: OpenedStorage

    private func tsdb() throws -> TSDB {
        guard let tsdb = storage.tsdb else {
            throw APIError(.unavailable, "TSDB not ready", location: "admin", status: .internalServerError)
        }
        return tsdb
    }

    func snapshot(skipHead: Bool) async throws -> String {
        let tsdb = try tsdb()
        let name = TSDB.snapshotName(at: Date(), random: UInt64.random(in: 0...UInt64(Int64.max)))
        _ = try await tsdb.snapshot(into: tsdb.directory + "/snapshots/" + name, withHead: !skipHead)
        return name
    }

    func deleteSeries(matching matchers: [LabelMatcher], from start: Timestamp, through end: Timestamp) async throws {
        try await tsdb().deleteSeries(matching: matchers, from: start, through: end)
    }

    func cleanTombstones() async throws {
        try await tsdb().cleanTombstones()
    }
}

/// Serves `/api/v1/status/walreplay` from the replay's live progress (no lock is held across
/// the replay, so it answers while the WAL is read).
struct WALReplayStatusAdapter: WALReplayStatusProviding {
    let progress: WALReplayProgress

    func walReplayStatus() -> APIWALReplayStatus {
        let status = progress.status
        return APIWALReplayStatus(min: status.min, max: status.max, current: status.current)
    }
}
