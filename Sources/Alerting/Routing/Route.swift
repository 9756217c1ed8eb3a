import PharosCore

/// Options a route node applies to the alerts it takes, with inheritance resolved.
package struct RouteOptions: Sendable, Hashable {
    package var receiver = ""
    /// Label names alerts are grouped by (ignored when `groupByAll`).
    package var groupBy: Set<String> = []
    package var groupByAll = false
    package var groupWait = PrometheusDuration(milliseconds: 30_000)
    package var groupInterval = PrometheusDuration(milliseconds: 5 * 60_000)
    package var repeatInterval = PrometheusDuration(milliseconds: 4 * 3_600_000)
    package var muteTimeIntervals: [String] = []
    package var activeTimeIntervals: [String] = []

    /// Alertmanager's `DefaultRouteOpts`: 30s / 5m / 4h, no grouping labels.
    package static let defaults = RouteOptions()
}

/// A node of the routing tree (Alertmanager's `dispatch.Route`), immutable once built.
///
/// Children inherit receiver, grouping and timers from their parent unless they set them;
/// mute and active time intervals are not inherited. `Sendable`: share one tree across tasks.
package final class Route: Sendable {
    package let options: RouteOptions
    /// Sorted as Alertmanager sorts them (name, value, type).
    package let matchers: [LabelMatcher]
    package let `continue`: Bool
    package let routes: [Route]
    /// `{}/{severity="critical"}` — Alertmanager 0.25's `Route.Key()`, part of group keys.
    package let key: String
    /// `{}/{severity="critical"}/0` — Alertmanager 0.27's `Route.ID()` (key plus sibling index).
    package let id: String
    /// Position in a depth-first walk of the tree (root = 0), Alertmanager's `Idx`.
    package let index: Int

    /// Builds the tree for `config` (the root route of a validated config).
    package convenience init(_ config: RouteConfig) {
        var counter = 0
        self.init(config, parentOptions: .defaults, parentKey: nil, parentID: nil, siblingIndex: 0, counter: &counter)
    }

    private init(_ config: RouteConfig, parentOptions: RouteOptions, parentKey: String?, parentID: String?,
                 siblingIndex: Int, counter: inout Int) {
        var options = parentOptions
        if !config.receiver.isEmpty { options.receiver = config.receiver }
        if let groupBy = config.groupBy {
            options.groupBy = Set(groupBy)
            options.groupByAll = false
        } else if config.groupByAll {
            options.groupByAll = true
        }
        if let value = config.groupWait { options.groupWait = value }
        if let value = config.groupInterval { options.groupInterval = value }
        if let value = config.repeatInterval { options.repeatInterval = value }
        options.muteTimeIntervals = config.muteTimeIntervals
        options.activeTimeIntervals = config.activeTimeIntervals
        self.options = options
        matchers = config.matchers.alertmanagerSorted
        self.continue = config.continue
        let own = matchers.alertmanagerDescription
        let key = parentKey.map { $0 + "/" + own } ?? own
        let id = parentID.map { $0 + "/" + own + "/\(siblingIndex)" } ?? own
        self.key = key
        self.id = id
        index = counter
        var children: [Route] = []
        for (offset, child) in config.routes.enumerated() {
            counter += 1
            children.append(Route(child, parentOptions: options, parentKey: key, parentID: id,
                                  siblingIndex: offset, counter: &counter))
        }
        routes = children
    }

    /// The routes an alert with `labels` ends at, in tree order (Alertmanager's `Route.Match`):
    /// empty when this node does not match; this node itself when no child takes the alert.
    /// A matching child stops the search among its siblings unless it has `continue`.
    package func matchingRoutes(_ labels: Labels) -> [Route] {
        guard matchers.matches(labels) else { return [] }
        var all: [Route] = []
        for child in routes {
            let matches = child.matchingRoutes(labels)
            all += matches
            if !matches.isEmpty, !child.continue { break }
        }
        return all.isEmpty ? [self] : all
    }

    /// Visits this node, then its children depth-first.
    package func walk(_ visit: (Route) -> Void) {
        visit(self)
        for child in routes { child.walk(visit) }
    }
}
