import Foundation
import PharosCore

/// The part of a kubeconfig file that Kubernetes discovery needs: the current context's
/// cluster (server, CA, `insecure-skip-tls-verify`) and user (token or token file, client
/// certificate and key, basic auth), as an API server URL plus Prometheus `http_config`.
///
/// Keys Pharos does not use are ignored (a kubeconfig carries many); `exec` and
/// `auth-provider` users are refused, since Pharos cannot run credential plugins.
package struct Kubeconfig: Sendable, Hashable {
    package var server: String
    /// The current context's namespace, if set.
    package var namespace: String?
    /// TLS and credentials for the server; file names are absolute or relative to the file.
    package var httpClient: HTTPClientConfig

    /// Reads and parses the kubeconfig at `path`.
    package static func load(path: String) throws(ConfigError) -> Kubeconfig {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigError(.io, file: path, message: "cannot read kubeconfig file: \(error.localizedDescription)")
        }
        return try parse(text, path: path)
    }

    /// Parses kubeconfig YAML; `path` names the file in errors and resolves relative file names.
    package static func parse(_ text: String, path: String) throws(ConfigError) -> Kubeconfig {
        let directory = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? ""
        let root = ConfigCursor(root: try YAMLNode.parse(text, file: path), file: path, directory: directory)
        guard case .mapping = root.node.kind else { throw root.fail("expected a mapping, got \(root.node.kindName)") }
        let contexts = try named(root, "contexts", "context")
        let current = try string(root, "current-context") ?? ""
        let context: ConfigCursor
        if current.isEmpty {
            guard contexts.count == 1, let only = contexts.first?.value else {
                throw root.fail(.invalidConfig, "invalid configuration: no current-context is set")
            }
            context = only
        } else {
            guard let found = contexts.first(where: { $0.name == current })?.value else {
                throw root.fail(.invalidConfig, "invalid configuration: context \(goQuote(current)) does not exist")
            }
            context = found
        }
        let clusterName = try string(context, "cluster") ?? ""
        let userName = try string(context, "user") ?? ""
        let namespace = try string(context, "namespace")
        guard let cluster = try named(root, "clusters", "cluster").first(where: { $0.name == clusterName })?.value else {
            throw context.fail(.invalidConfig, "invalid configuration: cluster \(goQuote(clusterName)) does not exist")
        }
        var config = Kubeconfig(server: "", namespace: namespace, httpClient: HTTPClientConfig())
        try config.readCluster(cluster)
        if !userName.isEmpty {
            guard let user = try named(root, "users", "user").first(where: { $0.name == userName })?.value else {
                throw context.fail(.invalidConfig, "invalid configuration: user \(goQuote(userName)) does not exist")
            }
            try config.readUser(user)
        }
        return config
    }

    private mutating func readCluster(_ cluster: ConfigCursor) throws(ConfigError) {
        server = try Self.string(cluster, "server") ?? ""
        if server.isEmpty { throw cluster.fail(.invalidConfig, "invalid configuration: no server found for cluster") }
        httpClient.tlsConfig.caFile = try Self.string(cluster, "certificate-authority").map(cluster.resolve)
        httpClient.tlsConfig.ca = try Self.pem(cluster, "certificate-authority-data")
        httpClient.tlsConfig.serverName = try Self.string(cluster, "tls-server-name")
        if let node = cluster.node["insecure-skip-tls-verify"] {
            httpClient.tlsConfig.insecureSkipVerify = try cluster.child("insecure-skip-tls-verify", node).bool()
        }
    }

    private mutating func readUser(_ user: ConfigCursor) throws(ConfigError) {
        for key in ["exec", "auth-provider"] where user.node[key] != nil {
            throw user.child(key, user.node[key]!).fail(.invalidConfig, "\(key) credentials are not supported; use a token, a token file or a client certificate")
        }
        httpClient.tlsConfig.certFile = try Self.string(user, "client-certificate").map(user.resolve)
        httpClient.tlsConfig.cert = try Self.pem(user, "client-certificate-data")
        httpClient.tlsConfig.keyFile = try Self.string(user, "client-key").map(user.resolve)
        httpClient.tlsConfig.key = try Self.pem(user, "client-key-data")
        let token = try Self.string(user, "token"), tokenFile = try Self.string(user, "tokenFile").map(user.resolve)
        if token != nil || tokenFile != nil {
            httpClient.authorization = HTTPClientConfig.Authorization(type: "Bearer", credentials: token,
                                                                      credentialsFile: token == nil ? tokenFile : nil)
        } else if let username = try Self.string(user, "username") {
            httpClient.basicAuth = HTTPClientConfig.BasicAuth(username: username, password: try Self.string(user, "password"))
        }
    }

    /// The `name`/`<inner>` entries of a kubeconfig list (`clusters`, `users`, `contexts`).
    private static func named(_ root: ConfigCursor, _ key: String, _ inner: String) throws(ConfigError) -> [(name: String, value: ConfigCursor)] {
        guard let node = root.node[key] else { return [] }
        var out: [(String, ConfigCursor)] = []
        for item in try root.child(key, node).sequence() {
            let name = try string(item, "name") ?? ""
            guard let value = item.node[inner] else { throw item.fail(.invalidConfig, "\(key) entry \(goQuote(name)) has no \(inner)") }
            let cursor = item.child(inner, value)
            guard case .mapping = value.kind else { throw cursor.fail("expected a mapping, got \(value.kindName)") }
            out.append((name, cursor))
        }
        return out
    }

    private static func string(_ cursor: ConfigCursor, _ key: String) throws(ConfigError) -> String? {
        guard let node = cursor.node[key], node.kind != .null else { return nil }
        let text = try cursor.child(key, node).string()
        return text.isEmpty ? nil : text
    }

    /// A base64 `*-data` field decoded to PEM text.
    private static func pem(_ cursor: ConfigCursor, _ key: String) throws(ConfigError) -> String? {
        guard let text = try string(cursor, key) else { return nil }
        guard let data = Data(base64Encoded: text, options: .ignoreUnknownCharacters),
              let pem = String(data: data, encoding: .utf8)
        else { throw cursor.child(key, cursor.node[key]!).fail("cannot decode \(key) as base64 PEM") }
        return pem
    }
}
