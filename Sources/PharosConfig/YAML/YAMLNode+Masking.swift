import Yams

/// Which values of a config are secrets, by key: the ones Prometheus and Alertmanager
/// marshal as `<secret>` when they show their config (`/api/v1/status/config`,
/// `/api/v2/status`).
package struct SecretKeys: Sendable {
    /// Keys whose value is a secret wherever they appear (`password`, `credentials`, …).
    package var anywhere: Set<String>
    /// Keys that are secrets inside the named list only (`api_url` of `slack_configs`).
    package var inside: [String: Set<String>]

    package init(anywhere: Set<String>, inside: [String: Set<String>] = [:]) {
        self.anywhere = anywhere
        self.inside = inside
    }

    /// Prometheus' and Alertmanager's `Secret` and `SecretURL` fields (HTTP client, service
    /// discovery, remote write, and every Alertmanager 0.25 receiver).
    package static let prometheusAndAlertmanager = SecretKeys(
        anywhere: [
            "password", "credentials", "bearer_token", "client_secret", "secret_key", "auth_password", "auth_secret",
            "smtp_auth_password", "smtp_auth_secret", "slack_api_url", "opsgenie_api_key", "victorops_api_key",
            "wechat_api_secret", "service_key", "routing_key", "api_key", "api_secret", "user_key", "token",
            "bot_token", "application_credential_secret", "access_key_secret",
        ],
        inside: ["slack_configs": ["api_url"], "discord_configs": ["webhook_url"]])

    func isSecret(_ key: String, within list: String?) -> Bool {
        anywhere.contains(key) || list.map { inside[$0]?.contains(key) ?? false } ?? false
    }
}

extension YAMLNode {
    /// The node with every non-empty secret value replaced by `<secret>`.
    package func maskingSecrets(_ keys: SecretKeys = .prometheusAndAlertmanager) -> YAMLNode {
        masked(keys, list: nil)
    }

    private func masked(_ keys: SecretKeys, list: String?) -> YAMLNode {
        var node = self
        switch kind {
        case .scalar, .null:
            break
        case .sequence(let items):
            node.kind = .sequence(items.map { $0.masked(keys, list: list) })
        case .mapping(let pairs):
            node.kind = .mapping(pairs.map { pair in
                var pair = pair
                if keys.isSecret(pair.key, within: list), case .scalar(let value, _) = pair.value.kind, !value.isEmpty {
                    pair.value.kind = .scalar("<secret>", quoted: false)
                } else {
                    // Items of a list key (`slack_configs: [...]`) are inside that list.
                    let inner = if case .sequence = pair.value.kind { pair.key } else { list }
                    pair.value = pair.value.masked(keys, list: inner)
                }
                return pair
            })
        }
        return node
    }

    /// The node as YAML text (block style, keys in their order; comments are not kept).
    package var yamlText: String {
        (try? Yams.serialize(node: yamsNode)) ?? ""
    }

    private var yamsNode: Node {
        switch kind {
        case .null:
            return Node("null", Tag(.null))
        case .scalar(let text, let quoted):
            // A quoted scalar stays a string ("80" is not the number 80).
            return quoted ? Node(text, Tag(.str), .singleQuoted) : Node(text)
        case .sequence(let items):
            return Node(items.map(\.yamsNode))
        case .mapping(let pairs):
            return Node(pairs.map { (Node($0.key), $0.value.yamsNode) })
        }
    }
}
