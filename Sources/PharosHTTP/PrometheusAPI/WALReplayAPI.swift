import NIOCore

/// `/api/v1/status/walreplay`'s numbers: WAL segments, as Prometheus' `walReplayStatus`.
package struct APIWALReplayStatus: Sendable, Hashable {
    package var min = 0
    package var max = 0
    package var current = 0

    package init(min: Int = 0, max: Int = 0, current: Int = 0) {
        self.min = min
        self.max = max
        self.current = current
    }
}

/// Where `/api/v1/status/walreplay` reads from (the TSDB's live replay progress, adapted by
/// the server). Must answer while the replay runs, from any task, without waiting for it.
package protocol WALReplayStatusProviding: Sendable {
    func walReplayStatus() -> APIWALReplayStatus
}

extension PrometheusAPI {
    /// `/api/v1/status/walreplay`: `{"min":…,"max":…,"current":…}`; all 0 without a provider
    /// (nothing to replay).
    package func walReplayStatus() -> ByteBuffer {
        let status = walReplay?.walReplayStatus() ?? APIWALReplayStatus()
        return APIResponse.success { json in
            json.raw("{\"min\":\(status.min),\"max\":\(status.max),\"current\":\(status.current)}")
        }
    }
}
