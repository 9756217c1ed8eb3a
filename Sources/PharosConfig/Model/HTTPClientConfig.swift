/// The HTTP client settings shared by scrape, remote_write and remote_read
/// (Prometheus' `common/config.HTTPClientConfig`, inlined in those sections).
///
/// `bearer_token`/`bearer_token_file` are folded into `authorization` (type Bearer) as
/// Prometheus does. File names are already joined to the config file's folder.
package struct HTTPClientConfig: Sendable, Hashable {
    package struct BasicAuth: Sendable, Hashable {
        package var username: String = ""
        package var usernameFile: String?
        package var password: String?
        package var passwordFile: String?

        package init(username: String = "", usernameFile: String? = nil, password: String? = nil, passwordFile: String? = nil) {
            self.username = username
            self.usernameFile = usernameFile
            self.password = password
            self.passwordFile = passwordFile
        }
    }

    package struct Authorization: Sendable, Hashable {
        package var type: String = "Bearer"
        package var credentials: String?
        package var credentialsFile: String?

        package init(type: String = "Bearer", credentials: String? = nil, credentialsFile: String? = nil) {
            self.type = type
            self.credentials = credentials
            self.credentialsFile = credentialsFile
        }
    }

    package struct TLSConfig: Sendable, Hashable {
        package var caFile: String?
        package var ca: String?
        package var certFile: String?
        package var cert: String?
        package var keyFile: String?
        package var key: String?
        package var serverName: String?
        package var insecureSkipVerify = false
        package var minVersion: String?
        package var maxVersion: String?

        package init() {}
    }

    package var basicAuth: BasicAuth?
    package var authorization: Authorization?
    /// Kept raw for a later issue; Pharos does not speak OAuth 2 yet.
    package var oauth2: YAMLNode?
    package var tlsConfig = TLSConfig()
    package var proxyURL: String?
    package var noProxy: String?
    package var proxyFromEnvironment = false
    package var proxyConnectHeader: [String: String] = [:]
    package var followRedirects = true
    package var enableHTTP2 = true
    /// `http_headers` (per-header values, secrets and files), kept raw until modelled.
    package var httpHeaders: YAMLNode?

    package init() {}

    /// Remote write's defaults: HTTP/2 off, as in Prometheus.
    package static let remoteWriteDefaults: HTTPClientConfig = {
        var config = HTTPClientConfig()
        config.enableHTTP2 = false
        return config
    }()
}

