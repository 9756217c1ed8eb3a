import PharosConfig
import PharosCore
import Templating

extension OpsGenieConfig {
    static func decode(_ cursor: ConfigCursor, global: AlertmanagerGlobalConfig) throws(ConfigError) -> OpsGenieConfig {
        let fields = try cursor.mapping("config.plain")
        var config = OpsGenieConfig()
        config.sendResolved = try fields.strictBool("send_resolved") ?? true
        config.httpConfig = try fields.take("http_config")?.httpClientConfig() ?? global.httpConfig
        config.apiKey = try fields.string("api_key") ?? ""
        config.apiKeyFile = try fields.filePath("api_key_file") ?? ""
        let apiURL = try fields.take("api_url")?.alertmanagerURL()
        config.message = try fields.text("message", config.message)
        config.description = try fields.text("description", config.description)
        config.source = try fields.text("source", config.source)
        config.details = try fields.stringMap("details") ?? [:]
        config.entity = try fields.text("entity", "")
        for item in try fields.take("responders")?.sequence() ?? [] {
            let f = try item.mapping("config.OpsGenieConfigResponder")
            let responder = Responder(id: try f.text("id", ""), name: try f.text("name", ""),
                                      username: try f.text("username", ""), type: try f.text("type", ""))
            try f.finish()
            config.responders.append(responder)
        }
        config.actions = try fields.text("actions", "")
        config.tags = try fields.text("tags", "")
        config.note = try fields.text("note", "")
        config.priority = try fields.text("priority", "")
        config.updateAlerts = try fields.strictBool("update_alerts") ?? false
        try fields.finish()
        if !config.apiKey.isEmpty, !config.apiKeyFile.isEmpty {
            throw cursor.fail(.invalidConfig, "at most one of api_key & api_key_file must be configured")
        }
        for responder in config.responders { try checkResponder(responder, at: cursor) }
        guard let url = apiURL ?? global.opsgenieAPIURL else { throw cursor.fail(.invalidConfig, "no global OpsGenie URL set") }
        config.apiURL = GoURL(url)?.withTrailingSlash.string ?? url
        if config.apiKey.isEmpty, config.apiKeyFile.isEmpty {
            if global.opsgenieAPIKey.isEmpty, global.opsgenieAPIKeyFile.isEmpty {
                throw cursor.fail(.invalidConfig, "no global OpsGenie API Key set either inline or in a file")
            }
            config.apiKey = global.opsgenieAPIKey
            config.apiKeyFile = global.opsgenieAPIKeyFile
        }
        return config
    }

    /// Alertmanager's responder checks; `%v` of the responder is Go's `{id name username type}`.
    private static func checkResponder(_ r: Responder, at cursor: ConfigCursor) throws(ConfigError) {
        func shown(_ type: String) -> String { "{\(r.id) \(r.name) \(r.username) \(type)}" }
        if r.id.isEmpty, r.username.isEmpty, r.name.isEmpty {
            throw cursor.fail(.invalidConfig,
                              "opsGenieConfig responder \(shown(r.type)) has to have at least one of id, username or name specified")
        }
        if r.type.contains("{{") {
            var check = AlertmanagerTemplate()
            do { try check.parse(r.type, name: "") } catch {
                throw cursor.fail(.invalidConfig, "opsGenieConfig responder \(shown(r.type)) type is not a valid template: \(error)")
            }
        } else {
            let lower = r.type.lowercased()
            if !["team", "teams", "user", "escalation", "schedule"].contains(lower) {
                throw cursor.fail(.invalidConfig, "opsGenieConfig responder \(shown(lower)) type does not match valid options ^(team|teams|user|escalation|schedule)$")
            }
        }
    }
}

extension VictorOpsConfig {
    static func decode(_ cursor: ConfigCursor, global: AlertmanagerGlobalConfig) throws(ConfigError) -> VictorOpsConfig {
        let fields = try cursor.mapping("config.plain")
        var config = VictorOpsConfig()
        config.sendResolved = try fields.strictBool("send_resolved") ?? true
        config.httpConfig = try fields.take("http_config")?.httpClientConfig() ?? global.httpConfig
        config.apiKey = try fields.string("api_key") ?? ""
        config.apiKeyFile = try fields.filePath("api_key_file") ?? ""
        let apiURL = try fields.take("api_url")?.alertmanagerURL()
        config.routingKey = try fields.text("routing_key", "")
        config.messageType = try fields.text("message_type", config.messageType)
        config.stateMessage = try fields.text("state_message", config.stateMessage)
        config.entityDisplayName = try fields.text("entity_display_name", config.entityDisplayName)
        config.monitoringTool = try fields.text("monitoring_tool", config.monitoringTool)
        config.customFields = try fields.stringMap("custom_fields") ?? [:]
        try fields.finish()
        if config.routingKey.isEmpty { throw cursor.fail(.invalidConfig, "missing Routing key in VictorOps config") }
        if !config.apiKey.isEmpty, !config.apiKeyFile.isEmpty {
            throw cursor.fail(.invalidConfig, "at most one of api_key & api_key_file must be configured")
        }
        for name in reservedFields where config.customFields[name] != nil {
            throw cursor.fail(.invalidConfig,
                              "victorOps config contains custom field \(name) which cannot be used as it conflicts with the fixed/static fields")
        }
        guard let url = apiURL ?? global.victoropsAPIURL else { throw cursor.fail(.invalidConfig, "no global VictorOps URL set") }
        config.apiURL = GoURL(url)?.withTrailingSlash.string ?? url
        if config.apiKey.isEmpty, config.apiKeyFile.isEmpty {
            if global.victoropsAPIKey.isEmpty, global.victoropsAPIKeyFile.isEmpty {
                throw cursor.fail(.invalidConfig, "no global VictorOps API Key set")
            }
            config.apiKey = global.victoropsAPIKey
            config.apiKeyFile = global.victoropsAPIKeyFile
        }
        return config
    }
}

