import Logging
import PharosConfig
import PharosHTTPClient

/// `kubernetes_sd_configs` (Prometheus' `discovery/kubernetes`): list-and-watch informers for
/// the role's objects in each configured namespace (or all), plus the objects the role
/// joins: services and pods for endpoints and endpointslice, nodes with
/// attach_metadata.node, namespaces with attach_metadata.namespace. Selectors go to the API
/// server as `labelSelector` / `fieldSelector`. Sources are `pod/<ns>/<name>`, `node/<name>`,
/// `svc/<ns>/<name>`, `endpoints/…`, `endpointslice/…`, `ingress/…`.
package final class KubernetesDiscoverer: Discoverer {
    private let config: KubernetesSDConfig
    private let context: DiscovererContext
    private let api: KubernetesAPI
    private let namespaces: [String?]
    /// Seconds a watch lasts before the server ends it (client-go picks 5–10 min).
    package let watchTimeoutSeconds: Int

    /// Resolves the API server (api_server, kubeconfig or in-cluster) and builds the client;
    /// throws `.config` when that fails.
    package init(config: KubernetesSDConfig, context: DiscovererContext, watchTimeoutSeconds: Int = Int.random(in: 300...600))
        throws(DiscoveryError) {
        self.config = config
        self.context = context
        self.watchTimeoutSeconds = watchTimeoutSeconds
        let connection = try KubernetesConnection.resolve(config, environment: context.kubernetesEnvironment)
        let client: PharosHTTPClient
        do {
            client = try PharosHTTPClient(config: connection.httpClient, logger: context.logger)
        } catch {
            throw DiscoveryError(.config, location: "kubernetes", error.description)
        }
        api = KubernetesAPI(baseURL: connection.baseURL, client: client)
        var names = config.namespaces
        if config.ownNamespace, let own = connection.ownNamespace { names.append(own) }
        namespaces = names.isEmpty ? [nil] : names.map { $0 }
    }

    package func run(_ updates: DiscoveryUpdates) async {
        let plan = informerPlan()
        let coordinator = KubernetesCoordinator(config: config, context: context, updates: updates,
                                                informers: Set(plan.map(\.name)))
        await withDiscardingTaskGroup { group in
            for entry in plan {
                group.addTask { await entry.run(coordinator) }
            }
        }
        await api.client.shutdown()
    }

    /// One informer to run: its name (for sync tracking) and how to run it.
    private struct PlannedInformer: Sendable {
        var name: String
        var run: @Sendable (KubernetesCoordinator) async -> Void
    }

    /// The informers of this role: primary (and joined namespaced kinds) per namespace, nodes
    /// and namespaces once.
    private func informerPlan() -> [PlannedInformer] {
        var plan: [PlannedInformer] = []
        let role = config.role
        for namespace in namespaces {
            switch role {
            case .pod: plan.append(informer(\.pods, KubernetesPod.self, .pods, namespace, selectorRole: .pod))
            case .service: plan.append(informer(\.services, KubernetesService.self, .services, namespace, selectorRole: .service))
            case .ingress: plan.append(informer(\.ingresses, KubernetesIngress.self, .ingresses, namespace, selectorRole: .ingress))
            case .endpoints:
                plan.append(informer(\.endpoints, KubernetesEndpoints.self, .endpoints, namespace, selectorRole: .endpoints))
                plan.append(informer(\.services, KubernetesService.self, .services, namespace, selectorRole: .service))
                plan.append(informer(\.pods, KubernetesPod.self, .pods, namespace, selectorRole: .pod))
            case .endpointslice:
                plan.append(informer(\.endpointSlices, KubernetesEndpointSlice.self, .endpointslices, namespace, selectorRole: .endpointslice))
                plan.append(informer(\.services, KubernetesService.self, .services, namespace, selectorRole: .service))
                plan.append(informer(\.pods, KubernetesPod.self, .pods, namespace, selectorRole: .pod))
            case .node: break
            }
        }
        if role == .node || (config.attachNodeMetadata && [.pod, .endpoints, .endpointslice].contains(role)) {
            plan.append(informer(\.nodes, KubernetesNode.self, .nodes, nil, selectorRole: .node))
        }
        if config.attachNamespaceMetadata, role != .node {
            plan.append(informer(\.namespaces, KubernetesNamespace.self, .namespaces, nil, selectorRole: nil))
        }
        return plan
    }

    private func informer<Object: KubernetesObject>(
        _ path: any WritableKeyPath<KubernetesStore, [String: Object]> & Sendable, _ type: Object.Type,
        _ kind: KubernetesResource.Kind, _ namespace: String?, selectorRole: KubernetesSDConfig.Role?
    ) -> PlannedInformer {
        let resource = KubernetesResource(kind: kind, namespace: kind.isNamespaced ? namespace : nil)
        let selector = selectorRole.map(config.selector(for:)) ?? KubernetesSDConfig.Selector(role: .node)
        var informer = Informer<Object>(api: api, resource: resource, selector: selector, context: context)
        informer.watchTimeoutSeconds = watchTimeoutSeconds
        let name = resource.path
        return PlannedInformer(name: name) { [informer] coordinator in
            await informer.run { event in
                await coordinator.handle(event, from: name, at: path, kind: kind, namespace: resource.namespace)
            }
        }
    }
}
