import PharosConfig
import PharosCore

extension ReceiverConfig {
    /// Decodes one receiver and applies the globals Alertmanager applies (`Config.UnmarshalYAML`).
    static func decode(_ cursor: ConfigCursor, global: AlertmanagerGlobalConfig) throws(ConfigError) -> ReceiverConfig {
        let fields = try cursor.mapping("config.plain")
        var receiver = ReceiverConfig()
        receiver.name = try fields.string("name") ?? ""
        for item in try fields.take("webhook_configs")?.sequence() ?? [] {
            receiver.webhookConfigs.append(try WebhookConfig.decode(item, global: global))
        }
        for item in try fields.take("slack_configs")?.sequence() ?? [] {
            receiver.slackConfigs.append(try SlackConfig.decode(item, global: global))
        }
        for item in try fields.take("email_configs")?.sequence() ?? [] {
            receiver.emailConfigs.append(try EmailConfig.decode(item, global: global))
        }
        for item in try fields.take("pagerduty_configs")?.sequence() ?? [] {
            receiver.pagerdutyConfigs.append(try PagerdutyConfig.decode(item, global: global))
        }
        try receiver.decodeMoreKinds(fields, global: global)
        for kind in otherKinds {
            guard let node = fields.take(kind) else { continue }
            var items: [YAMLNode] = []
            for item in try node.sequence() { items.append(item.node) }
            if !items.isEmpty {
                receiver.otherIntegrations[kind] = items
                node.note("\(kind) are accepted but not sent yet")
            }
        }
        try fields.finish()
        if receiver.name.isEmpty { throw cursor.fail(.invalidConfig, "missing name in receiver") }
        return receiver
    }
}

extension WebhookConfig {
    static func decode(_ cursor: ConfigCursor, global: AlertmanagerGlobalConfig) throws(ConfigError) -> WebhookConfig {
        let fields = try cursor.mapping("config.plain")
        var config = WebhookConfig()
        config.sendResolved = try fields.strictBool("send_resolved") ?? true
        config.httpConfig = try fields.take("http_config")?.httpClientConfig() ?? global.httpConfig
        let urlNode = fields.take("url")
        config.url = try urlNode?.alertmanagerURL()
        config.urlFile = try fields.filePath("url_file")
        config.maxAlerts = try fields.strictUInt64("max_alerts") ?? 0
        config.timeout = try fields.duration("timeout")
        try fields.finish()
        if config.url == nil, config.urlFile == nil { throw cursor.fail(.invalidConfig, "missing URL in webhook config") }
        if config.url != nil, config.urlFile != nil {
            throw cursor.fail(.invalidConfig, "at most one of url & url_file must be configured")
        }
        return config
    }
}

extension SlackConfig {
    static func decode(_ cursor: ConfigCursor, global: AlertmanagerGlobalConfig) throws(ConfigError) -> SlackConfig {
        let fields = try cursor.mapping("config.plain")
        var config = SlackConfig()
        config.sendResolved = try fields.strictBool("send_resolved") ?? false
        config.httpConfig = try fields.take("http_config")?.httpClientConfig() ?? global.httpConfig
        config.apiURL = try fields.take("api_url")?.secretURL()
        config.apiURLFile = try fields.filePath("api_url_file") ?? ""
        config.channel = try fields.string("channel") ?? config.channel
        config.username = try fields.string("username") ?? config.username
        config.color = try fields.string("color") ?? config.color
        config.title = try fields.string("title") ?? config.title
        config.titleLink = try fields.string("title_link") ?? config.titleLink
        config.pretext = try fields.string("pretext") ?? config.pretext
        config.text = try fields.string("text") ?? config.text
        for item in try fields.take("fields")?.sequence() ?? [] {
            let f = try item.mapping("config.plain")
            let field = Field(title: try f.string("title") ?? "", value: try f.string("value") ?? "", short: try f.strictBool("short"))
            try f.finish()
            if field.title.isEmpty { throw item.fail(.invalidConfig, "missing title in Slack field configuration") }
            if field.value.isEmpty { throw item.fail(.invalidConfig, "missing value in Slack field configuration") }
            config.fields.append(field)
        }
        config.shortFields = try fields.strictBool("short_fields") ?? false
        config.footer = try fields.string("footer") ?? config.footer
        config.fallback = try fields.string("fallback") ?? config.fallback
        config.callbackID = try fields.string("callback_id") ?? config.callbackID
        config.iconEmoji = try fields.string("icon_emoji") ?? config.iconEmoji
        config.iconURL = try fields.string("icon_url") ?? config.iconURL
        config.imageURL = try fields.string("image_url") ?? ""
        config.thumbURL = try fields.string("thumb_url") ?? ""
        config.linkNames = try fields.strictBool("link_names") ?? false
        config.mrkdwnIn = try fields.stringList("mrkdwn_in") ?? []
        for item in try fields.take("actions")?.sequence() ?? [] { config.actions.append(try decodeAction(item)) }
        try fields.finish()
        if config.apiURL != nil, !config.apiURLFile.isEmpty {
            throw cursor.fail(.invalidConfig, "at most one of api_url & api_url_file must be configured")
        }
        if config.apiURL == nil, config.apiURLFile.isEmpty {
            if global.slackAPIURL == nil, global.slackAPIURLFile.isEmpty {
                throw cursor.fail(.invalidConfig, "no global Slack API URL set either inline or in a file")
            }
            config.apiURL = global.slackAPIURL
            config.apiURLFile = global.slackAPIURLFile
        }
        return config
    }