extension PushoverConfig {
    static func decode(_ cursor: ConfigCursor, global: AlertmanagerGlobalConfig) throws(ConfigError) -> PushoverConfig {
        let fields = try cursor.mapping("config.plain")
        var config = PushoverConfig()
        config.sendResolved = try fields.strictBool("send_resolved") ?? true
        config.httpConfig = try fields.take("http_config")?.httpClientConfig() ?? global.httpConfig
        config.userKey = try fields.string("user_key") ?? ""
        config.userKeyFile = try fields.filePath("user_key_file") ?? ""
        config.token = try fields.string("token") ?? ""
        config.tokenFile = try fields.filePath("token_file") ?? ""
        config.title = try fields.text("title", config.title)
        config.message = try fields.text("message", config.message)
        config.url = try fields.text("url", config.url)
        config.urlTitle = try fields.text("url_title", "")
        config.sound = try fields.text("sound", "")
        config.priority = try fields.text("priority", config.priority)
        config.retry = fields.isExplicitNull("retry") ? 0 : try fields.take("retry")?.goDuration() ?? config.retry
        config.expire = fields.isExplicitNull("expire") ? 0 : try fields.take("expire")?.goDuration() ?? config.expire
        config.html = try fields.strictBool("html") ?? false
        try fields.finish()
        if config.userKey.isEmpty, config.userKeyFile.isEmpty { throw cursor.fail(.invalidConfig, "missing user key in Pushover config") }
        if !config.userKey.isEmpty, !config.userKeyFile.isEmpty {
            throw cursor.fail(.invalidConfig, "at most one of user_key & user_key_file must be configured")
        }
        if config.token.isEmpty, config.tokenFile.isEmpty { throw cursor.fail(.invalidConfig, "missing token in Pushover config") }
        if !config.token.isEmpty, !config.tokenFile.isEmpty {
            throw cursor.fail(.invalidConfig, "at most one of token & token_file must be configured")
        }
        return config
    }
}

extension SNSConfig {
    static func decode(_ cursor: ConfigCursor, global: AlertmanagerGlobalConfig) throws(ConfigError) -> SNSConfig {
        let fields = try cursor.mapping("config.plain")
        var config = SNSConfig()
        config.sendResolved = try fields.strictBool("send_resolved") ?? true
        config.httpConfig = try fields.take("http_config")?.httpClientConfig() ?? global.httpConfig
        config.apiURL = try fields.text("api_url", "")
        if let node = fields.take("sigv4") { config.sigv4 = try SigV4Config.decode(node) }
        config.topicARN = try fields.text("topic_arn", "")
        config.phoneNumber = try fields.text("phone_number", "")
        config.targetARN = try fields.text("target_arn", "")
        config.subject = try fields.text("subject", config.subject)
        config.message = try fields.text("message", config.message)
        config.attributes = try fields.stringMap("attributes") ?? [:]
        try fields.finish()
        // Alertmanager's own test, `(target == "") != (topic == "") != (phone == "")`.
        if (config.targetARN.isEmpty != config.topicARN.isEmpty) != config.phoneNumber.isEmpty {
            throw cursor.fail(.invalidConfig, "must provide either a Target ARN, Topic ARN, or Phone Number for SNS config")
        }
        return config
    }
}

extension SigV4Config {
    static func decode(_ cursor: ConfigCursor) throws(ConfigError) -> SigV4Config {
        let fields = try cursor.mapping("sigv4.plain")
        var config = SigV4Config()
        config.region = try fields.text("region", "")
        config.accessKey = try fields.text("access_key", "")
        config.secretKey = try fields.text("secret_key", "")
        config.profile = try fields.text("profile", "")
        config.roleARN = try fields.text("role_arn", "")
        try fields.finish()
        if config.accessKey.isEmpty != config.secretKey.isEmpty {
            throw cursor.fail(.invalidConfig,
                              "must provide a AWS SigV4 Access key and Secret Key if credentials are specified in the SigV4 config")
        }
        for (key, value) in [("profile", config.profile), ("role_arn", config.roleARN)] where !value.isEmpty {
            fields.take(key)?.note("sigv4.\(key) is not supported by Pharos: SNS notifications fail; use access_key and secret_key")
        }
        return config
    }
}
