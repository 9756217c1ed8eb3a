import PharosConfig
import PharosCore

extension KubernetesTargets {
    /// Role `endpoints`: one target per address and port of every subset (ready ones first),
    /// with the service's labels on the group and, for addresses backed by a known pod, the
    /// pod's labels and its matching container; then one target per container port of those
    /// pods that no endpoint port covered.
    func endpointsGroup(_ object: KubernetesEndpoints) -> TargetGroup {
        var common = MetaLabels()
        common.setRaw(MetaLabels.namespace, object.metadata.namespace ?? "")
        if let service = store.services[object.metadata.key] { common.merge(Self.serviceLabels(service)) }
        common.addObjectMeta(object.metadata, role: "endpoints")
        common.merge(namespaceMetadata(object.metadata.namespace))
        var pods = SeenPods()
        var targets: [Labels] = []
        for subset in object.subsets ?? [] {
            for port in subset.ports ?? [] {
                for (addresses, ready) in [(subset.addresses ?? [], "true"), (subset.notReadyAddresses ?? [], "false")] {
                    for address in addresses {
                        targets.append(endpointsTarget(address, port: port, ready: ready, pods: &pods))
                    }
                }
            }
        }
        targets += uncoveredContainerPorts(pods)
        return TargetGroup(targets: targets, labels: common.labels, source: "endpoints/" + object.metadata.key)
    }

    private func endpointsTarget(_ address: KubernetesEndpoints.Address, port: KubernetesEndpoints.Port, ready: String, pods: inout SeenPods) -> Labels {
        let number = port.port ?? 0
        var target = MetaLabels([
            ("endpoint_port_name", port.name), ("endpoint_port_protocol", port.protocol), ("endpoint_ready", ready),
        ])
        target.setRaw(TargetGroup.addressLabel, MetaLabels.joinHostPort(address.ip ?? "", number))
        if let reference = address.targetRef {
            target.set("endpoint_address_target_kind", reference.kind ?? "")
            target.set("endpoint_address_target_name", reference.name ?? "")
        }
        target.set("endpoint_node_name", address.nodeName)
        target.set("endpoint_hostname", address.hostname.flatMap { $0.isEmpty ? nil : $0 })
        if let nodeName = address.nodeName {
            target.merge(nodeMetadata(nodeName))
        } else if address.targetRef?.kind == "Node" {
            target.merge(nodeMetadata(address.targetRef?.name))
        }
        guard let pod = resolvePod(address.targetRef) else { return target.labels }
        pods.note(pod, port: number)
        target.merge(Self.podLabels(pod))
        for (container, isInit) in Self.containers(pod) {
            guard let match = (container.ports ?? []).first(where: { $0.containerPort == number }) else { continue }
            target.set("pod_container_name", container.name)
            target.set("pod_container_image", container.image)
            target.set("pod_container_port_name", match.name)
            target.set("pod_container_port_number", String(number))
            target.set("pod_container_port_protocol", port.protocol)
            target.set("pod_container_init", isInit ? "true" : "false")
            break
        }
        return target.labels
    }

    /// The pod a `targetRef` of kind Pod names, if known.
    func resolvePod(_ reference: ObjectReference?) -> KubernetesPod? {
        guard let reference, reference.kind == "Pod" else { return nil }
        return store.pods["\(reference.namespace ?? "")/\(reference.name ?? "")"]
    }

    /// Targets for the container ports of seen pods that no endpoint port matched.
    func uncoveredContainerPorts(_ pods: SeenPods) -> [Labels] {
        var targets: [Labels] = []
        for (pod, ports) in pods.entries {
            guard let ip = pod.status?.podIP, !ip.isEmpty else { continue }
            for (container, isInit) in Self.containers(pod) {
                for port in container.ports ?? [] where !ports.contains(port.containerPort ?? 0) {
                    let number = port.containerPort ?? 0
                    var target = Self.podLabels(pod)
                    target.merge(MetaLabels([
                        ("pod_container_name", container.name), ("pod_container_image", container.image),
                        ("pod_container_port_name", port.name), ("pod_container_port_number", String(number)),
                        ("pod_container_port_protocol", port.protocol), ("pod_container_init", isInit ? "true" : "false"),
                    ]))
                    target.setRaw(TargetGroup.addressLabel, MetaLabels.joinHostPort(ip, number))
                    targets.append(target.labels)
                }
            }
        }
        return targets
    }
}

/// The pods endpoints pointed at, in first-seen order, with the ports they were seen on.
struct SeenPods {
    private(set) var entries: [(pod: KubernetesPod, ports: [Int])] = []

    mutating func note(_ pod: KubernetesPod, port: Int?) {
        let key = pod.metadata.key
        if let index = entries.firstIndex(where: { $0.pod.metadata.key == key }) {
            if let port { entries[index].ports.append(port) }
        } else {
            entries.append((pod, port.map { [$0] } ?? []))
        }
    }
}
