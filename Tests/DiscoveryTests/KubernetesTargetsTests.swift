@testable import Discovery
import Foundation
import PharosConfig
import PharosCore
import Testing

/// The groups of every role, from Kubernetes JSON, with Prometheus' meta labels.
@Suite(.timeLimit(.minutes(2))) struct KubernetesTargetsTests {
    static func decode<T: Decodable>(_ json: String, as type: T.Type = T.self) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(json.utf8))
    }

    static func store(_ build: (inout KubernetesStore) throws -> Void) rethrows -> KubernetesStore {
        var store = KubernetesStore()
        try build(&store)
        return store
    }

    @Test func podRole() throws {
        let pod: KubernetesPod = try Self.decode(KubernetesFixtures.multiPortPod)
        let store = Self.store { $0.pods[pod.metadata.key] = pod }
        let group = try #require(KubernetesTargets(store: store, attachNode: false, attachNamespace: false).group(role: .pod, key: "default/testpod"))
        #expect(group.source == "pod/default/testpod")
        #expect(group.targets == [
            Labels(["__address__": "1.2.3.4:9000", "__meta_kubernetes_pod_container_name": "testcontainer0",
                    "__meta_kubernetes_pod_container_image": "testcontainer0:latest", "__meta_kubernetes_pod_container_port_name": "testport0",
                    "__meta_kubernetes_pod_container_port_number": "9000", "__meta_kubernetes_pod_container_port_protocol": "TCP",
                    "__meta_kubernetes_pod_container_init": "false", "__meta_kubernetes_pod_container_id": "docker://a1b2c3d4e5f6"]),
            Labels(["__address__": "1.2.3.4:9001", "__meta_kubernetes_pod_container_name": "testcontainer0",
                    "__meta_kubernetes_pod_container_image": "testcontainer0:latest", "__meta_kubernetes_pod_container_port_name": "testport1",
                    "__meta_kubernetes_pod_container_port_number": "9001", "__meta_kubernetes_pod_container_port_protocol": "UDP",
                    "__meta_kubernetes_pod_container_init": "false", "__meta_kubernetes_pod_container_id": "docker://a1b2c3d4e5f6"]),
            Labels(["__address__": "1.2.3.4", "__meta_kubernetes_pod_container_name": "testcontainer1",
                    "__meta_kubernetes_pod_container_image": "testcontainer1:latest", "__meta_kubernetes_pod_container_init": "false",
                    "__meta_kubernetes_pod_container_id": "containerd://6f5e4d3c2b1a"]),
        ])
        #expect(group.labels == Labels([
            "__meta_kubernetes_pod_name": "testpod", "__meta_kubernetes_namespace": "default",
            "__meta_kubernetes_pod_label_test_label": "testvalue", "__meta_kubernetes_pod_labelpresent_test_label": "true",
            "__meta_kubernetes_pod_annotation_test_annotation": "testannotationvalue",
            "__meta_kubernetes_pod_annotationpresent_test_annotation": "true",
            "__meta_kubernetes_pod_node_name": "testnode", "__meta_kubernetes_pod_ip": "1.2.3.4", "__meta_kubernetes_pod_host_ip": "2.3.4.5",
            "__meta_kubernetes_pod_ready": "true", "__meta_kubernetes_pod_phase": "Running", "__meta_kubernetes_pod_uid": "abc123",
            "__meta_kubernetes_pod_controller_kind": "testcontrollerkind", "__meta_kubernetes_pod_controller_name": "testcontrollername",
        ]))
    }

    @Test func podWithoutIPOrUnknownNodeHasNoTargets() throws {
        var pod: KubernetesPod = try Self.decode(KubernetesFixtures.multiPortPod)
        let store = Self.store { $0.pods[pod.metadata.key] = pod }
        // attach_metadata.node with the node unknown: no targets yet.
        #expect(KubernetesTargets(store: store, attachNode: true, attachNamespace: false).group(role: .pod, key: "default/testpod")?.targets.isEmpty == true)
        pod.status?.podIP = nil
        let noIP = Self.store { $0.pods[pod.metadata.key] = pod }
        #expect(KubernetesTargets(store: noIP, attachNode: false, attachNamespace: false).group(role: .pod, key: "default/testpod")?.targets.isEmpty == true)
        // A deleted pod is an empty group with its source.
        #expect(KubernetesTargets(store: KubernetesStore(), attachNode: false, attachNamespace: false).group(role: .pod, key: "default/gone")
            == TargetGroup(targets: [], source: "pod/default/gone"))
    }

    @Test func podWithNodeAndNamespaceMetadata() throws {
        let pod: KubernetesPod = try Self.decode(KubernetesFixtures.multiPortPod)
        let node: KubernetesNode = try Self.decode(KubernetesFixtures.node)
        let namespace: KubernetesNamespace = try Self.decode(#"{"metadata": {"name": "default", "labels": {"team": "a"}}}"#)
        let store = Self.store {
            $0.pods[pod.metadata.key] = pod
            $0.nodes["testnode"] = node
            $0.namespaces["default"] = namespace
        }
        let group = try #require(KubernetesTargets(store: store, attachNode: true, attachNamespace: true).group(role: .pod, key: "default/testpod"))
        #expect(group.targets.count == 3)
        #expect(group.labels["__meta_kubernetes_node_name"] == "testnode")
        #expect(group.labels["__meta_kubernetes_node_label_test_label"] == "testvalue")
        #expect(group.labels["__meta_kubernetes_node_labelpresent_test_label"] == "true")
        #expect(group.labels["__meta_kubernetes_namespace_label_team"] == "a")
        #expect(group.labels["__meta_kubernetes_namespace_labelpresent_team"] == "true")
    }

    @Test func nodeRole() throws {
        let node: KubernetesNode = try Self.decode(KubernetesFixtures.node)
        let store = Self.store { $0.nodes["testnode"] = node }
        let group = try #require(KubernetesTargets(store: store, attachNode: false, attachNamespace: false).group(role: .node, key: "testnode"))
        #expect(group.source == "node/testnode")
        #expect(group.targets == [Labels([
            "__address__": "1.2.3.4:10250", "instance": "testnode",
            "__meta_kubernetes_node_address_InternalIP": "1.2.3.4", "__meta_kubernetes_node_address_ExternalIP": "5.6.7.8",
        ])])
        #expect(group.labels == Labels([
            "__meta_kubernetes_node_name": "testnode", "__meta_kubernetes_node_provider_id": "aws:///us-east-1a/i-1",
            "__meta_kubernetes_node_label_test_label": "testvalue", "__meta_kubernetes_node_labelpresent_test_label": "true",
            "__meta_kubernetes_node_annotation_test_annotation": "testannotationvalue",
            "__meta_kubernetes_node_annotationpresent_test_annotation": "true",
            "__meta_kubernetes_node_condition_ready": "true", "__meta_kubernetes_node_condition_memorypressure": "false",
        ]))
        // Without any address Prometheus sends nothing for the node.
        let bare: KubernetesNode = try Self.decode(#"{"metadata": {"name": "bare"}}"#)
        #expect(KubernetesTargets(store: Self.store { $0.nodes["bare"] = bare }, attachNode: false, attachNamespace: false)
            .group(role: .node, key: "bare") == nil)
    }

    @Test func serviceRole() throws {
        let service: KubernetesService = try Self.decode(KubernetesFixtures.service)
        let store = Self.store { $0.services[service.metadata.key] = service }
        let group = try #require(KubernetesTargets(store: store, attachNode: false, attachNamespace: false).group(role: .service, key: "default/testendpoints"))
        #expect(group.source == "svc/default/testendpoints")
        #expect(group.targets == [
            Labels(["__address__": "testendpoints.default.svc:30900", "__meta_kubernetes_service_port_name": "testport",
                    "__meta_kubernetes_service_port_number": "30900", "__meta_kubernetes_service_port_protocol": "TCP",
                    "__meta_kubernetes_service_type": "ClusterIP", "__meta_kubernetes_service_cluster_ip": "10.0.0.1"]),
            Labels(["__address__": "testendpoints.default.svc:8080", "__meta_kubernetes_service_port_name": "other",
                    "__meta_kubernetes_service_port_number": "8080",
                    "__meta_kubernetes_service_type": "ClusterIP", "__meta_kubernetes_service_cluster_ip": "10.0.0.1"]),
        ])
        #expect(group.labels == Labels([
            "__meta_kubernetes_namespace": "default", "__meta_kubernetes_service_name": "testendpoints",
            "__meta_kubernetes_service_label_app_name": "test", "__meta_kubernetes_service_labelpresent_app_name": "true",
        ]))
        let external: KubernetesService = try Self.decode("""
            {"metadata": {"name": "ext", "namespace": "default"},
             "spec": {"type": "ExternalName", "externalName": "db.example.com", "ports": [{"port": 5432, "protocol": "TCP"}]}}
            """)
        let externalGroup = KubernetesTargets(store: Self.store { $0.services["default/ext"] = external }, attachNode: false,
                                              attachNamespace: false).group(role: .service, key: "default/ext")
        #expect(externalGroup?.targets.first?["__meta_kubernetes_service_external_name"] == "db.example.com")
        #expect(externalGroup?.targets.first?.has("__meta_kubernetes_service_cluster_ip") == false)
    }

    @Test func endpointsRoleWithService() throws {
        let endpoints: KubernetesEndpoints = try Self.decode(KubernetesFixtures.endpoints)
        let service: KubernetesService = try Self.decode(KubernetesFixtures.service)
        let store = Self.store {
            $0.endpoints[endpoints.metadata.key] = endpoints
            $0.services[service.metadata.key] = service
        }
        let group = try #require(KubernetesTargets(store: store, attachNode: false, attachNamespace: false).group(role: .endpoints, key: "default/testendpoints"))
        #expect(group.source == "endpoints/default/testendpoints")
        let common: [String: String] = ["__meta_kubernetes_endpoint_port_name": "testport", "__meta_kubernetes_endpoint_port_protocol": "TCP"]
        #expect(group.targets == [
            Labels(common.merging(["__address__": "1.2.3.4:9000", "__meta_kubernetes_endpoint_hostname": "testendpoint1",
                                   "__meta_kubernetes_endpoint_node_name": "foobar", "__meta_kubernetes_endpoint_ready": "true"]) { $1 }),
            Labels(common.merging(["__address__": "2.3.4.5:9001", "__meta_kubernetes_endpoint_ready": "true"]) { $1 }),
            Labels(common.merging(["__address__": "2.3.4.5:9001", "__meta_kubernetes_endpoint_ready": "false"]) { $1 }),
            Labels(common.merging(["__address__": "6.7.8.9:9002", "__meta_kubernetes_endpoint_ready": "true",
                                   "__meta_kubernetes_endpoint_address_target_kind": "Node",
                                   "__meta_kubernetes_endpoint_address_target_name": "barbaz"]) { $1 }),
        ])
        #expect(group.labels == Labels([
            "__meta_kubernetes_namespace": "default", "__meta_kubernetes_endpoints_name": "testendpoints",
            "__meta_kubernetes_service_label_app_name": "test", "__meta_kubernetes_service_labelpresent_app_name": "true",
            "__meta_kubernetes_service_name": "testendpoints",
            "__meta_kubernetes_endpoints_annotation_test_annotation": "test",
            "__meta_kubernetes_endpoints_annotationpresent_test_annotation": "true",
        ]))
    }

    @Test func endpointSliceRoleWithPodAndService() throws {
        let slice: KubernetesEndpointSlice = try Self.decode(KubernetesFixtures.endpointSlice)
        let service: KubernetesService = try Self.decode(KubernetesFixtures.service)
        let pod: KubernetesPod = try Self.decode(KubernetesFixtures.multiPortPod)
        let store = Self.store {
            $0.endpointSlices[slice.metadata.key] = slice
            $0.services[service.metadata.key] = service
            $0.pods[pod.metadata.key] = pod
        }
        let group = try #require(KubernetesTargets(store: store, attachNode: false, attachNamespace: false)
            .group(role: .endpointslice, key: "default/testendpoints"))
        #expect(group.source == "endpointslice/default/testendpoints")
        #expect(group.labels["__meta_kubernetes_endpointslice_address_type"] == "IPv4")
        #expect(group.labels["__meta_kubernetes_endpointslice_name"] == "testendpoints")
        #expect(group.labels["__meta_kubernetes_endpointslice_label_kubernetes_io_service_name"] == "testendpoints")
        #expect(group.labels["__meta_kubernetes_service_name"] == "testendpoints")
        // Pod-backed endpoint: endpoint labels, the pod's labels and its matching container port.
        let first = try #require(group.targets.first)
        #expect(first["__address__"] == "1.2.3.4:9000")
        #expect(first["__meta_kubernetes_endpointslice_port"] == "9000")
        #expect(first["__meta_kubernetes_endpointslice_port_app_protocol"] == "http")
        #expect(first["__meta_kubernetes_endpointslice_endpoint_conditions_ready"] == "true")
        #expect(first["__meta_kubernetes_endpointslice_endpoint_conditions_terminating"] == "false")
        #expect(first["__meta_kubernetes_endpointslice_endpoint_zone"] == "us-east-1a")
        #expect(first["__meta_kubernetes_endpointslice_endpoint_node_name"] == "foobar")
        #expect(first["__meta_kubernetes_endpointslice_address_target_kind"] == "Pod")
        #expect(first["__meta_kubernetes_pod_name"] == "testpod")
        #expect(first["__meta_kubernetes_pod_container_name"] == "testcontainer0")
        #expect(first["__meta_kubernetes_pod_container_port_name"] == "testport0")
        #expect(group.targets[1] == Labels([
            "__address__": "2.3.4.5:9000", "__meta_kubernetes_endpointslice_port": "9000",
            "__meta_kubernetes_endpointslice_port_name": "testport", "__meta_kubernetes_endpointslice_port_protocol": "TCP",
            "__meta_kubernetes_endpointslice_port_app_protocol": "http",
            "__meta_kubernetes_endpointslice_endpoint_conditions_ready": "false",
        ]))
        // The pod's other container port (9001) and the port-less container get targets of their own.
        #expect(group.targets.count == 3)
        #expect(group.targets[2]["__address__"] == "1.2.3.4:9001")
        #expect(group.targets[2]["__meta_kubernetes_pod_container_port_protocol"] == "UDP")
    }

    @Test func ingressRole() throws {
        let ingress: KubernetesIngress = try Self.decode(KubernetesFixtures.ingress)
        let store = Self.store { $0.ingresses[ingress.metadata.key] = ingress }
        let group = try #require(KubernetesTargets(store: store, attachNode: false, attachNamespace: false).group(role: .ingress, key: "default/testingress"))
        #expect(group.source == "ingress/default/testingress")
        #expect(group.targets.map { [$0["__address__"], $0["__meta_kubernetes_ingress_scheme"], $0["__meta_kubernetes_ingress_path"]] } == [
            ["example.com", "http", "/"], ["example.com", "http", "/foo"],
            ["test.example.com", "https", "/"], ["nopath.example.com", "https", "/"],
        ])
        #expect(group.labels == Labels([
            "__meta_kubernetes_namespace": "default", "__meta_kubernetes_ingress_name": "testingress",
            "__meta_kubernetes_ingress_class_name": "testclass",
            "__meta_kubernetes_ingress_label_test_label": "testvalue", "__meta_kubernetes_ingress_labelpresent_test_label": "true",
        ]))
    }

    @Test(arguments: [
        ("prometheus.io/scrape", "prometheus_io_scrape"), ("app.kubernetes.io/name", "app_kubernetes_io_name"),
        ("a-b_c9", "a_b_c9"), ("ünïcode", "_n_code"), ("", ""),
    ])
    func labelNamesAreSanitized(_ name: String, _ sanitized: String) {
        #expect(MetaLabels.sanitize(name) == sanitized)
    }

    @Test func storeChangesAndAffectedPrimaries() throws {
        var store = KubernetesStore()
        let endpoints: KubernetesEndpoints = try Self.decode(KubernetesFixtures.endpoints)
        let slice: KubernetesEndpointSlice = try Self.decode(KubernetesFixtures.endpointSlice)
        #expect(store.apply(.replace([endpoints]), at: \.endpoints, kind: .endpoints, namespace: nil).map(\.event) == [.add])
        #expect(store.apply(.modified(endpoints), at: \.endpoints, kind: .endpoints, namespace: nil).isEmpty)
        _ = store.apply(.added(slice), at: \.endpointSlices, kind: .endpointslices, namespace: nil)
        let node = KubernetesStore.Change(kind: .nodes, key: "barbaz", event: .update)
        #expect(store.affected(by: node, role: .endpoints) == ["default/testendpoints"])
        let service = KubernetesStore.Change(kind: .services, key: "default/testendpoints", event: .add)
        #expect(store.affected(by: service, role: .endpoints) == ["default/testendpoints"])
        #expect(store.affected(by: service, role: .endpointslice) == ["default/testendpoints"])
        let pod = KubernetesStore.Change(kind: .pods, key: "default/testpod", event: .update)
        #expect(store.affected(by: pod, role: .endpointslice) == ["default/testendpoints"])
        #expect(store.affected(by: pod, role: .endpoints).isEmpty)
        // A relist without the object deletes it; scoped to the informer's namespace.
        #expect(store.apply(.replace([]), at: \.endpoints, kind: .endpoints, namespace: "other").isEmpty)
        #expect(store.apply(.replace([]), at: \.endpoints, kind: .endpoints, namespace: "default").map(\.event) == [.delete])
    }
}
