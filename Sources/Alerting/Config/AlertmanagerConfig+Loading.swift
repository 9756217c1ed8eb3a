import Foundation
import PharosConfig
import PharosCore

extension AlertmanagerConfig {
    /// Reads and validates `path` (Alertmanager's `config.LoadFile`): relative template,
    /// password and URL files are joined to the file's folder.
    package static func load(file path: String, options: AlertmanagerLoadOptions = .init()) throws(ConfigError) -> AlertmanagerConfig {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigError(.io, file: path, message: "cannot read file: \((error as NSError).localizedDescription)")
        }
        let directory = (path as NSString).deletingLastPathComponent
        return try parse(text, file: path, directory: directory.isEmpty ? "." : directory, options: options)
    }

    /// Parses alertmanager.yml text; `file` names it in errors.
    package static func parse(_ text: String, file: String, directory: String = ".",
                              options: AlertmanagerLoadOptions = .init()) throws(ConfigError) -> AlertmanagerConfig {
        let root = try YAMLNode.parse(text, file: file)
        return try decode(ConfigCursor(root: root, file: file, directory: directory), options: options)
    }

    /// Decodes a whole alertmanager.yml document (or the Pharos config's inline `alertmanager:`).
    package static func decode(_ cursor: ConfigCursor, options: AlertmanagerLoadOptions = .init()) throws(ConfigError) -> AlertmanagerConfig {
        var config = AlertmanagerConfig()
        config.file = cursor.file
        config.source = cursor.node
        let fields = try cursor.mapping("config.plain")
        if let node = fields.take("global") { config.global = try AlertmanagerGlobalConfig.decode(node) }
        let global = config.global
        for item in try fields.take("templates")?.sequence() ?? [] { config.templates.append(try item.filePath()) }

        var receiverNames: Set<String> = []
        for item in try fields.take("receivers")?.sequence() ?? [] {
            let receiver = try ReceiverConfig.decode(item, global: global)
            guard receiverNames.insert(receiver.name).inserted else {
                throw item.fail(.invalidConfig, "notification config name \(goQuote(receiver.name)) is not unique")
            }
            config.receivers.append(receiver)
        }
        var intervalNames: Set<String> = []
        for (key, kind) in [("mute_time_intervals", "mute time interval"), ("time_intervals", "time interval")] {
            for item in try fields.take(key)?.sequence() ?? [] {
                let interval = try NamedTimeInterval.decode(item, kind: kind)
                guard intervalNames.insert(interval.name).inserted else {
                    throw item.fail(.invalidConfig, "\(kind) \(goQuote(interval.name)) is not unique")
                }
                if key == "time_intervals" { config.timeIntervals.append(interval) } else { config.muteTimeIntervals.append(interval) }
            }
        }
        for item in try fields.take("inhibit_rules")?.sequence() ?? [] {
            config.inhibitRules.append(try InhibitRuleConfig.decode(item, options: options))
        }
        let routeNode = fields.take("route")
        if let routeNode { config.route = try RouteConfig.decode(routeNode, options: options) }
        try fields.finish()

        guard let routeNode else {
            // Alertmanager words it by where it notices: an empty document never reaches its
            // Config unmarshaller.
            throw cursor.fail(.invalidConfig, cursor.isNull ? "no route provided in config" : "no routes provided")
        }
        let route = config.route
        if route.receiver.isEmpty { throw routeNode.fail(.invalidConfig, "root route must specify a default receiver") }
        if !route.matchers.isEmpty { throw routeNode.fail(.invalidConfig, "root route must not have any matchers") }
        if !route.muteTimeIntervals.isEmpty {
            throw routeNode.fail(.invalidConfig, "root route must not have any mute time intervals")
        }
        if !route.activeTimeIntervals.isEmpty {
            throw routeNode.fail(.invalidConfig, "root route must not have any active time intervals")
        }
        try checkReferences(route, receivers: receiverNames, intervals: intervalNames, file: cursor.file)
        if route.continue { throw routeNode.fail(.invalidConfig, "cannot have continue in root route") }
        config.notices = cursor.notices.items
        return config
    }

    private static func checkReferences(_ route: RouteConfig, receivers: Set<String>, intervals: Set<String>,
                                        file: String) throws(ConfigError) {
        for child in route.routes { try checkReferences(child, receivers: receivers, intervals: intervals, file: file) }
        if !route.receiver.isEmpty, !receivers.contains(route.receiver) {
            let at = route.receiverPosition
            throw ConfigError(.invalidConfig, file: file, line: at.line, column: at.column, keyPath: at.keyPath,
                              message: "undefined receiver \(goQuote(route.receiver)) used in route")
        }
        for name in route.activeTimeIntervals + route.muteTimeIntervals where !intervals.contains(name) {
            let at = route.position
            throw ConfigError(.invalidConfig, file: file, line: at.line, column: at.column, keyPath: at.keyPath,
                              message: "undefined time interval \(goQuote(name)) used in route")
        }
    }
}

