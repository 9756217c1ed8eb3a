import Discovery
import Foundation
import HTTPTestSupport
import MetricsTestKit
import PharosConfig
import PharosCore
import PharosTestSupport
import Testing

/// Kubernetes SD against the stand-in API server: requests, list then watch, and targets that
/// follow added, modified and deleted objects.
@Suite(.timeLimit(.minutes(3))) struct KubernetesDiscoveryTests {
    static func pod(_ name: String, namespace: String = "default", ip: String = "10.0.0.1", labels: [String: String] = ["app": "web"],
                    annotations: [String: String] = [:], port: Int = 8080, node: String = "n1") -> String {
        let labelText = labels.map { "\"\($0.key)\": \"\($0.value)\"" }.sorted().joined(separator: ", ")
        let annotationText = annotations.map { "\"\($0.key)\": \"\($0.value)\"" }.sorted().joined(separator: ", ")
        return """
            {"metadata": {"name": "\(name)", "namespace": "\(namespace)", "uid": "uid-\(name)", "labels": {\(labelText)}, "annotations": {\(annotationText)}},
             "spec": {"nodeName": "\(node)", "containers": [{"name": "app", "image": "app:1", "ports": [{"name": "http", "containerPort": \(port), "protocol": "TCP"}]}]},
             "status": {"phase": "Running", "podIP": "\(ip)", "hostIP": "192.168.0.1", "conditions": [{"type": "Ready", "status": "True"}]}}
            """
    }

    static func config(_ role: KubernetesSDConfig.Role, _ server: String, token: String? = "k8s-token") -> KubernetesSDConfig {
        var config = KubernetesSDConfig(role: role)
        config.apiServer = server
        if let token { config.httpClient.authorization = .init(type: "Bearer", credentials: token) }
        return config
    }

    @Test func podsFollowListAndWatch() async throws {
        let standIn = KubernetesStandIn(requiredAuthorization: "Bearer k8s-token")
        standIn.put("pods", Self.pod("a", ip: "10.0.0.1"))
        standIn.put("pods", Self.pod("other", ip: "10.0.0.9", labels: ["app": "db"]))
        try await standIn.run { server in
            var config = Self.config(.pod, server)
            config.selectors = [.init(role: .pod, label: "app=web", field: "spec.nodeName=n1")]
            let metrics = TestMetrics()
            let discoverer = try KubernetesDiscoverer(config: config, context: testContext(metrics))
            let collected = Collected()
            try await whileRunning(discoverer, into: collected) {
                #expect(await poll { addresses(collected.merged) == ["10.0.0.1:8080"] })
                let group = try #require(collected.merged.first)
                #expect(group.source == "pod/default/a")
                #expect(group.labels["__meta_kubernetes_pod_label_app"] == "web")
                #expect(group.labels["__meta_kubernetes_namespace"] == "default")
                #expect(group.targets.first?["__meta_kubernetes_pod_container_port_name"] == "http")

                let list = try #require(standIn.requests.first { !$0.isWatch })
                #expect(list.path == "/api/v1/pods")
                #expect(list.query["labelSelector"] == "app=web" && list.query["fieldSelector"] == "spec.nodeName=n1")
                #expect(list.query["limit"] == "500")
                #expect(list.authorization == "Bearer k8s-token")
                #expect(await poll { standIn.requests.contains { $0.isWatch } })
                let watch = try #require(standIn.requests.first { $0.isWatch })
                #expect(watch.path == "/api/v1/pods" && watch.query["resourceVersion"] == "102")
                #expect(watch.query["allowWatchBookmarks"] == "true" && watch.query["labelSelector"] == "app=web")

                standIn.put("pods", Self.pod("b", ip: "10.0.0.2"))
                #expect(await poll { Set(addresses(collected.merged)) == ["10.0.0.1:8080", "10.0.0.2:8080"] })
                standIn.put("pods", Self.pod("a", ip: "10.0.0.3"))
                #expect(await poll { Set(addresses(collected.merged)) == ["10.0.0.3:8080", "10.0.0.2:8080"] })
                standIn.delete("pods", namespace: "default", name: "b")
                #expect(await poll { addresses(collected.merged) == ["10.0.0.3:8080"] })
                #expect(metrics.counterValue("prometheus_sd_kubernetes_events_total", [("role", "pod"), ("event", "add")]) == 2)
                #expect(metrics.counterValue("prometheus_sd_kubernetes_events_total", [("role", "pod"), ("event", "update")]) == 1)
                #expect(metrics.counterValue("prometheus_sd_kubernetes_events_total", [("role", "pod"), ("event", "delete")]) == 1)
            }
        }
    }

    @Test func namespacesArePerNamespaceListsAndPagesAreFollowed() async throws {
        let standIn = KubernetesStandIn()
        standIn.setPageSize(1)
        for (name, namespace) in [("a1", "a"), ("a2", "a"), ("b1", "b"), ("c1", "c")] {
            standIn.put("pods", Self.pod(name, namespace: namespace, ip: "10.0.\(name.hasPrefix("a") ? 1 : 2).\(name.last!)"))
        }
        try await standIn.run { server in
            var config = Self.config(.pod, server, token: nil)
            config.namespaces = ["a", "b"]
            let discoverer = try KubernetesDiscoverer(config: config, context: testContext())
            let collected = Collected()
            try await whileRunning(discoverer, into: collected) {
                #expect(await poll { Set(collected.merged.map(\.source)) == ["pod/a/a1", "pod/a/a2", "pod/b/b1"] })
                let lists = standIn.requests.filter { !$0.isWatch }
                #expect(Set(lists.map(\.path)) == ["/api/v1/namespaces/a/pods", "/api/v1/namespaces/b/pods"])
                #expect(lists.contains { $0.query["continue"] == "1" })
            }
        }
    }

    @Test func goneRelistsAndBrokenLinesRecover() async throws {
        let standIn = KubernetesStandIn()
        standIn.put("pods", Self.pod("a", ip: "10.0.0.1"))
        try await standIn.run { server in
            let metrics = TestMetrics()
            let discoverer = try KubernetesDiscoverer(config: Self.config(.pod, server, token: nil), context: testContext(metrics))
            let collected = Collected()
            let lists = { standIn.requests.filter { !$0.isWatch }.count }
            try await whileRunning(discoverer, into: collected) {
                #expect(await poll { addresses(collected.merged) == ["10.0.0.1:8080"] && standIn.openWatches == 1 })
                // A watch the server ends is resumed without a list.
                standIn.endWatches()
                #expect(await poll { standIn.requests.filter(\.isWatch).count == 2 && standIn.openWatches == 1 })
                #expect(lists() == 1)

                // History compacted while the watch is down: the re-watch gets ERROR 410 and relists.
                standIn.compact()
                standIn.endWatches()
                standIn.delete("pods", namespace: "default", name: "a")
                standIn.put("pods", Self.pod("c", ip: "10.0.0.3"))
                #expect(await poll { addresses(collected.merged) == ["10.0.0.3:8080"] })
                #expect(lists() == 2)

                // HTTP 410 on a watch relists too.
                standIn.failNextWatch(.goneStatus)
                standIn.endWatches()
                #expect(await poll { lists() == 3 && standIn.openWatches == 1 })

                // A broken line is a failure: counted, then a relist after the backoff.
                standIn.failNextWatch(.brokenLine)
                standIn.endWatches()
                #expect(await poll { metrics.counterValue("prometheus_sd_kubernetes_failures_total") == 1 })
                // (The stand-in notices the abandoned stream only when it next writes to it.)
                #expect(await poll { lists() == 4 && standIn.requests.last?.isWatch == true })
                standIn.put("pods", Self.pod("d", ip: "10.0.0.4"))
                #expect(await poll { Set(addresses(collected.merged)) == ["10.0.0.3:8080", "10.0.0.4:8080"] })

                // A server error counts and retries.
                standIn.failNextWatch(.serverError)
                standIn.endWatches()
                #expect(await poll { metrics.counterValue("prometheus_sd_kubernetes_failures_total") == 2 })
                #expect(await poll { lists() == 5 && standIn.requests.last?.isWatch == true })
            }
        }
    }

    @Test func endpointsFollowTheirServiceAndPods() async throws {
        let standIn = KubernetesStandIn()
        standIn.put("endpoints", """
            {"metadata": {"name": "web", "namespace": "default"},
             "subsets": [{"addresses": [{"ip": "10.0.0.1", "targetRef": {"kind": "Pod", "name": "a", "namespace": "default"}}],
                          "ports": [{"name": "http", "port": 8080, "protocol": "TCP"}]}]}
            """)
        standIn.put("services", #"{"metadata": {"name": "web", "namespace": "default", "labels": {"tier": "front"}}, "spec": {"ports": [{"port": 80}]}}"#)
        try await standIn.run { server in
            let discoverer = try KubernetesDiscoverer(config: Self.config(.endpoints, server, token: nil), context: testContext())
            let collected = Collected()
            try await whileRunning(discoverer, into: collected) {
                #expect(await poll { collected.merged.first?.labels["__meta_kubernetes_service_label_tier"] == "front" })
                #expect(collected.merged.first?.targets.first?.has("__meta_kubernetes_pod_name") == false)
                #expect(Set(standIn.requests.filter { !$0.isWatch }.map(\.path)) == ["/api/v1/endpoints", "/api/v1/services", "/api/v1/pods"])
                // The pod appears: the endpoint target gets its labels and container.
                standIn.put("pods", Self.pod("a", ip: "10.0.0.1"))
                #expect(await poll { collected.merged.first?.targets.first?["__meta_kubernetes_pod_name"] == "a" })
                #expect(collected.merged.first?.targets.first?["__meta_kubernetes_pod_container_port_name"] == "http")
                // The service changes: the group labels follow.
                standIn.put("services", #"{"metadata": {"name": "web", "namespace": "default", "labels": {"tier": "back"}}, "spec": {"ports": [{"port": 80}]}}"#)
                #expect(await poll { collected.merged.first?.labels["__meta_kubernetes_service_label_tier"] == "back" })
            }
        }
    }

    @Test func kubeconfigWithCertificateAuthorityAndToken() async throws {
        try await withTemporaryDirectory { folder in
            let certificates = try TestCertificates(folder: folder)
            let standIn = KubernetesStandIn(requiredAuthorization: "Bearer kc-token")
            standIn.put("nodes", #"{"metadata": {"name": "n1"}, "status": {"addresses": [{"type": "InternalIP", "address": "10.1.0.1"}], "daemonEndpoints": {"kubeletEndpoint": {"Port": 10250}}}}"#)
            try await standIn.run(certificates: certificates) { server in
                try "kc-token\n".write(toFile: folder + "/token", atomically: true, encoding: .utf8)
                for (name, cluster, user) in [
                    ("ca", "certificate-authority: ca.crt", "token: kc-token"),
                    ("insecure", "insecure-skip-tls-verify: true", "tokenFile: token"),
                ] {
                    let path = folder + "/\(name).kubeconfig"
                    try """
                        apiVersion: v1
                        kind: Config
                        current-context: test
                        preferences: {}
                        clusters:
                        - name: test-cluster
                          cluster:
                            server: \(server)
                            \(cluster)
                        users:
                        - name: test-user
                          user:
                            \(user)
                        contexts:
                        - name: test
                          context: {cluster: test-cluster, user: test-user, namespace: default}
                        """.write(toFile: path, atomically: true, encoding: .utf8)
                    var config = KubernetesSDConfig(role: .node)
                    config.kubeconfigFile = path
                    let discoverer = try KubernetesDiscoverer(config: config, context: testContext())
                    let collected = Collected()
                    try await whileRunning(discoverer, into: collected) {
                        #expect(await poll { addresses(collected.merged) == ["10.1.0.1:10250"] }, "\(name)")
                        #expect(collected.merged.first?.targets.first?["instance"] == "n1")
                    }
                }
                #expect(standIn.requests.allSatisfy { $0.authorization == "Bearer kc-token" })
            }
        }
    }

    @Test func inClusterServiceAccount() async throws {
        try await withTemporaryDirectory { folder in
            let certificates = try TestCertificates(folder: folder)
            let account = folder + "/serviceaccount"
            try FileManager.default.createDirectory(atPath: account, withIntermediateDirectories: true)
            try "sa-token".write(toFile: account + "/token", atomically: true, encoding: .utf8)
            try String(contentsOfFile: certificates.caFile, encoding: .utf8).write(toFile: account + "/ca.crt", atomically: true, encoding: .utf8)
            try "monitoring".write(toFile: account + "/namespace", atomically: true, encoding: .utf8)
            let standIn = KubernetesStandIn(requiredAuthorization: "Bearer sa-token")
            standIn.put("pods", Self.pod("p", namespace: "monitoring", ip: "10.2.0.1"))
            standIn.put("pods", Self.pod("q", namespace: "elsewhere", ip: "10.2.0.2"))
            try await standIn.run(certificates: certificates) { server in
                let port = server.split(separator: ":").last.map(String.init) ?? ""
                var config = KubernetesSDConfig(role: .pod)
                config.ownNamespace = true
                let environment = KubernetesEnvironment(
                    variables: ["KUBERNETES_SERVICE_HOST": "127.0.0.1", "KUBERNETES_SERVICE_PORT": port], serviceAccountDirectory: account)
                let discoverer = try KubernetesDiscoverer(config: config, context: testContext(kubernetes: environment))
                let collected = Collected()
                try await whileRunning(discoverer, into: collected) {
                    #expect(await poll { addresses(collected.merged) == ["10.2.0.1:8080"] })
                }
                #expect(standIn.requests.first?.path == "/api/v1/namespaces/monitoring/pods")
            }
            // Neither api_server, kubeconfig nor the in-cluster environment: the discoverer cannot be made.
            #expect(throws: DiscoveryError.self) {
                _ = try KubernetesDiscoverer(config: KubernetesSDConfig(role: .pod), context: testContext())
            }
        }
    }
}
