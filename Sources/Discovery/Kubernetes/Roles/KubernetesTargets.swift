import PharosConfig
import PharosCore

/// Prometheus' target groups of each role, built from the store. Pure: the same store gives
/// the same groups. `nil` means "send nothing" (Prometheus skips a node without address).
struct KubernetesTargets {
    let store: KubernetesStore
    let attachNode: Bool
    let attachNamespace: Bool

    /// The group of primary object `key` of `role`; an empty group when the object is gone.
    func group(role: KubernetesSDConfig.Role, key: String) -> TargetGroup? {
        switch role {
        case .pod: return store.pods[key].map(podGroup) ?? TargetGroup(targets: [], source: "pod/" + key)
        case .node: return store.nodes[key].map(nodeGroup) ?? TargetGroup(targets: [], source: "node/" + key)
        case .service: return store.services[key].map(serviceGroup) ?? TargetGroup(targets: [], source: "svc/" + key)
        case .endpoints: return store.endpoints[key].map(endpointsGroup) ?? TargetGroup(targets: [], source: "endpoints/" + key)
        case .endpointslice:
            return store.endpointSlices[key].map(endpointSliceGroup) ?? TargetGroup(targets: [], source: "endpointslice/" + key)
        case .ingress: return store.ingresses[key].map(ingressGroup) ?? TargetGroup(targets: [], source: "ingress/" + key)
        }
    }

    /// Node labels and annotations (`addNodeLabels`) when attach_metadata.node is on and the
    /// node is known.
    func nodeMetadata(_ name: String?) -> MetaLabels {
        var labels = MetaLabels()
        guard attachNode, let name, let node = store.nodes[name] else { return labels }
        labels.addObjectMeta(node.metadata, role: "node")
        return labels
    }

    /// Namespace labels and annotations when attach_metadata.namespace is on.
    func namespaceMetadata(_ namespace: String?) -> MetaLabels {
        var labels = MetaLabels()
        guard attachNamespace, let namespace, let object = store.namespaces[namespace] else { return labels }
        labels.addLabelsAndAnnotations(object.metadata, resource: "namespace")
        return labels
    }
}
