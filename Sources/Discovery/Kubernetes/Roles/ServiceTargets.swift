import PharosConfig
import PharosCore

extension KubernetesTargets {
    /// The service's group labels (`serviceLabels`): namespace, name, labels, annotations.
    static func serviceLabels(_ service: KubernetesService) -> MetaLabels {
        var labels = MetaLabels()
        labels.setRaw(MetaLabels.namespace, service.metadata.namespace ?? "")
        labels.addObjectMeta(service.metadata, role: "service")
        return labels
    }

    /// Role `service`: one target per port at `<name>.<namespace>.svc:<port>`.
    func serviceGroup(_ service: KubernetesService) -> TargetGroup {
        var common = Self.serviceLabels(service)
        common.merge(namespaceMetadata(service.metadata.namespace))
        let type = service.spec?.type ?? ""
        var targets: [Labels] = []
        for port in service.spec?.ports ?? [] {
            let number = port.port ?? 0
            var target = MetaLabels([
                ("service_port_name", port.name), ("service_port_number", String(number)),
                ("service_port_protocol", port.protocol), ("service_type", type),
            ])
            let host = "\(service.metadata.name ?? "").\(service.metadata.namespace ?? "").svc"
            target.setRaw(TargetGroup.addressLabel, MetaLabels.joinHostPort(host, number))
            if type == "ExternalName" {
                target.set("service_external_name", service.spec?.externalName)
            } else {
                target.set("service_cluster_ip", service.spec?.clusterIP)
            }
            if type == "LoadBalancer" {
                let ips = (service.status?.loadBalancer?.ingress ?? []).compactMap(\.ip).filter { !$0.isEmpty }
                target.set("service_loadbalancer_ip", ips.isEmpty ? service.spec?.loadBalancerIP : ips.joined(separator: ","))
            }
            targets.append(target.labels)
        }
        return TargetGroup(targets: targets, labels: common.labels, source: "svc/" + service.metadata.key)
    }
}
