import PharosConfig
import PharosCore

extension KubernetesTargets {
    /// Role `node`: one target, the first InternalIP, InternalDNS, ExternalIP, ExternalDNS,
    /// LegacyHostIP or Hostname address with the kubelet port, `instance` = node name, and one
    /// `node_address_<type>` label per address type; nil when the node has no address.
    func nodeGroup(_ node: KubernetesNode) -> TargetGroup? {
        var common = MetaLabels([("node_provider_id", node.spec?.providerID)])
        for condition in node.status?.conditions ?? [] {
            common.set("node_condition_" + MetaLabels.sanitize((condition.type ?? "").lowercased()), (condition.status ?? "").lowercased())
        }
        common.addObjectMeta(node.metadata, role: "node")
        var byType: [String: String] = [:]
        for address in node.status?.addresses ?? [] where byType[address.type ?? ""] == nil {
            byType[address.type ?? ""] = address.address ?? ""
        }
        let preference = ["InternalIP", "InternalDNS", "ExternalIP", "ExternalDNS", "LegacyHostIP", "Hostname"]
        guard let host = preference.lazy.compactMap({ byType[$0] }).first else { return nil }
        let port = node.status?.daemonEndpoints?.kubeletEndpoint?.Port ?? 0
        var target = MetaLabels()
        target.setRaw(TargetGroup.addressLabel, MetaLabels.joinHostPort(host, port))
        target.setRaw("instance", node.metadata.name ?? "")
        for (type, address) in byType {
            target.setRaw(MetaLabels.sanitize(MetaLabels.prefix + "node_address_" + type), address)
        }
        return TargetGroup(targets: [target.labels], labels: common.labels, source: "node/" + node.metadata.key)
    }
}