extension HTTPClientConfig {
    /// Reads the inlined client keys from `reader` and validates them like Prometheus.
    package static func decode(
        from reader: MappingReader, defaults: HTTPClientConfig = HTTPClientConfig()
    ) throws(ConfigError) -> HTTPClientConfig {
        var config = defaults
        let cursor = reader.cursor
        if let node = reader.take("basic_auth") {
            let fields = try node.mapping("basic_auth")
            var auth = BasicAuth()
            auth.username = try fields.string("username") ?? ""
            auth.usernameFile = try fields.filePath("username_file")
            auth.password = try fields.string("password")
            auth.passwordFile = try fields.filePath("password_file")
            try fields.finish()
            if auth.password != nil, auth.passwordFile != nil {
                throw node.fail(.invalidConfig, "at most one of basic_auth password & password_file must be configured")
            }
            if !auth.username.isEmpty, auth.usernameFile != nil {
                throw node.fail(.invalidConfig, "at most one of basic_auth username & username_file must be configured")
            }
            config.basicAuth = auth
        }
        if let node = reader.take("authorization") {
            let fields = try node.mapping("authorization")
            var auth = Authorization()
            auth.type = try fields.string("type") ?? "Bearer"
            auth.credentials = try fields.string("credentials")
            auth.credentialsFile = try fields.filePath("credentials_file")
            try fields.finish()
            if auth.type.lowercased() == "basic" {
                throw node.fail(.invalidConfig, "authorization type cannot be set to \"basic\", use \"basic_auth\" instead")
            }
            if auth.credentials != nil, auth.credentialsFile != nil {
                throw node.fail(.invalidConfig, "at most one of authorization credentials & credentials_file must be configured")
            }
            config.authorization = auth
        }
        if let node = reader.take("oauth2") {
            config.oauth2 = node.node
            node.note("not supported yet: requests will be sent without OAuth 2 credentials")
        }
        let bearerToken = try reader.string("bearer_token")
        let bearerTokenFile = try reader.filePath("bearer_token_file")
        if bearerToken != nil || bearerTokenFile != nil {
            if bearerToken != nil, bearerTokenFile != nil {
                throw cursor.fail(.invalidConfig, "at most one of bearer_token & bearer_token_file must be configured")
            }
            if config.authorization != nil {
                throw cursor.fail(.invalidConfig, "authorization is not compatible with bearer_token & bearer_token_file")
            }
            config.authorization = Authorization(type: "Bearer", credentials: bearerToken, credentialsFile: bearerTokenFile)
        }
        let schemes = [config.basicAuth != nil, config.authorization != nil, config.oauth2 != nil].filter { $0 }.count
        if schemes > 1 {
            throw cursor.fail(.invalidConfig,
                              "at most one of basic_auth, oauth2, bearer_token & bearer_token_file must be configured")
        }
        if let node = reader.take("tls_config") {
            config.tlsConfig = try decodeTLS(node)
        }
        config.proxyURL = try reader.string("proxy_url")
        config.noProxy = try reader.string("no_proxy")
        config.proxyFromEnvironment = try reader.bool("proxy_from_environment") ?? false
        config.proxyConnectHeader = try reader.stringMap("proxy_connect_header") ?? [:]
        if config.proxyFromEnvironment, config.proxyURL != nil {
            throw cursor.fail(.invalidConfig, "if proxy_from_environment is configured, proxy_url must not be configured")
        }
        if config.noProxy != nil, config.proxyURL == nil {
            throw cursor.fail(.invalidConfig, "if no_proxy is configured, proxy_url must also be configured")
        }
        config.followRedirects = try reader.bool("follow_redirects") ?? defaults.followRedirects
        config.enableHTTP2 = try reader.bool("enable_http2") ?? defaults.enableHTTP2
        config.httpHeaders = reader.raw("http_headers")
        return config
    }

    package static func decodeTLS(_ node: ConfigCursor) throws(ConfigError) -> TLSConfig {
        let fields = try node.mapping("tls_config")
        var tls = TLSConfig()
        tls.caFile = try fields.filePath("ca_file")
        tls.ca = try fields.string("ca")
        tls.certFile = try fields.filePath("cert_file")
        tls.cert = try fields.string("cert")
        tls.keyFile = try fields.filePath("key_file")
        tls.key = try fields.string("key")
        tls.serverName = try fields.string("server_name")
        tls.insecureSkipVerify = try fields.bool("insecure_skip_verify") ?? false
        for key in ["min_version", "max_version"] {
            if let version = fields.take(key) {
                let text = try version.string()
                guard ["TLS10", "TLS11", "TLS12", "TLS13"].contains(text) else {
                    throw version.fail("unknown TLS version \(text) (use TLS10, TLS11, TLS12 or TLS13)")
                }
                if key == "min_version" { tls.minVersion = text } else { tls.maxVersion = text }
            }
        }
        try fields.finish()
        if tls.ca != nil, tls.caFile != nil {
            throw node.fail(.invalidConfig, "at most one of ca and ca_file must be configured")
        }
        if tls.cert != nil, tls.certFile != nil {
            throw node.fail(.invalidConfig, "at most one of cert and cert_file must be configured")
        }
        if tls.key != nil, tls.keyFile != nil {
            throw node.fail(.invalidConfig, "at most one of key and key_file must be configured")
        }
        let hasCert = tls.cert != nil || tls.certFile != nil, hasKey = tls.key != nil || tls.keyFile != nil
        if hasCert, !hasKey {
            throw node.fail(.invalidConfig, "exactly one of key or key_file must be configured when a client certificate is configured")
        }
        if hasKey, !hasCert {
            throw node.fail(.invalidConfig, "exactly one of cert or cert_file must be configured when a client key is configured")
        }
        return tls
    }
}
