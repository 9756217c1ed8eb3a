import Foundation
import HTTPTestSupport
import Hummingbird
import NIOCore
import PharosTestSupport
import Testing

/// The common `kubernetes-pods` job (scrape pods annotated `prometheus.io/scrape: "true"`, on
/// their `prometheus.io/port` and `prometheus.io/path`) end to end: the stand-in API server
/// lists and watches pods, the `pharos` binary discovers, relabels and scrapes them, and
/// `/api/v1/targets` shows active and dropped targets as Prometheus does.
@Suite(.serialized, .timeLimit(.minutes(3))) struct KubernetesPodsEndToEndTests {
    static func config(apiServer: String) -> String {
        """
        global: {scrape_interval: 1s, scrape_timeout: 1s}
        scrape_configs:
          - job_name: kubernetes-pods
            kubernetes_sd_configs:
              - role: pod
                api_server: \(apiServer)
                authorization: {credentials: e2e-token}
            relabel_configs:
              - source_labels: [__meta_kubernetes_pod_annotation_prometheus_io_scrape]
                action: keep
                regex: true
              - source_labels: [__meta_kubernetes_pod_annotation_prometheus_io_path]
                action: replace
                target_label: __metrics_path__
                regex: (.+)
              - source_labels: [__address__, __meta_kubernetes_pod_annotation_prometheus_io_port]
                action: replace
                regex: ([^:]+)(?::\\d+)?;(\\d+)
                replacement: $1:$2
                target_label: __address__
              - action: labelmap
                regex: __meta_kubernetes_pod_label_(.+)
              - source_labels: [__meta_kubernetes_namespace]
                action: replace
                target_label: namespace
              - source_labels: [__meta_kubernetes_pod_name]
                action: replace
                target_label: pod
              - source_labels: [__meta_kubernetes_pod_phase]
                regex: Pending|Succeeded|Failed|Completed
                action: drop
        """
    }

    static func pod(_ name: String, phase: String = "Running", annotations: [String: String], app: String) -> String {
        let annotationText = annotations.map { "\"\($0.key)\": \"\($0.value)\"" }.sorted().joined(separator: ", ")
        return """
            {"metadata": {"name": "\(name)", "namespace": "shop", "uid": "uid-\(name)", "labels": {"app": "\(app)", "app.kubernetes.io/part-of": "shop"},
                          "annotations": {\(annotationText)}},
             "spec": {"nodeName": "node-1", "containers": [{"name": "main", "image": "\(app):1", "ports": [{"name": "http", "containerPort": 8080, "protocol": "TCP"}]}]},
             "status": {"phase": "\(phase)", "podIP": "127.0.0.1", "hostIP": "127.0.0.1", "conditions": [{"type": "Ready", "status": "True"}]}}
            """
    }

    static func metricsRouter() -> Router<BasicRequestContext> {
        let router = Router()
        router.get("/custom/metrics") { _, _ -> Response in
            Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                     body: .init(byteBuffer: ByteBuffer(string: "# TYPE shop_orders_total counter\nshop_orders_total 42\n")))
        }
        return router
    }

    static func targets(_ client: TestHTTPClient, _ query: String = "") async throws -> [String: Any] {
        let response = try await client.get("/api/v1/targets" + query)
        let object = try JSONSerialization.jsonObject(with: Data(response.body.utf8)) as? [String: Any]
        return object?["data"] as? [String: Any] ?? [:]
    }

    @Test func annotatedPodsAreScrapedOthersDropped() async throws {
        try await withTemporaryDirectory { folder in
            try await withTestHTTPServer(Self.metricsRouter()) { metricsPort in
                let standIn = KubernetesStandIn(requiredAuthorization: "Bearer e2e-token")
                let scrape = ["prometheus.io/scrape": "true", "prometheus.io/port": "\(metricsPort)", "prometheus.io/path": "/custom/metrics"]
                standIn.put("pods", Self.pod("web-1", annotations: scrape, app: "web"))
                standIn.put("pods", Self.pod("db-1", annotations: [:], app: "db"))
                standIn.put("pods", Self.pod("batch-1", phase: "Succeeded", annotations: scrape, app: "batch"))
                try await standIn.run { server in
                    try Self.config(apiServer: server).write(toFile: folder + "/prometheus.yml", atomically: true, encoding: .utf8)
                    let pharos = try await PharosSubprocess(dataPath: folder + "/data", logPath: folder + "/pharos.log",
                                                            extraArguments: ["--config.file=\(folder)/prometheus.yml"])
                    defer { pharos.stop() }
                    let client = pharos.client

                    // The annotated, running pod is scraped on its annotated port and path.
                    var active: [[String: Any]] = []
                    let deadline = ContinuousClock.now + .seconds(60)
                    while ContinuousClock.now < deadline {
                        active = try await Self.targets(client)["activeTargets"] as? [[String: Any]] ?? []
                        if active.first?["health"] as? String == "up" { break }
                        try await Task.sleep(for: .milliseconds(200))
                    }
                    try #require(active.count == 1, "\(active)\n\(pharos.log)")
                    let target = active[0]
                    #expect(target["health"] as? String == "up", "\(target)")
                    #expect(target["scrapeUrl"] as? String == "http://127.0.0.1:\(metricsPort)/custom/metrics")
                    #expect(target["labels"] as? [String: String] == [
                        "app": "web", "app_kubernetes_io_part_of": "shop", "instance": "127.0.0.1:\(metricsPort)",
                        "job": "kubernetes-pods", "namespace": "shop", "pod": "web-1",
                    ])
                    let discovered = target["discoveredLabels"] as? [String: String] ?? [:]
                    #expect(discovered["__address__"] == "127.0.0.1:8080")
                    #expect(discovered["__meta_kubernetes_pod_annotation_prometheus_io_scrape"] == "true")
                    #expect(discovered["__meta_kubernetes_pod_annotationpresent_prometheus_io_port"] == "true")
                    #expect(discovered["__meta_kubernetes_pod_label_app_kubernetes_io_part_of"] == "shop")
                    #expect(discovered["__meta_kubernetes_pod_container_port_name"] == "http")
                    #expect(discovered["__meta_kubernetes_pod_phase"] == "Running")
                    #expect(discovered["__meta_kubernetes_pod_ready"] == "true")
                    #expect(discovered["__meta_kubernetes_pod_uid"] == "uid-web-1")
                    #expect(discovered["job"] == "kubernetes-pods" && discovered["__metrics_path__"] == "/metrics")

                    // The others are dropped, shown with their discovered labels and pool.
                    let all = try await Self.targets(client, "?state=any")
                    let dropped = all["droppedTargets"] as? [[String: Any]] ?? []
                    #expect(Set(dropped.compactMap { ($0["discoveredLabels"] as? [String: String])?["__meta_kubernetes_pod_name"] }) == ["db-1", "batch-1"])
                    #expect(dropped.allSatisfy { $0["scrapePool"] as? String == "kubernetes-pods" })
                    #expect(all["droppedTargetCounts"] as? [String: Int] == ["kubernetes-pods": 2])
                    let onlyDropped = try await Self.targets(client, "?state=dropped")
                    #expect((onlyDropped["activeTargets"] as? [Any])?.isEmpty == true)
                    #expect((onlyDropped["droppedTargets"] as? [Any])?.count == 2)

                    // The scraped series carry the relabeled target labels.
                    let now = Date().timeIntervalSince1970
                    let result = try await client.query(#"shop_orders_total{pod="web-1",namespace="shop",app="web"}"#, at: now)
                    #expect(result.description.contains("42"), "\(result)")

                    // The pod goes away: so does its target.
                    standIn.delete("pods", namespace: "shop", name: "web-1")
                    var gone = false
                    for _ in 0..<300 where !gone {
                        gone = (try await Self.targets(client)["activeTargets"] as? [Any])?.isEmpty == true
                        if !gone { try await Task.sleep(for: .milliseconds(100)) }
                    }
                    #expect(gone, "\(pharos.log)")
                    #expect(standIn.requests.allSatisfy { $0.authorization == "Bearer e2e-token" })
                }
            }
        }
    }
}
