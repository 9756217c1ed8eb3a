import Foundation
import PharosCore
import Synchronization

/// A running aggregation group: the pure `AggregationGroupState` behind a lock, a wake-up for
/// early flushes, and the loop that sleeps until the next flush and runs the pipeline.
/// Thread-safe; `run()` is called once, by the dispatcher's task group.
package final class AggregationGroup: Sendable {
    package let route: Route
    package let groupLabels: Labels
    package let groupKey: String
    let state: Mutex<AggregationGroupState>
    private let wake = WakeSignal()
    let finished = Atomic<Bool>(false)

    init(route: Route, groupLabels: Labels, now: Date) {
        self.route = route
        self.groupLabels = groupLabels
        groupKey = route.groupKey(groupLabels: groupLabels)
        state = Mutex(AggregationGroupState(
            groupWait: TimeInterval(route.options.groupWait.milliseconds) / 1000,
            groupInterval: TimeInterval(route.options.groupInterval.milliseconds) / 1000, createdAt: now))
    }

    /// Adds or replaces `alert`; wakes the loop when the flush moved earlier.
    func insert(_ alert: AlertmanagerAlert, now: Date) {
        if case .reschedule = state.withLock({ $0.insert(alert, now: now) }) { wake.signal() }
    }

    /// The group's alerts, in dispatch order.
    package var alerts: [AlertmanagerAlert] {
        state.withLock { $0.alerts.values.sorted(by: AlertmanagerAlert.dispatchOrder) }
    }

    /// Sleeps until each flush, notifies through `pipeline`, and returns once the group is
    /// empty and `retire` agreed to remove it (or when cancelled).
    func run(pipeline: NotificationPipeline, retire: @Sendable (AggregationGroup) -> Bool) async {
        let clock = pipeline.clock
        let group = FlushedGroup(groupKey: groupKey, groupLabels: groupLabels, options: route.options)
        while !Task.isCancelled {
            let deadline = state.withLock { $0.nextFlush }
            await sleepOrWake(until: deadline, clock: clock)
            if Task.isCancelled { return }
            let now = clock.now()
            guard let flushed = state.withLock({ $0.flushIfDue(now: now) }) else { continue }
            let success = await pipeline.run(group, alerts: flushed)
            state.withLock { $0.flushCompleted(flushed, success: success, now: now) }
            if retire(self) { return }
        }
    }

    private func sleepOrWake(until deadline: Date, clock: any AlertingClock) async {
        if deadline <= clock.now() { return }
        let wake = self.wake
        await withTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try? await clock.sleep(until: deadline) }
            tasks.addTask { try? await wake.wait() }
            await tasks.next()
            tasks.cancelAll()
        }
    }
}