    private static func decodeAction(_ cursor: ConfigCursor) throws(ConfigError) -> Action {
        let f = try cursor.mapping("config.plain")
        var action = Action()
        action.type = try f.string("type") ?? ""
        action.text = try f.string("text") ?? ""
        action.url = try f.string("url") ?? ""
        action.style = try f.string("style") ?? ""
        action.name = try f.string("name") ?? ""
        action.value = try f.string("value") ?? ""
        if let node = f.take("confirm") {
            let c = try node.mapping("config.plain")
            let confirm = ConfirmationField(text: try c.string("text") ?? "", title: try c.string("title") ?? "",
                                            okText: try c.string("ok_text") ?? "", dismissText: try c.string("dismiss_text") ?? "")
            try c.finish()
            if confirm.text.isEmpty { throw node.fail(.invalidConfig, "missing text in Slack confirmation configuration") }
            action.confirm = confirm
        }
        try f.finish()
        if action.type.isEmpty { throw cursor.fail(.invalidConfig, "missing type in Slack action configuration") }
        if action.text.isEmpty { throw cursor.fail(.invalidConfig, "missing text in Slack action configuration") }
        if !action.url.isEmpty {
            action.name = ""
            action.value = ""
            action.confirm = nil
        } else if action.name.isEmpty {
            throw cursor.fail(.invalidConfig, "missing name or url in Slack action configuration")
        }
        return action
    }
}

extension EmailConfig {
    static func decode(_ cursor: ConfigCursor, global: AlertmanagerGlobalConfig) throws(ConfigError) -> EmailConfig {
        let fields = try cursor.mapping("config.plain")
        var config = EmailConfig()
        config.sendResolved = try fields.strictBool("send_resolved") ?? false
        config.to = try fields.string("to") ?? ""
        config.from = try fields.string("from") ?? ""
        config.hello = try fields.string("hello") ?? ""
        config.smarthost = try fields.take("smarthost")?.hostPort() ?? ""
        config.authUsername = try fields.string("auth_username") ?? ""
        config.authPassword = try fields.string("auth_password") ?? ""
        config.authPasswordFile = try fields.filePath("auth_password_file") ?? ""
        config.authSecret = try fields.string("auth_secret") ?? ""
        config.authIdentity = try fields.string("auth_identity") ?? ""
        if let node = fields.take("headers") {
            for (name, value) in try node.stringPairs() {
                let canonical = canonicalMIMEHeaderKey(name)
                if config.headers[canonical] != nil {
                    throw node.fail(.invalidConfig, "duplicate header \(goQuote(canonical)) in email config")
                }
                config.headers[canonical] = value
            }
        }
        config.html = try fields.string("html") ?? config.html
        config.text = try fields.string("text") ?? ""
        let requireTLS = try fields.strictBool("require_tls")
        if fields.take("tls_config") != nil {
            // A second reader over the same mapping lets the shared HTTP client decoder read
            // `tls_config` (same keys and errors); other client keys stay unknown to `fields`.
            config.tlsConfig = try HTTPClientConfig.decode(from: try cursor.mapping("config.plain")).tlsConfig
        }
        try fields.finish()
        if config.to.isEmpty { throw cursor.fail(.invalidConfig, "missing to address in email config") }
        // Globals, in Alertmanager's order.
        if config.smarthost.isEmpty {
            if global.smtpSmarthost.isEmpty { throw cursor.fail(.invalidConfig, "no global SMTP smarthost set") }
            config.smarthost = global.smtpSmarthost
        }
        if config.from.isEmpty {
            if global.smtpFrom.isEmpty { throw cursor.fail(.invalidConfig, "no global SMTP from set") }
            config.from = global.smtpFrom
        }
        if config.hello.isEmpty { config.hello = global.smtpHello }
        if config.authUsername.isEmpty { config.authUsername = global.smtpAuthUsername }
        if config.authPassword.isEmpty, config.authPasswordFile.isEmpty {
            config.authPassword = global.smtpAuthPassword
            config.authPasswordFile = global.smtpAuthPasswordFile
        }
        if config.authSecret.isEmpty { config.authSecret = global.smtpAuthSecret }
        if config.authIdentity.isEmpty { config.authIdentity = global.smtpAuthIdentity }
        config.requireTLS = requireTLS ?? global.smtpRequireTLS
        return config
    }

