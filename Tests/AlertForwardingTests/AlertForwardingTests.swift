import PharosConfig
import PharosCore
import Relabel
import Testing
@testable import AlertForwarding

/// Prometheus' notifier rules, without the network: target relabelling into Alertmanager URLs,
/// alert relabelling with external labels, the bounded queue and the v2 body.
struct AlertForwardingTests {
    @Test func targetsBecomeDeduplicatedURLs() throws {
        var config = AlertmanagerSetConfig()
        config.pathPrefix = "/am/"
        config.relabelConfigs = try parseConfig("""
        alerting:
          alertmanagers:
            - relabel_configs:
                - {source_labels: [env], regex: dev, action: drop}
        """, filename: "p.yml").alerting.alertmanagers[0].relabelConfigs
        let groups = [
            TargetGroup(targets: [Labels(["__address__": "a:9093"]), Labels(["__address__": "b:9093", "env": "dev"])],
                        labels: Labels(["env": "prod"]), source: "0"),
            TargetGroup(targets: [Labels(["__address__": "a:9093"])], source: "1"),
        ]
        let endpoints = AlertmanagerEndpoints(config: config, groups: groups)
        #expect(endpoints.active == ["http://a:9093/am/api/v2/alerts"])
        #expect(endpoints.dropped == ["http://b:9093/am/api/v2/alerts"])
        #expect(endpoints.errors.isEmpty)
    }

    @Test func anAddressWithASlashFailsItsGroup() {
        let groups = [TargetGroup(targets: [Labels(["__address__": "a:1"]), Labels(["__address__": "h/x"])], source: "0"),
                      TargetGroup(targets: [Labels(["__address__": "c:2"])], source: "1")]
        let endpoints = AlertmanagerEndpoints(config: AlertmanagerSetConfig(), groups: groups)
        #expect(endpoints.active == ["http://c:2/api/v2/alerts"])
        #expect(endpoints.errors.count == 1 && endpoints.errors[0].contains("\"h/x\" is not a valid hostname"))
    }

    @Test func pathJoinIsGos() {
        #expect(AlertmanagerEndpoints.joinPath("", "/api/v2/alerts") == "/api/v2/alerts")
        #expect(AlertmanagerEndpoints.joinPath("x//y/../z", "/api/v2/alerts") == "/x/z/api/v2/alerts")
    }

    @Test func externalLabelsFillGapsThenRelabelRuns() throws {
        let configs = try parseConfig("""
        alerting:
          alert_relabel_configs:
            - {source_labels: [severity], regex: debug, action: drop}
        """, filename: "p.yml").alerting.alertRelabelConfigs
        let alerts = [
            ForwardedAlert(labels: Labels(["alertname": "A", "cluster": "own"]), startsAt: 0, endsAt: 1),
            ForwardedAlert(labels: Labels(["alertname": "B", "cluster": ""]), startsAt: 0, endsAt: 1),
            ForwardedAlert(labels: Labels(["alertname": "C", "severity": "debug"]), startsAt: 0, endsAt: 1),
        ]
        let out = ForwardedAlert.relabel(alerts, externalLabels: Labels(["cluster": "eu", "replica": "1"]), configs)
        #expect(out.map(\.labels) == [Labels(["alertname": "A", "cluster": "own", "replica": "1"]),
                                      Labels(["alertname": "B", "cluster": "eu", "replica": "1"])])
    }

    @Test func fullQueueDropsTheOldest() {
        var queue = AlertQueue(capacity: 3)
        func alert(_ n: Int) -> ForwardedAlert { ForwardedAlert(labels: Labels(["n": "\(n)"]), startsAt: 0, endsAt: 0) }
        #expect(queue.append([alert(1), alert(2)]) == 0)
        #expect(queue.append([alert(3), alert(4)]) == 1)
        #expect(queue.append((5...9).map(alert)) == 5)
        #expect(queue.nextBatch().map { $0.labels["n"] } == ["7", "8", "9"])
        #expect(queue.count == 0 && queue.nextBatch().isEmpty)
    }

    @Test func postableBodyHasAPIv2Fields() {
        let body = ForwardedAlert.postableJSON([ForwardedAlert(
            labels: Labels(["alertname": "A"]), annotations: Labels(["runbook_url": "http://rb/<a>"]),
            startsAt: 1_765_000_000_123, endsAt: 1_765_000_060_000, generatorURL: "http://p/graph")])
        #expect(String(decoding: body, as: UTF8.self) == #"[{"annotations":{"runbook_url":"http://rb/\u003ca\u003e"},"#
            + #""endsAt":"2025-12-06T05:47:40.000Z","startsAt":"2025-12-06T05:46:40.123Z","generatorURL":"http://p/graph","labels":{"alertname":"A"}}]"#)
    }
}
