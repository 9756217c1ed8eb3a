import PharosCore
import Synchronization

/// A target's health as the targets API reports it.
package enum TargetHealth: String, Sendable, Hashable {
    case unknown, up, down
}

/// What the targets API shows about one loop: a pure state machine fed one event per scrape.
///
/// Starts `unknown` with no error; each finished scrape sets health to `up` (no error) or
/// `down` (with the error's message), and records start time and duration.
package struct TargetStatus: Sendable, Hashable {
    package private(set) var health = TargetHealth.unknown
    /// The message of the last scrape's error, "" when it succeeded (Prometheus' `lastError`).
    package private(set) var lastError = ""
    /// The full error of the last scrape, with its location.
    package private(set) var lastFailure: ScrapeError?
    /// Start of the last scrape, in milliseconds; nil before the first.
    package private(set) var lastScrape: Timestamp?
    /// Duration of the last scrape in seconds.
    package private(set) var lastScrapeDuration = 0.0
    /// Number of finished scrapes.
    package private(set) var scrapes = 0

    package init() {}

    package mutating func scrapeFinished(at start: Timestamp, duration: Double, error: ScrapeError?) {
        health = error == nil ? .up : .down
        lastError = error?.message ?? ""
        lastFailure = error
        lastScrape = start
        lastScrapeDuration = duration
        scrapes += 1
    }
}

/// A thread-safe holder of one loop's `TargetStatus`, shared by the loop and its readers.
package final class TargetStatusBox: Sendable {
    private let state = Mutex(TargetStatus())

    package init() {}

    package var status: TargetStatus { state.withLock { $0 } }

    package func scrapeFinished(at start: Timestamp, duration: Double, error: ScrapeError?) {
        state.withLock { $0.scrapeFinished(at: start, duration: duration, error: error) }
    }
}
