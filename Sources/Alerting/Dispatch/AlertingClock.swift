import Foundation

/// The wall clock of the embedded Alertmanager: group timers, silences, resolve timeouts and
/// retries read it, so tests drive them with a manual clock and never sleep.
package protocol AlertingClock: Sendable {
    func now() -> Date
    /// Returns at `deadline` (at once when past); throws `CancellationError` when cancelled.
    func sleep(until deadline: Date) async throws
}

/// The system clock.
package struct SystemAlertingClock: AlertingClock {
    package init() {}
    package func now() -> Date { Date() }
    package func sleep(until deadline: Date) async throws {
        let delay = deadline.timeIntervalSinceNow
        if delay > 0 { try await Task.sleep(for: .milliseconds(Int64((delay * 1000).rounded(.up)))) }
        try Task.checkCancellation()
    }
}
