import Foundation
import PharosCore
import Synchronization

/// Routes alerts through the routing tree into aggregation groups (Alertmanager's
/// `dispatch.Dispatcher`) and runs one loop per group in its `run()` task group.
///
/// One dispatcher serves one config; a reload builds a new one (groups start afresh, the
/// notification log prevents repeats). Thread-safe: `dispatch` may be called from any task,
/// before `run()` too (groups then start when it does).
package final class Dispatcher: Sendable {
    package let root: Route
    package let pipeline: NotificationPipeline
    private let groups = Mutex<[GroupID: AggregationGroup]>([:])
    private let newGroups: AsyncStream<AggregationGroup>
    private let newGroupsContinuation: AsyncStream<AggregationGroup>.Continuation

    package init(root: Route, pipeline: NotificationPipeline) {
        self.root = root
        self.pipeline = pipeline
        (newGroups, newGroupsContinuation) = AsyncStream.makeStream(bufferingPolicy: .unbounded)
    }

    /// Puts each alert into the group of every route it matches, creating groups as needed.
    package func dispatch(_ alerts: [AlertmanagerAlert]) {
        let now = pipeline.clock.now()
        var created: [AggregationGroup] = []
        groups.withLock { groups in
            for alert in alerts {
                for route in root.matchingRoutes(alert.labels) {
                    let labels = route.groupLabels(for: alert.labels)
                    let key = GroupID(route: route.index, labels: labels)
                    let group: AggregationGroup
                    if let existing = groups[key] {
                        group = existing
                    } else {
                        group = AggregationGroup(route: route, groupLabels: labels, now: now)
                        groups[key] = group
                        created.append(group)
                    }
                    group.insert(alert, now: now)
                }
            }
        }
        for group in created { newGroupsContinuation.yield(group) }
    }

    /// The current groups, sorted by group key.
    package var currentGroups: [AggregationGroup] {
        groups.withLock { Array($0.values) }.sorted { $0.groupKey < $1.groupKey }
    }

    /// Runs every group's loop until `stop()` or cancellation; then cancels the loops.
    package func run() async {
        await withDiscardingTaskGroup { tasks in
            for await group in newGroups {
                tasks.addTask { [pipeline] in
                    await group.run(pipeline: pipeline) { [weak self] group in self?.retire(group) ?? true }
                }
            }
            tasks.cancelAll()
        }
    }

    /// Ends `run()`: no group flushes after this returns… once `run()` has returned.
    package func stop() { newGroupsContinuation.finish() }

    /// Removes `group` when it holds no alert; false when it must keep running.
    private func retire(_ group: AggregationGroup) -> Bool {
        groups.withLock { groups in
            guard group.state.withLock({ $0.isEmpty }) else { return false }
            let key = GroupID(route: group.route.index, labels: group.groupLabels)
            if groups[key] === group { groups[key] = nil }
            return true
        }
    }
}

/// A group's identity within one dispatcher: its route and its group labels.
private struct GroupID: Hashable {
    var route: Int
    var labels: Labels
}
