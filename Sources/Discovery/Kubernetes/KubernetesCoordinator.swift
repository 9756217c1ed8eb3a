import PharosConfig

/// Owns the store of one Kubernetes discoverer: applies informer events, counts them, and
/// sends the groups they change. Until every informer has listed once, it only collects
/// (Prometheus waits for all caches to sync); then it sends the groups of every primary
/// object at once, and afterwards the groups each event touches.
actor KubernetesCoordinator {
    private let role: KubernetesSDConfig.Role
    private let config: KubernetesSDConfig
    private let context: DiscovererContext
    private let updates: DiscoveryUpdates
    private var store = KubernetesStore()
    private var waiting: Set<String>

    /// `informers` names every informer that must list before the first send.
    init(config: KubernetesSDConfig, context: DiscovererContext, updates: DiscoveryUpdates, informers: Set<String>) {
        role = config.role
        self.config = config
        self.context = context
        self.updates = updates
        waiting = informers
    }

    func handle<Object: KubernetesObject>(
        _ event: InformerEvent<Object>, from informer: String, at path: WritableKeyPath<KubernetesStore, [String: Object]>,
        kind: KubernetesResource.Kind, namespace: String?
    ) async {
        let changes = store.apply(event, at: path, kind: kind, namespace: namespace)
        if let eventRole = kind.eventRole {
            for change in changes { context.metrics.kubernetesEvent(role: eventRole, event: change.event.rawValue) }
        }
        let wasSynced = waiting.isEmpty
        if case .replace = event { waiting.remove(informer) }
        guard waiting.isEmpty else { return }
        var keys: [String] = []
        if !wasSynced {
            keys = store.primaryKeys(role)
        } else {
            var seen = Set<String>()
            for change in changes {
                for key in store.affected(by: change, role: role) where seen.insert(key).inserted { keys.append(key) }
            }
        }
        guard !keys.isEmpty else { return }
        let targets = KubernetesTargets(store: store, attachNode: config.attachNodeMetadata,
                                        attachNamespace: config.attachNamespaceMetadata)
        let groups = keys.compactMap { targets.group(role: role, key: $0) }
        if !groups.isEmpty { await updates.send(groups) }
    }
}
