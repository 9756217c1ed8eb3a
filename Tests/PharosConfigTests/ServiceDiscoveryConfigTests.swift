import Foundation
import PharosConfig
import PharosCore
import PharosTestSupport
import Testing

/// HTTP, DNS and Kubernetes SD configs: defaults, values, Prometheus' validation, kubeconfig files.
@Suite(.timeLimit(.minutes(2))) struct ServiceDiscoveryConfigTests {
    @Test func modelledValuesAndDefaults() throws {
        let config = try Fixtures.parse("service-discovery-good.yml")
        let http = config.scrapeConfigs[0].serviceDiscovery.httpSDConfigs
        #expect(http.map(\.url) == ["http://sd.example.com:8080/targets", "https://sd.example.com/other"])
        #expect(http.map(\.refreshInterval.milliseconds) == [30_000, 60_000])
        #expect(http[0].httpClient.authorization?.credentials == "secret")
        let dns = config.scrapeConfigs[1].serviceDiscovery.dnsSDConfigs
        #expect(dns.map(\.type) == [.srv, .a, .mx])
        #expect(dns.map(\.port) == [0, 9100, 25])
        #expect(dns.map(\.refreshInterval.milliseconds) == [30_000, 60_000, 30_000])
        #expect(config.notices.isEmpty)
    }

    @Test func kubernetesValues() throws {
        let config = try Fixtures.parse("kubernetes-sd-good.yml")
        let sd = config.scrapeConfigs[0].serviceDiscovery.kubernetesSDConfigs
        #expect(sd.map(\.role) == [.pod, .endpointslice, .ingress])
        #expect(sd[0].apiServer == "https://kubernetes.example.com:6443")
        #expect(sd[0].httpClient.authorization == .init(type: "Bearer", credentials: "token"))
        #expect(sd[0].httpClient.tlsConfig.insecureSkipVerify)
        #expect(sd[0].namespaces == ["default", "monitoring"])
        #expect(sd[0].selector(for: .pod) == .init(role: .pod, label: "app=web,tier!=db", field: "spec.nodeName=node1"))
        #expect(sd[0].selector(for: .node).label == "kubernetes.io/os in (linux)")
        #expect(sd[0].selector(for: .service) == .init(role: .service))
        #expect(sd[0].attachNodeMetadata && !sd[0].attachNamespaceMetadata)
        #expect(sd[1].apiServer == nil && sd[1].kubeconfigFile == nil)
        #expect(sd[2].kubeconfigFile == "kube/config")
    }

    static func parse(_ yaml: String) throws(ConfigError) -> PharosConfig { try parseConfig(yaml, filename: "p.yml") }

    @Test(arguments: [
        ("dns_sd_configs: [{names: [a], type: aaaa, port: 1}]", nil),
        ("dns_sd_configs: [{names: [a], port: 70000}]", "port 70000 is out of range (0-65535)"),
        ("http_sd_configs: [{url: 'http:///x'}]", "host is missing in URL"),
        ("http_sd_configs: [{url: 'http://sd/x', basic_auth: {username: a}, bearer_token: b}]", "at most one of basic_auth"),
        ("kubernetes_sd_configs: [{role: pod, kubeconfig_file: k, namespaces: {own_namespace: true}}]",
         "cannot use 'kubeconfig_file' and 'namespaces.own_namespace' simultaneously"),
        ("kubernetes_sd_configs: [{role: pod, api_server: 'http://a', namespaces: {own_namespace: true}}]",
         "cannot use 'api_server' and 'namespaces.own_namespace' simultaneously"),
        ("kubernetes_sd_configs: [{role: pod, kubeconfig_file: k, tls_config: {insecure_skip_verify: true}}]",
         "cannot use a custom HTTP client configuration together with 'kubeconfig_file'"),
        ("kubernetes_sd_configs: [{role: pod, selectors: [{role: pod}, {role: pod}]}]", "duplicated selector role: pod"),
        ("kubernetes_sd_configs: [{role: node, selectors: [{role: node, field: 'metadata.name'}]}]", "invalid selector"),
        ("kubernetes_sd_configs: [{role: node, selectors: [{role: node, label: 'a/b/c'}]}]", "invalid label key"),
        ("kubernetes_sd_configs: [{role: node, selectors: [{role: node, label: 'a=b c'}]}]", "invalid label value"),
        ("kubernetes_sd_configs: [{role: node, selectors: [{role: node, label: 'a,!b,c notin (x, y),d>3'}]}]", nil),
        ("kubernetes_sd_configs: [{role: pod, attach_metadata: {node: true, namespace: true, color: red}}]",
         "field color not found in type attach_metadata_config"),
        ("consul_sd_configs: [{server: 'localhost:8500'}]", nil),
    ] as [(String, String?)])
    func validation(_ section: String, _ problem: String?) {
        let yaml = "scrape_configs:\n  - job_name: a\n    " + section + "\n"
        do {
            _ = try Self.parse(yaml)
            #expect(problem == nil, "\(section) loaded")
        } catch {
            #expect(problem != nil && error.description.contains(problem!), "\(section): \(error.description)")
            #expect(!error.description.contains("\n"))
        }
    }

    @Test func alertmanagerDiscoveryIsValidatedToo() {
        let yaml = "alerting:\n  alertmanagers:\n    - dns_sd_configs: [{names: [am.example.com], type: A}]\n"
        #expect {
            _ = try Self.parse(yaml)
        } throws: { error in
            (error as? ConfigError)?.description == "p.yml:3:24: alerting.alertmanagers[0].dns_sd_configs[0]: a port is required in DNS-SD configs for all record types except SRV"
        }
    }

    @Test func unsupportedKindsKeepTheirNotice() throws {
        let config = try Self.parse("scrape_configs:\n  - job_name: a\n    ec2_sd_configs: [{region: eu-west-1}]\n")
        #expect(config.notices.map(\.message) == ["not supported yet: no targets will be discovered from ec2_sd_configs"])
        #expect(config.scrapeConfigs[0].otherServiceDiscovery.keys.sorted() == ["ec2_sd_configs"])
    }
}

