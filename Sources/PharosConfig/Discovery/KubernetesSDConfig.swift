import PharosCore

/// A `kubernetes_sd_configs` entry (Prometheus' `discovery/kubernetes.SDConfig`).
///
/// The API server is `apiServer` with the inlined `httpClient` settings, or the cluster of
/// `kubeconfigFile`, or — with neither — the in-cluster service account
/// (`KUBERNETES_SERVICE_HOST`/`_PORT`, `/var/run/secrets/kubernetes.io/serviceaccount`).
/// Decoding enforces Prometheus' exclusions between those three.
package struct KubernetesSDConfig: Sendable, Hashable {
    /// What each target stands for.
    package enum Role: String, Sendable, Hashable, CaseIterable {
        case node, pod, service, endpoints, endpointslice, ingress

        /// The selector roles a discovery of this role accepts, in Prometheus' order.
        package var allowedSelectorRoles: [Role] {
            switch self {
            case .pod: [.pod, .node]
            case .service: [.service]
            case .endpointslice: [.pod, .service, .endpointslice]
            case .endpoints: [.pod, .service, .endpoints]
            case .node: [.node]
            case .ingress: [.ingress]
            }
        }
    }

    /// A `labelSelector` / `fieldSelector` pair for the objects of one role.
    package struct Selector: Sendable, Hashable {
        package var role: Role
        package var label = ""
        package var field = ""

        package init(role: Role, label: String = "", field: String = "") {
            self.role = role
            self.label = label
            self.field = field
        }
    }

    package var role: Role
    /// Absolute or relative API server URL (nil: kubeconfig or in-cluster).
    package var apiServer: String?
    /// Path, joined to the config folder (nil: api_server or in-cluster).
    package var kubeconfigFile: String?
    package var httpClient = HTTPClientConfig()
    /// Namespaces to watch; empty with `ownNamespace` false means all namespaces.
    package var namespaces: [String] = []
    /// Adds the namespace Pharos runs in (read from the service account; in-cluster only).
    package var ownNamespace = false
    package var selectors: [Selector] = []
    /// `attach_metadata.node`: node labels/annotations on pod, endpoints and endpointslice targets.
    package var attachNodeMetadata = false
    /// `attach_metadata.namespace`: namespace labels/annotations on every namespaced target.
    package var attachNamespaceMetadata = false

    package init(role: Role) { self.role = role }

    /// The selector configured for objects of `role` (empty strings when none).
    package func selector(for role: Role) -> Selector {
        selectors.first { $0.role == role } ?? Selector(role: role)
    }
}

extension KubernetesSDConfig {
    static func decode(_ cursor: ConfigCursor) throws(ConfigError) -> KubernetesSDConfig {
        let fields = try cursor.mapping("kubernetes_sd_config")
        guard let roleNode = fields.take("role") else {
            throw cursor.fail(.invalidConfig, "role missing (one of: pod, service, endpoints, endpointslice, node, ingress)")
        }
        var config = KubernetesSDConfig(role: try role(roleNode))
        let apiNode = fields.take("api_server")
        if let apiNode {
            let text = try apiNode.string()
            if !text.isEmpty { config.apiServer = text }
        }
        let kubeconfigNode = fields.take("kubeconfig_file")
        if let kubeconfigNode {
            let path = try kubeconfigNode.filePath()
            if !path.isEmpty { config.kubeconfigFile = path }
        }
        config.httpClient = try HTTPClientConfig.decode(from: fields)
        let namespacesNode = fields.take("namespaces")
        if let namespacesNode {
            let namespaces = try namespacesNode.mapping("namespace_discovery")
            config.ownNamespace = try namespaces.bool("own_namespace") ?? false
            config.namespaces = try namespaces.stringList("names") ?? []
            try namespaces.finish()
        }
        if let node = fields.take("selectors") {
            config.selectors = try selectors(node, role: config.role)
        }
        if let node = fields.take("attach_metadata") {
            let attach = try node.mapping("attach_metadata_config")
            config.attachNodeMetadata = try attach.bool("node") ?? false
            config.attachNamespaceMetadata = try attach.bool("namespace") ?? false
            for key in ["deployment", "job", "cronjob"] {
                if let flag = attach.take(key), try flag.bool() {
                    flag.note("not supported yet: no __meta_kubernetes_pod_\(key)_name labels")
                }
            }
            try attach.finish()
        }
        try fields.finish()
        try config.validateSources(at: cursor, apiNode: apiNode, kubeconfigNode: kubeconfigNode, namespacesNode: namespacesNode)
        return config
    }

    private static func role(_ node: ConfigCursor) throws(ConfigError) -> Role {
        let text = try node.string()
        guard let role = Role(rawValue: text) else { throw node.fail("unknown Kubernetes SD role \"\(text)\"") }
        return role
    }

    private static func selectors(_ node: ConfigCursor, role: Role) throws(ConfigError) -> [Selector] {
        var selectors: [Selector] = []
        for item in try node.sequence() {
            let fields = try item.mapping("selector_config")
            let roleNode = fields.take("role")
            let selectorRole = try roleNode.map { node throws(ConfigError) in try Self.role(node) }
            let label = try fields.string("label") ?? ""
            let field = try fields.string("field") ?? ""
            try fields.finish()
            let at = roleNode ?? item
            if let selectorRole, selectors.contains(where: { $0.role == selectorRole }) {
                throw at.fail(.invalidConfig, "duplicated selector role: \(selectorRole.rawValue)")
            }
            guard let selectorRole, role.allowedSelectorRoles.contains(selectorRole) else {
                let allowed = role.allowedSelectorRoles.map(\.rawValue).joined(separator: ", ")
                throw at.fail(.invalidConfig, "\(role.rawValue) role supports only \(allowed) selectors")
            }
            if let problem = KubernetesSelectorSyntax.fieldSelectorProblem(field) {
                throw (fields.take("field") ?? item).fail(problem)
            }
            if let problem = KubernetesSelectorSyntax.labelSelectorProblem(label) {
                throw (fields.take("label") ?? item).fail(problem)
            }
            selectors.append(Selector(role: selectorRole, label: label, field: field))
        }
        return selectors
    }

    /// Prometheus' rules on where the API server comes from.
    private func validateSources(at cursor: ConfigCursor, apiNode: ConfigCursor?, kubeconfigNode: ConfigCursor?,
                                 namespacesNode: ConfigCursor?) throws(ConfigError) {
        let customClient = httpClient != HTTPClientConfig()
        if apiServer != nil, kubeconfigFile != nil {
            throw (kubeconfigNode ?? cursor).fail(.invalidConfig, "cannot use 'kubeconfig_file' and 'api_server' simultaneously")
        }
        if kubeconfigFile != nil, customClient {
            throw cursor.fail(.invalidConfig, "cannot use a custom HTTP client configuration together with 'kubeconfig_file'")
        }
        if apiServer == nil, customClient {
            throw cursor.fail(.invalidConfig, "to use custom HTTP client configuration please provide the 'api_server' URL explicitly")
        }
        if apiServer != nil, ownNamespace {
            throw (namespacesNode ?? cursor).fail(.invalidConfig, "cannot use 'api_server' and 'namespaces.own_namespace' simultaneously")
        }
        if kubeconfigFile != nil, ownNamespace {
            throw (namespacesNode ?? cursor).fail(.invalidConfig, "cannot use 'kubeconfig_file' and 'namespaces.own_namespace' simultaneously")
        }
        if let apiServer, let apiNode, apiServer.contains(" ") || apiServer.hasPrefix(":") {
            throw apiNode.fail("cannot parse \(goQuote(apiServer)) as a URL")
        }
    }
}
