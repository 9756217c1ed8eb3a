import Foundation
import PharosConfig

/// Where in-cluster discovery looks: the process environment (`KUBERNETES_SERVICE_HOST`,
/// `KUBERNETES_SERVICE_PORT`) and the mounted service account (`token`, `ca.crt`, `namespace`).
/// Tests point both at their own values.
package struct KubernetesEnvironment: Sendable, Hashable {
    package var variables: [String: String]
    package var serviceAccountDirectory: String

    package init(variables: [String: String], serviceAccountDirectory: String = KubernetesEnvironment.serviceAccountPath) {
        self.variables = variables
        self.serviceAccountDirectory = serviceAccountDirectory
    }

    package static let serviceAccountPath = "/var/run/secrets/kubernetes.io/serviceaccount"

    /// This process' environment and the standard service account folder.
    package static var process: KubernetesEnvironment {
        KubernetesEnvironment(variables: ProcessInfo.processInfo.environment)
    }
}

/// How to reach the API server: base URL and client settings, from `api_server` + http_config,
/// a kubeconfig file, or the in-cluster service account (client-go's `InClusterConfig`).
struct KubernetesConnection: Sendable {
    var baseURL: String
    var httpClient: HTTPClientConfig
    /// The namespace Pharos runs in (in-cluster `own_namespace` only).
    var ownNamespace: String?

    static func resolve(_ config: KubernetesSDConfig, environment: KubernetesEnvironment) throws(DiscoveryError) -> KubernetesConnection {
        if let server = config.apiServer {
            return KubernetesConnection(baseURL: trimSlash(server), httpClient: config.httpClient)
        }
        if let path = config.kubeconfigFile {
            do {
                let kubeconfig = try Kubeconfig.load(path: path)
                return KubernetesConnection(baseURL: trimSlash(kubeconfig.server), httpClient: kubeconfig.httpClient)
            } catch {
                throw DiscoveryError(.config, location: "kubernetes", error.description)
            }
        }
        let host = environment.variables["KUBERNETES_SERVICE_HOST"] ?? "", port = environment.variables["KUBERNETES_SERVICE_PORT"] ?? ""
        guard !host.isEmpty, !port.isEmpty else {
            throw DiscoveryError(.config, location: "kubernetes",
                                 "unable to load in-cluster configuration, KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must be defined")
        }
        let directory = environment.serviceAccountDirectory
        let tokenFile = directory + "/token"
        guard FileManager.default.isReadableFile(atPath: tokenFile) else {
            throw DiscoveryError(.config, location: "kubernetes", "cannot read service account token \(tokenFile)")
        }
        var client = HTTPClientConfig()
        client.authorization = HTTPClientConfig.Authorization(type: "Bearer", credentialsFile: tokenFile)
        if FileManager.default.isReadableFile(atPath: directory + "/ca.crt") { client.tlsConfig.caFile = directory + "/ca.crt" }
        var connection = KubernetesConnection(
            baseURL: "https://" + (host.contains(":") ? "[\(host)]" : host) + ":" + port, httpClient: client)
        if config.ownNamespace {
            let text = (try? String(contentsOfFile: directory + "/namespace", encoding: .utf8)) ?? ""
            guard !text.isEmpty else {
                throw DiscoveryError(.config, location: "kubernetes", "could not determine the pod's namespace from \(directory)/namespace")
            }
            connection.ownNamespace = text
        }
        return connection
    }

    private static func trimSlash(_ url: String) -> String {
        var url = Substring(url)
        while url.hasSuffix("/") { url = url.dropLast() }
        return String(url)
    }
}
