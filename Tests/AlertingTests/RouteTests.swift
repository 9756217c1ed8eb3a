import Alerting
import PharosCore
import Testing

@Suite struct RouteTests {
    static let tree = """
    route:
      receiver: default
      group_by: [alertname]
      group_wait: 10s
      routes:
        - matchers: ['service=~"foo1|foo2|baz"']
          receiver: team-X
          routes:
            - match: {severity: critical}
              receiver: team-X-pager
        - match: {service: files}
          receiver: team-Y
          group_by: ['...']
          repeat_interval: 1h
        - match: {service: database}
          receiver: team-DB
          group_by: []
          routes:
            - match: {owner: team-X}
              receiver: team-X-pager
              continue: true
            - match: {owner: team-Y}
              receiver: team-Y-pager
            - match_re: {owner: 'team-.*'}
              receiver: team-any
    receivers:
      - {name: default}
      - {name: team-X}
      - {name: team-X-pager}
      - {name: team-Y}
      - {name: team-Y-pager}
      - {name: team-DB}
      - {name: team-any}
    """

    static func route() throws -> Route {
        Route(try AlertmanagerConfig.parse(tree, file: "routes.yml").route)
    }

    static func receivers(_ labels: [String: String]) throws -> [String] {
        try route().matchingRoutes(Labels(labels)).map(\.options.receiver)
    }

    @Test func matchingRoutesFollowAlertmanager() throws {
        #expect(try Self.receivers([:]) == ["default"])
        #expect(try Self.receivers(["service": "foo1"]) == ["team-X"])
        #expect(try Self.receivers(["service": "foo1x"]) == ["default"])
        #expect(try Self.receivers(["service": "baz", "severity": "critical"]) == ["team-X-pager"])
        #expect(try Self.receivers(["service": "database", "owner": "team-X"]) == ["team-X-pager", "team-any"])
        #expect(try Self.receivers(["service": "database", "owner": "team-Y"]) == ["team-Y-pager"])
        #expect(try Self.receivers(["service": "database"]) == ["team-DB"])
    }

    @Test func optionsInheritAndDefault() throws {
        let root = try Self.route()
        #expect(root.options.groupWait == PrometheusDuration(milliseconds: 10_000))
        #expect(root.options.groupInterval == PrometheusDuration(milliseconds: 300_000))
        #expect(root.options.repeatInterval == PrometheusDuration(milliseconds: 4 * 3_600_000))
        let teamX = root.routes[0], files = root.routes[1], database = root.routes[2]
        #expect(teamX.options.groupBy == ["alertname"] && teamX.options.groupWait.milliseconds == 10_000)
        #expect(teamX.routes[0].options.groupBy == ["alertname"])
        #expect(files.options.groupByAll && files.options.repeatInterval.milliseconds == 3_600_000)
        // `group_by: []` inherits, as Alertmanager tests the parsed list for nil.
        #expect(database.options.groupBy == ["alertname"] && !database.options.groupByAll)
    }

    @Test func keysAndIDs() throws {
        let root = try Self.route()
        #expect(root.key == "{}" && root.id == "{}")
        #expect(root.routes[0].key == #"{}/{service=~"foo1|foo2|baz"}"#)
        #expect(root.routes[0].routes[0].key == #"{}/{service=~"foo1|foo2|baz"}/{severity="critical"}"#)
        #expect(root.routes[0].routes[0].id == #"{}/{service=~"foo1|foo2|baz"}/0/{severity="critical"}/0"#)
        #expect(root.routes[2].routes[1].id == #"{}/{service="database"}/2/{owner="team-Y"}/1"#)
        var indexes: [Int] = []
        root.walk { indexes.append($0.index) }
        #expect(indexes == Array(0..<indexes.count))
    }

    @Test func legacyAndNewMatchersMergeSorted() throws {
        let config = try AlertmanagerConfig.parse("""
        route:
          receiver: x
          routes:
            - match: {b: "1"}
              match_re: {a: "x.*"}
              matchers: ['c!="2"', 'a="y"']
        receivers: [{name: x}]
        """, file: "m.yml")
        #expect(Route(config.route).routes[0].matchers.alertmanagerDescription == #"{a=~"x.*",a="y",b="1",c!="2"}"#)
    }

    @Test func timeIntervalsAreNotInherited() throws {
        let config = try AlertmanagerConfig.parse("""
        route:
          receiver: x
          routes:
            - receiver: x
              mute_time_intervals: [nights]
              active_time_intervals: [weekdays]
              routes: [{receiver: x}]
        receivers: [{name: x}]
        time_intervals:
          - name: weekdays
            time_intervals: [{weekdays: ['monday:friday']}]
        mute_time_intervals:
          - name: nights
            time_intervals: [{times: [{start_time: '00:00', end_time: '06:00'}]}]
        """, file: "t.yml")
        let child = Route(config.route).routes[0]
        #expect(child.options.muteTimeIntervals == ["nights"] && child.options.activeTimeIntervals == ["weekdays"])
        #expect(child.routes[0].options.muteTimeIntervals.isEmpty)
        #expect(Set(config.namedTimeIntervals.byName.keys) == ["weekdays", "nights"])
    }
}