@Suite(.timeLimit(.minutes(2))) struct KubeconfigTests {
    static let text = """
        apiVersion: v1
        kind: Config
        current-context: dev
        clusters:
        - name: prod
          cluster: {server: "https://prod:6443"}
        - name: dev
          cluster:
            server: https://dev.example:6443
            certificate-authority-data: \(Data("-----BEGIN CERTIFICATE-----\\nAA==\\n-----END CERTIFICATE-----\\n".utf8).base64EncodedString())
            insecure-skip-tls-verify: false
        users:
        - name: dev-user
          user:
            tokenFile: secrets/token
            client-certificate: certs/client.crt
            client-key: /abs/client.key
        - name: basic
          user: {username: admin, password: pw}
        contexts:
        - name: dev
          context: {cluster: dev, user: dev-user, namespace: team}
        - name: prod
          context: {cluster: prod, user: basic}
        extensions: []
        """

    @Test func currentContextsClusterAndUser() throws {
        let config = try Kubeconfig.parse(Self.text, path: "/home/me/.kube/config")
        #expect(config.server == "https://dev.example:6443")
        #expect(config.namespace == "team")
        #expect(config.httpClient.tlsConfig.ca?.hasPrefix("-----BEGIN CERTIFICATE-----") == true)
        #expect(config.httpClient.authorization == .init(type: "Bearer", credentials: nil, credentialsFile: "/home/me/.kube/secrets/token"))
        #expect(config.httpClient.tlsConfig.certFile == "/home/me/.kube/certs/client.crt")
        #expect(config.httpClient.tlsConfig.keyFile == "/abs/client.key")
        let prod = try Kubeconfig.parse(Self.text.replacingOccurrences(of: "current-context: dev", with: "current-context: prod"), path: "k")
        #expect(prod.server == "https://prod:6443")
        #expect(prod.httpClient.basicAuth == .init(username: "admin", password: "pw"))
    }

    @Test(arguments: [
        ("current-context: dev", "current-context: nope", "context \"nope\" does not exist"),
        ("context: {cluster: dev, user: dev-user, namespace: team}", "context: {cluster: gone, user: dev-user}", "cluster \"gone\" does not exist"),
        ("context: {cluster: dev, user: dev-user, namespace: team}", "context: {cluster: dev, user: nobody}", "user \"nobody\" does not exist"),
        ("tokenFile: secrets/token", "exec: {command: aws}", "exec credentials are not supported"),
        ("server: https://dev.example:6443", "server: ''", "no server found for cluster"),
        ("insecure-skip-tls-verify: false", "insecure-skip-tls-verify: maybe", "cannot parse \"maybe\" as a boolean"),
        ("certificate-authority-data: ", "certificate-authority-data: '%%%' #", "cannot decode certificate-authority-data"),
        ("apiVersion: v1", "apiVersion: [v1", "cannot parse YAML"),
    ])
    func brokenFilesArePositioned(_ original: String, _ replacement: String, _ problem: String) {
        var text = Self.text.replacingOccurrences(of: original, with: replacement)
        if original == "certificate-authority-data: " {
            text = text.replacingOccurrences(of: #"certificate-authority-data: '%%%' #[A-Za-z0-9+/=]+"#, with: "certificate-authority-data: '%%%'",
                                             options: .regularExpression)
        }
        #expect {
            _ = try Kubeconfig.parse(text, path: "kube.yml")
        } throws: { error in
            guard let error = error as? ConfigError else { return false }
            return error.description.hasPrefix("kube.yml") && error.description.contains(problem) && !error.description.contains("\n")
        }
    }

    @Test func everyPrefixLoadsOrFails() {
        let bytes = Array(Self.text.utf8)
        for end in stride(from: 0, to: bytes.count, by: 5) {
            _ = try? Kubeconfig.parse(String(decoding: bytes[..<end], as: UTF8.self), path: "k")
        }
    }

    @Test func missingFileIsAnIOError() {
        #expect { _ = try Kubeconfig.load(path: "/nonexistent/kubeconfig") } throws: { ($0 as? ConfigError)?.kind == .io }
    }
}