extension AlertmanagerGlobalConfig {
    static func decode(_ cursor: ConfigCursor) throws(ConfigError) -> AlertmanagerGlobalConfig {
        let fields = try cursor.mapping("config.plain")
        var g = AlertmanagerGlobalConfig()
        g.resolveTimeout = try fields.duration("resolve_timeout") ?? g.resolveTimeout
        g.httpConfig = try fields.take("http_config")?.httpClientConfig() ?? g.httpConfig
        g.smtpFrom = try fields.string("smtp_from") ?? ""
        g.smtpHello = try fields.string("smtp_hello") ?? g.smtpHello
        g.smtpSmarthost = try fields.take("smtp_smarthost")?.hostPort() ?? ""
        g.smtpAuthUsername = try fields.string("smtp_auth_username") ?? ""
        g.smtpAuthPassword = try fields.string("smtp_auth_password") ?? ""
        g.smtpAuthPasswordFile = try fields.filePath("smtp_auth_password_file") ?? ""
        g.smtpAuthSecret = try fields.string("smtp_auth_secret") ?? ""
        g.smtpAuthIdentity = try fields.string("smtp_auth_identity") ?? ""
        // Go's decoder resets a key given as null to the zero value, which is false here.
        g.smtpRequireTLS = fields.isExplicitNull("smtp_require_tls") ? false : (try fields.strictBool("smtp_require_tls") ?? true)
        g.slackAPIURL = try fields.take("slack_api_url")?.secretURL()
        g.slackAPIURLFile = try fields.filePath("slack_api_url_file") ?? ""
        g.pagerdutyURL = try fields.take("pagerduty_url")?.alertmanagerURL() ?? g.pagerdutyURL
        g.opsgenieAPIURL = try fields.take("opsgenie_api_url")?.alertmanagerURL() ?? g.opsgenieAPIURL
        g.opsgenieAPIKey = try fields.string("opsgenie_api_key") ?? ""
        g.opsgenieAPIKeyFile = try fields.filePath("opsgenie_api_key_file") ?? ""
        g.wechatAPIURL = try fields.take("wechat_api_url")?.alertmanagerURL() ?? g.wechatAPIURL
        g.wechatAPISecret = try fields.string("wechat_api_secret") ?? ""
        g.wechatAPICorpID = try fields.string("wechat_api_corp_id") ?? ""
        g.victoropsAPIURL = try fields.take("victorops_api_url")?.alertmanagerURL() ?? g.victoropsAPIURL
        g.victoropsAPIKey = try fields.string("victorops_api_key") ?? ""
        g.victoropsAPIKeyFile = try fields.filePath("victorops_api_key_file") ?? ""
        g.telegramAPIURL = try fields.take("telegram_api_url")?.alertmanagerURL() ?? g.telegramAPIURL
        g.webexAPIURL = try fields.take("webex_api_url")?.alertmanagerURL() ?? g.webexAPIURL
        try fields.finish()
        let pairs: [(Bool, String)] = [
            (g.slackAPIURL != nil && !g.slackAPIURLFile.isEmpty, "slack_api_url & slack_api_url_file"),
            (!g.opsgenieAPIKey.isEmpty && !g.opsgenieAPIKeyFile.isEmpty, "opsgenie_api_key & opsgenie_api_key_file"),
            (!g.victoropsAPIKey.isEmpty && !g.victoropsAPIKeyFile.isEmpty, "victorops_api_key & victorops_api_key_file"),
            (!g.smtpAuthPassword.isEmpty && !g.smtpAuthPasswordFile.isEmpty, "smtp_auth_password & smtp_auth_password_file"),
        ]
        for (conflict, keys) in pairs where conflict {
            throw cursor.fail(.invalidConfig, "at most one of \(keys) must be configured")
        }
        return g
    }
}

extension InhibitRuleConfig {
    static func decode(_ cursor: ConfigCursor, options: AlertmanagerLoadOptions) throws(ConfigError) -> InhibitRuleConfig {
        let fields = try cursor.mapping("config.plain")
        var rule = InhibitRuleConfig()
        rule.sourceMatchers = try fields.take("source_match")?.equalityMatchers() ?? []
        rule.sourceMatchers += try fields.take("source_match_re")?.regexMatchers() ?? []
        rule.sourceMatchers += try fields.take("source_matchers")?.matcherList(options.matcherSyntax) ?? []
        rule.targetMatchers = try fields.take("target_match")?.equalityMatchers() ?? []
        rule.targetMatchers += try fields.take("target_match_re")?.regexMatchers() ?? []
        rule.targetMatchers += try fields.take("target_matchers")?.matcherList(options.matcherSyntax) ?? []
        for item in try fields.take("equal")?.sequence() ?? [] {
            let name = try item.string()
            guard ConfigCursor.isLegacyLabelName(name) else { throw item.fail("\(goQuote(name)) is not a valid label name") }
            rule.equal.append(name)
        }
        try fields.finish()
        return rule
    }
}
