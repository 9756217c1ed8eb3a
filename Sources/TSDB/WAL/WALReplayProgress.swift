import Synchronization

/// How far a WAL replay has come, in segment numbers, readable from any thread while the
/// replay runs (Prometheus' `WALReplayStatus`, served by `/api/v1/status/walreplay`).
///
/// Before a replay starts every number is 0. When it starts, `min` is the first segment it
/// reads and `max` the segment the WAL goes on in afterwards (one past the last one on disk:
/// Prometheus creates that segment before it replays and counts it), and `current` is `min`;
/// after each segment `current` is that segment, and `max` once the replay is done. A fresh
/// folder reads `{0, 0, 0}` throughout, as in Prometheus.
package final class WALReplayProgress: Sendable {
    package struct Status: Sendable, Hashable {
        package var min: Int
        package var max: Int
        package var current: Int

        package init(min: Int, max: Int, current: Int) {
            self.min = min
            self.max = max
            self.current = current
        }
    }

    private let state = Mutex(Status(min: 0, max: 0, current: 0))
    private let observer: (@Sendable (Status) -> Void)?

    /// `onSegmentLoaded` is called on the replaying thread after each segment, with the new
    /// status (for logs and tests; it delays the replay while it runs).
    package init(onSegmentLoaded: (@Sendable (Status) -> Void)? = nil) {
        observer = onSegmentLoaded
    }

    package var status: Status { state.withLock { $0 } }

    func start(first: Int, last: Int) {
        state.withLock { $0 = Status(min: first, max: last, current: first) }
    }

    func loaded(_ segment: Int) {
        let status = state.withLock { state in
            state.current = segment
            return state
        }
        observer?(status)
    }
}

/// What `WAL.replay` reports between segments.
package enum WALReplayEvent: Sendable, Hashable {
    /// Before the first record: the checkpoint it reads first, if any, and the first and last
    /// segment after it (nil when there are none).
    case started(checkpoint: Int?, first: Int?, last: Int?)
    /// The checkpoint `checkpoint.N` was read whole.
    case checkpointLoaded(Int)
    /// Segment `segment` was read whole (and repaired, when it is the last one).
    case segmentLoaded(segment: Int, last: Int)
}
