import Foundation

/// The retry schedule of one notification (Alertmanager's exponential backoff, without the
/// jitter): the first retry after `initial`, each next one `multiplier` times later, capped
/// at `maximum`. A pure value; `next()` returns the delay before the next attempt.
package struct RetryBackoff: Sendable, Hashable {
    package var initial: TimeInterval
    package var multiplier: Double
    package var maximum: TimeInterval
    private var current: TimeInterval?

    package init(initial: TimeInterval = 0.5, multiplier: Double = 1.5, maximum: TimeInterval = 60) {
        self.initial = initial
        self.multiplier = multiplier
        self.maximum = maximum
    }

    package mutating func next() -> TimeInterval {
        let delay = current.map { min($0 * multiplier, maximum) } ?? initial
        current = delay
        return delay
    }
}
