import PharosConfig
import PharosCore

/// One node of `route:` as written (no inheritance applied; `Route` applies it).
package struct RouteConfig: Sendable, Hashable {
    package var receiver = ""
    /// Label names of `group_by`, without `...`; nil when absent or empty (inherit).
    package var groupBy: [String]?
    /// `group_by: ['...']`: group by all labels.
    package var groupByAll = false
    /// `match`, `match_re` and `matchers` together, in Alertmanager's order.
    package var matchers: [LabelMatcher] = []
    package var muteTimeIntervals: [String] = []
    package var activeTimeIntervals: [String] = []
    package var `continue` = false
    package var routes: [RouteConfig] = []
    package var groupWait: PrometheusDuration?
    package var groupInterval: PrometheusDuration?
    package var repeatInterval: PrometheusDuration?
    /// Where the node and its `receiver` are, for later messages.
    package var position = Position()
    package var receiverPosition = Position()

    package struct Position: Sendable, Hashable {
        package var line = 0
        package var column = 0
        package var keyPath = ""
        package init() {}
        init(_ cursor: ConfigCursor) {
            line = cursor.node.line
            column = cursor.node.column
            keyPath = cursor.path
        }
    }

    package init() {}
}

extension RouteConfig {
    /// Decodes one route node and its children (`config.Route.UnmarshalYAML`).
    static func decode(_ cursor: ConfigCursor, options: AlertmanagerLoadOptions) throws(ConfigError) -> RouteConfig {
        let fields = try cursor.mapping("config.plain")
        var route = RouteConfig()
        route.position = Position(cursor)
        if let node = fields.take("receiver") {
            route.receiver = try node.string()
            route.receiverPosition = Position(node)
        }
        var matchers: [LabelMatcher] = []
        if let node = fields.take("match") { matchers += try node.equalityMatchers() }
        if let node = fields.take("match_re") { matchers += try node.regexMatchers() }
        if let node = fields.take("matchers") { matchers += try node.matcherList(options.matcherSyntax) }
        route.matchers = matchers.alertmanagerSorted
        if let node = fields.take("group_by") {
            var names: [String] = []
            for item in try node.sequence() {
                let name = try item.string()
                if name == "..." {
                    route.groupByAll = true
                } else {
                    guard ConfigCursor.isLegacyLabelName(name) else {
                        throw item.fail("invalid label name \(goQuote(name)) in group_by list")
                    }
                    if names.contains(name) { throw item.fail("duplicated label \(goQuote(name)) in group_by") }
                    names.append(name)
                }
            }
            if route.groupByAll, !names.isEmpty {
                throw node.fail(.invalidConfig, "cannot have wildcard group_by (`...`) and other other labels at the same time")
            }
            // `group_by: []` inherits like an absent key: Alertmanager tests the parsed list for nil.
            route.groupBy = names.isEmpty ? nil : names
        }
        route.muteTimeIntervals = try fields.stringList("mute_time_intervals") ?? []
        route.activeTimeIntervals = try fields.stringList("active_time_intervals") ?? []
        route.continue = try fields.strictBool("continue") ?? false
        route.groupWait = try fields.duration("group_wait")
        if let node = fields.take("group_interval") {
            let value = try node.duration()
            if value.milliseconds == 0 { throw node.fail("group_interval cannot be zero") }
            route.groupInterval = value
        }
        if let node = fields.take("repeat_interval") {
            let value = try node.duration()
            if value.milliseconds == 0 { throw node.fail("repeat_interval cannot be zero") }
            route.repeatInterval = value
        }
        for child in try fields.take("routes")?.sequence() ?? [] {
            route.routes.append(try decode(child, options: options))
        }
        try fields.finish()
        return route
    }
}
