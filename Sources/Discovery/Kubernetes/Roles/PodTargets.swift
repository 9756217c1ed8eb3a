import PharosConfig
import PharosCore

extension KubernetesTargets {
    /// The pod's own labels (`podLabels`): IP, readiness, phase, node, host IP, UID, name,
    /// labels, annotations and controller.
    static func podLabels(_ pod: KubernetesPod) -> MetaLabels {
        var labels = MetaLabels([
            ("pod_ip", pod.status?.podIP), ("pod_ready", podReady(pod)), ("pod_phase", pod.status?.phase),
            ("pod_node_name", pod.spec?.nodeName), ("pod_host_ip", pod.status?.hostIP), ("pod_uid", pod.metadata.uid),
        ])
        labels.addObjectMeta(pod.metadata, role: "pod")
        if let controller = pod.metadata.ownerReferences?.first(where: { $0.controller == true }) {
            labels.set("pod_controller_kind", controller.kind)
            labels.set("pod_controller_name", controller.name)
        }
        return labels
    }

    /// The `Ready` condition's status in lower case; `unknown` without one.
    static func podReady(_ pod: KubernetesPod) -> String {
        (pod.status?.conditions ?? []).first { $0.type == "Ready" }?.status?.lowercased() ?? "unknown"
    }

    /// Containers then init containers, each with whether it is an init container.
    static func containers(_ pod: KubernetesPod) -> [(container: KubernetesPod.Container, isInit: Bool)] {
        (pod.spec?.containers ?? []).map { ($0, false) } + (pod.spec?.initContainers ?? []).map { ($0, true) }
    }

    /// Role `pod`: one target per container port, or per container without ports (address =
    /// pod IP); no targets while the pod has no IP or (with attach_metadata.node) while its
    /// node is unknown.
    func podGroup(_ pod: KubernetesPod) -> TargetGroup {
        let source = "pod/" + pod.metadata.key
        guard let ip = pod.status?.podIP, !ip.isEmpty else { return TargetGroup(targets: [], source: source) }
        if attachNode, store.nodes[pod.spec?.nodeName ?? ""] == nil { return TargetGroup(targets: [], source: source) }
        var common = Self.podLabels(pod)
        common.setRaw(MetaLabels.namespace, pod.metadata.namespace ?? "")
        common.merge(nodeMetadata(pod.spec?.nodeName))
        common.merge(namespaceMetadata(pod.metadata.namespace))
        var targets: [Labels] = []
        for (container, isInit) in Self.containers(pod) {
            let statuses = (isInit ? pod.status?.initContainerStatuses : pod.status?.containerStatuses) ?? []
            let id = statuses.first { $0.name == container.name }?.containerID
            var base = MetaLabels([
                ("pod_container_name", container.name), ("pod_container_id", id), ("pod_container_image", container.image),
                ("pod_container_init", isInit ? "true" : "false"),
            ])
            guard let ports = container.ports, !ports.isEmpty else {
                base.setRaw(TargetGroup.addressLabel, ip)
                targets.append(base.labels)
                continue
            }
            for port in ports {
                var target = base
                let number = port.containerPort ?? 0
                target.setRaw(TargetGroup.addressLabel, MetaLabels.joinHostPort(ip, number))
                target.set("pod_container_port_number", String(number))
                target.set("pod_container_port_name", port.name)
                target.set("pod_container_port_protocol", port.protocol)
                targets.append(target.labels)
            }
        }
        return TargetGroup(targets: targets, labels: common.labels, source: source)
    }
}
