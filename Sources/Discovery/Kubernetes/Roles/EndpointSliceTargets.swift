import PharosConfig
import PharosCore

extension KubernetesTargets {
    /// Role `endpointslice`: one target per endpoint address and port, with the slice's and
    /// its service's labels on the group and pod labels for pod-backed endpoints, then the
    /// uncovered container ports of those pods. A slice of a dual-stack service's secondary
    /// IP family yields no targets.
    func endpointSliceGroup(_ slice: KubernetesEndpointSlice) -> TargetGroup {
        let source = "endpointslice/" + slice.metadata.key
        var common = MetaLabels([("endpointslice_address_type", slice.addressType)])
        common.setRaw(MetaLabels.namespace, slice.metadata.namespace ?? "")
        common.addObjectMeta(slice.metadata, role: "endpointslice")
        var service: KubernetesService?
        if let name = slice.metadata.labels?[KubernetesEndpointSlice.serviceNameLabel] {
            service = store.services["\(slice.metadata.namespace ?? "")/\(name)"]
            if let service { common.merge(Self.serviceLabels(service)) }
        }
        common.merge(namespaceMetadata(slice.metadata.namespace))
        if let spec = service?.spec, spec.ipFamilyPolicy == "PreferDualStack" || spec.ipFamilyPolicy == "RequireDualStack",
           let primary = spec.ipFamilies?.first, slice.addressType != primary {
            return TargetGroup(targets: [], labels: common.labels, source: source)
        }
        var pods = SeenPods()
        var targets: [Labels] = []
        for endpoint in slice.endpoints ?? [] {
            for port in slice.ports ?? [] {
                for address in endpoint.addresses ?? [] {
                    targets.append(sliceTarget(address, endpoint: endpoint, port: port, pods: &pods))
                }
            }
        }
        targets += uncoveredContainerPorts(pods)
        return TargetGroup(targets: targets, labels: common.labels, source: source)
    }

    private func sliceTarget(_ address: String, endpoint: KubernetesEndpointSlice.Endpoint, port: KubernetesEndpointSlice.Port,
                             pods: inout SeenPods) -> Labels {
        var target = MetaLabels([
            ("endpointslice_port_name", port.name), ("endpointslice_port_protocol", port.protocol),
            ("endpointslice_port", port.port.map(String.init)), ("endpointslice_port_app_protocol", port.appProtocol),
            ("endpointslice_endpoint_conditions_ready", endpoint.conditions?.ready.map(String.init)),
            ("endpointslice_endpoint_conditions_serving", endpoint.conditions?.serving.map(String.init)),
            ("endpointslice_endpoint_conditions_terminating", endpoint.conditions?.terminating.map(String.init)),
            ("endpointslice_endpoint_hostname", endpoint.hostname),
            ("endpointslice_endpoint_node_name", endpoint.nodeName), ("endpointslice_endpoint_zone", endpoint.zone),
        ])
        target.setRaw(TargetGroup.addressLabel, port.port.map { MetaLabels.joinHostPort(address, $0) } ?? address)
        if let reference = endpoint.targetRef {
            target.set("endpointslice_address_target_kind", reference.kind ?? "")
            target.set("endpointslice_address_target_name", reference.name ?? "")
        }
        for (key, value) in endpoint.deprecatedTopology ?? [:] {
            let name = MetaLabels.sanitize(key)
            target.set("endpointslice_endpoint_topology_" + name, value)
            target.set("endpointslice_endpoint_topology_present_" + name, "true")
        }
        if endpoint.targetRef?.kind == "Node" {
            target.merge(nodeMetadata(endpoint.targetRef?.name))
        } else {
            target.merge(nodeMetadata(endpoint.nodeName))
        }
        guard let pod = resolvePod(endpoint.targetRef) else { return target.labels }
        pods.note(pod, port: port.port)
        target.merge(Self.podLabels(pod))
        if let number = port.port {
            for (container, isInit) in Self.containers(pod) {
                guard let match = (container.ports ?? []).first(where: { $0.containerPort == number }) else { continue }
                target.set("pod_container_name", container.name)
                target.set("pod_container_image", container.image)
                target.set("pod_container_port_name", match.name)
                target.set("pod_container_port_number", String(number))
                target.set("pod_container_port_protocol", match.protocol)
                target.set("pod_container_init", isInit ? "true" : "false")
                break
            }
        }
        return target.labels
    }
}
