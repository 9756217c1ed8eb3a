import PharosConfig
import PharosCore

extension KubernetesTargets {
    /// Role `ingress`: one target per rule and path (`/` when a rule has none), address =
    /// the rule's host, scheme `https` when a TLS entry's host (or `*.` pattern) matches.
    func ingressGroup(_ ingress: KubernetesIngress) -> TargetGroup {
        var common = MetaLabels()
        common.setRaw(MetaLabels.namespace, ingress.metadata.namespace ?? "")
        common.set("ingress_class_name", ingress.spec?.ingressClassName)
        common.addObjectMeta(ingress.metadata, role: "ingress")
        common.merge(namespaceMetadata(ingress.metadata.namespace))
        let tlsHosts = (ingress.spec?.tls ?? []).flatMap { $0.hosts ?? [] }
        var targets: [Labels] = []
        for rule in ingress.spec?.rules ?? [] {
            let host = rule.host ?? ""
            let scheme = tlsHosts.contains { Self.matchesHostnamePattern($0, host) } ? "https" : "http"
            let paths = rule.http.map { ($0.paths ?? []).map { ($0.path ?? "").isEmpty ? "/" : $0.path! } } ?? ["/"]
            for path in paths {
                var target = MetaLabels([("ingress_scheme", scheme), ("ingress_host", host), ("ingress_path", path)])
                target.setRaw(TargetGroup.addressLabel, host)
                targets.append(target.labels)
            }
        }
        return TargetGroup(targets: targets, labels: common.labels, source: "ingress/" + ingress.metadata.key)
    }

    /// Prometheus' `matchesHostnamePattern`: equal, or `*.rest` matching one leading label.
    static func matchesHostnamePattern(_ pattern: String, _ host: String) -> Bool {
        if pattern == host { return true }
        let patternParts = pattern.split(separator: ".", omittingEmptySubsequences: false)
        let hostParts = host.split(separator: ".", omittingEmptySubsequences: false)
        guard patternParts.first == "*", patternParts.count == hostParts.count else { return false }
        return zip(patternParts.dropFirst(), hostParts.dropFirst()).allSatisfy { $0 == $1 }
    }
}
