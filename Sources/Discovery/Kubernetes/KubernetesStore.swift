import PharosConfig

/// Every object the informers of one Kubernetes discoverer have seen, by key (`ns/name`, or
/// `name` for nodes and namespaces), and which primary objects a change touches. A value.
struct KubernetesStore: Sendable {
    var pods: [String: KubernetesPod] = [:]
    var nodes: [String: KubernetesNode] = [:]
    var services: [String: KubernetesService] = [:]
    var endpoints: [String: KubernetesEndpoints] = [:]
    var endpointSlices: [String: KubernetesEndpointSlice] = [:]
    var ingresses: [String: KubernetesIngress] = [:]
    var namespaces: [String: KubernetesNamespace] = [:]

    /// A change the coordinator saw: the kind and key of the object, and what happened.
    struct Change: Hashable, Sendable {
        enum Event: String, Sendable { case add, update, delete }
        var kind: KubernetesResource.Kind
        var key: String
        var event: Event
    }

    /// Applies an informer event to the collection at `path` (scoped to `namespace` for a
    /// replace) and returns the changes it made (nothing for an unchanged object).
    mutating func apply<Object: KubernetesObject>(
        _ event: InformerEvent<Object>, at path: WritableKeyPath<KubernetesStore, [String: Object]>,
        kind: KubernetesResource.Kind, namespace: String?
    ) -> [Change] {
        switch event {
        case .added(let object), .modified(let object):
            let key = object.metadata.key
            let old = self[keyPath: path].updateValue(object, forKey: key)
            if old == object { return [] }
            return [Change(kind: kind, key: key, event: old == nil ? .add : .update)]
        case .deleted(let object):
            let key = object.metadata.key
            return self[keyPath: path].removeValue(forKey: key) == nil ? [] : [Change(kind: kind, key: key, event: .delete)]
        case .replace(let objects):
            var changes: [Change] = []
            var fresh: [String: Object] = [:]
            for object in objects { fresh[object.metadata.key] = object }
            for (key, old) in self[keyPath: path] where namespace == nil || old.metadata.namespace == namespace {
                if fresh[key] == nil {
                    self[keyPath: path][key] = nil
                    changes.append(Change(kind: kind, key: key, event: .delete))
                }
            }
            for key in fresh.keys.sorted() {
                let old = self[keyPath: path].updateValue(fresh[key]!, forKey: key)
                if old != fresh[key] { changes.append(Change(kind: kind, key: key, event: old == nil ? .add : .update)) }
            }
            return changes
        }
    }

    /// The keys of `role`'s primary objects whose groups `change` may alter.
    func affected(by change: Change, role: KubernetesSDConfig.Role) -> [String] {
        let key = change.key
        let namespace = key.split(separator: "/", maxSplits: 1).first.map(String.init)
        switch (role, change.kind) {
        case (.pod, .pods), (.node, .nodes), (.service, .services), (.endpoints, .endpoints),
             (.endpointslice, .endpointslices), (.ingress, .ingresses):
            return [key]
        case (.pod, .nodes):
            return pods.filter { $0.value.spec?.nodeName == key }.map(\.key)
        case (_, .namespaces):
            return primaryKeys(role).filter { $0.hasPrefix(key + "/") }
        case (.endpoints, .services):
            return endpoints[key] == nil ? [] : [key]
        case (.endpoints, .pods):
            return endpoints.filter { $0.value.references(pod: key) }.map(\.key)
        case (.endpoints, .nodes):
            return endpoints.filter { $0.value.references(node: key) }.map(\.key)
        case (.endpointslice, .services):
            let name = key.split(separator: "/", maxSplits: 1).last.map(String.init)
            return endpointSlices.filter {
                $0.value.metadata.namespace == namespace && $0.value.metadata.labels?[KubernetesEndpointSlice.serviceNameLabel] == name
            }.map(\.key)
        case (.endpointslice, .pods):
            return endpointSlices.filter { $0.value.references(pod: key) }.map(\.key)
        case (.endpointslice, .nodes):
            return endpointSlices.filter { $0.value.references(node: key) }.map(\.key)
        default:
            return []
        }
    }

    /// Every primary key of `role`, sorted.
    func primaryKeys(_ role: KubernetesSDConfig.Role) -> [String] {
        switch role {
        case .pod: return pods.keys.sorted()
        case .node: return nodes.keys.sorted()
        case .service: return services.keys.sorted()
        case .endpoints: return endpoints.keys.sorted()
        case .endpointslice: return endpointSlices.keys.sorted()
        case .ingress: return ingresses.keys.sorted()
        }
    }
}

extension KubernetesEndpoints {
    private var allAddresses: [Address] {
        (subsets ?? []).flatMap { ($0.addresses ?? []) + ($0.notReadyAddresses ?? []) }
    }

    func references(pod key: String) -> Bool {
        allAddresses.contains { $0.targetRef?.kind == "Pod" && "\($0.targetRef?.namespace ?? "")/\($0.targetRef?.name ?? "")" == key }
    }

    func references(node name: String) -> Bool {
        allAddresses.contains { $0.nodeName == name || ($0.targetRef?.kind == "Node" && $0.targetRef?.name == name) }
    }
}

extension KubernetesEndpointSlice {
    func references(pod key: String) -> Bool {
        (endpoints ?? []).contains { $0.targetRef?.kind == "Pod" && "\($0.targetRef?.namespace ?? "")/\($0.targetRef?.name ?? "")" == key }
    }

    func references(node name: String) -> Bool {
        (endpoints ?? []).contains { $0.nodeName == name || ($0.targetRef?.kind == "Node" && $0.targetRef?.name == name) }
    }
}