    /// Go's `textproto.CanonicalMIMEHeaderKey` for the usual ASCII names (`x-team` → `X-Team`).
    static func canonicalMIMEHeaderKey(_ name: String) -> String {
        if name.contains(where: { $0 == " " || !$0.isASCII }) { return name }
        var out = ""
        var upper = true
        for character in name {
            out.append(upper ? Character(character.uppercased()) : Character(character.lowercased()))
            upper = character == "-"
        }
        return out
    }
}

extension PagerdutyConfig {
    static func decode(_ cursor: ConfigCursor, global: AlertmanagerGlobalConfig) throws(ConfigError) -> PagerdutyConfig {
        let fields = try cursor.mapping("config.plain")
        var config = PagerdutyConfig()
        config.sendResolved = try fields.strictBool("send_resolved") ?? true
        config.httpConfig = try fields.take("http_config")?.httpClientConfig() ?? global.httpConfig
        config.serviceKey = try fields.string("service_key") ?? ""
        config.serviceKeyFile = try fields.filePath("service_key_file") ?? ""
        config.routingKey = try fields.string("routing_key") ?? ""
        config.routingKeyFile = try fields.filePath("routing_key_file") ?? ""
        let url = try fields.take("url")?.alertmanagerURL()
        config.client = try fields.string("client") ?? config.client
        config.clientURL = try fields.string("client_url") ?? config.clientURL
        config.description = try fields.string("description") ?? config.description
        config.details = try fields.stringMap("details") ?? [:]
        for item in try fields.take("images")?.sequence() ?? [] {
            let f = try item.mapping("config.plain")
            config.images.append(Image(src: try f.string("src") ?? "", alt: try f.string("alt") ?? "", href: try f.string("href") ?? ""))
            try f.finish()
        }
        for item in try fields.take("links")?.sequence() ?? [] {
            let f = try item.mapping("config.plain")
            config.links.append(Link(href: try f.string("href") ?? "", text: try f.string("text") ?? ""))
            try f.finish()
        }
        config.source = try fields.string("source") ?? ""
        config.severity = try fields.string("severity") ?? ""
        config.class = try fields.string("class") ?? ""
        config.component = try fields.string("component") ?? ""
        config.group = try fields.string("group") ?? ""
        try fields.finish()
        if config.routingKey.isEmpty, config.serviceKey.isEmpty, config.routingKeyFile.isEmpty, config.serviceKeyFile.isEmpty {
            throw cursor.fail(.invalidConfig, "missing service or routing key in PagerDuty config")
        }
        if !config.routingKey.isEmpty, !config.routingKeyFile.isEmpty {
            throw cursor.fail(.invalidConfig, "at most one of routing_key & routing_key_file must be configured")
        }
        if !config.serviceKey.isEmpty, !config.serviceKeyFile.isEmpty {
            throw cursor.fail(.invalidConfig, "at most one of service_key & service_key_file must be configured")
        }
        if config.source.isEmpty { config.source = config.client }
        for (key, value) in defaultDetails where config.details[key] == nil { config.details[key] = value }
        if let url {
            config.url = url
        } else {
            guard let globalURL = global.pagerdutyURL else { throw cursor.fail(.invalidConfig, "no global PagerDuty URL set") }
            config.url = globalURL
        }
        return config
    }
}
