import Foundation
import PharosCore
import Relabel

/// The whole configuration: `prometheus.yml` plus Pharos' own sections, decoded with
/// positions, defaulted as Prometheus does and validated as a whole.
///
/// A plain value: build it with `loadConfig(path:)` / `parseConfig(_:filename:)` (or
/// `PharosConfig.default(listenAddress:)`), compare it, pass it across tasks.
package struct PharosConfig: Sendable, Hashable {
    package var global = GlobalConfig()
    package var scrapeConfigs: [ScrapeConfig] = []
    /// Globs of additional scrape-config files, joined to the config folder (not loaded yet).
    package var scrapeConfigFiles: [String] = []
    /// Rule-file globs, joined to the config folder; loaded by the Rules module.
    package var ruleFiles: [String] = []
    /// `alerting:` (alertmanagers, alert_relabel_configs): Prometheus' notifier.
    package var alerting = AlertingConfig()
    package var remoteWrite: [RemoteWriteConfig] = []
    package var remoteRead: [RemoteReadConfig] = []
    package var storage = StorageConfig()
    /// Prometheus sections accepted but not used by Pharos (`tracing`, `otlp`, `runtime`).
    package var ignoredSections: [String: YAMLNode] = [:]

    // Pharos' own sections (see CONFIG.md), kept raw until their modules model them.
    package var alertmanager: YAMLNode?
    package var escalations: YAMLNode?
    package var silenceNotices: YAMLNode?
    package var probes: YAMLNode?
    package var maintenance: YAMLNode?
    package var slos: YAMLNode?
    package var dashboards: YAMLNode?
    package var health: YAMLNode?

    /// The file this config was read from ("" for the embedded default) and its folder, so
    /// sections kept raw can be decoded later with positioned errors (`cursor(for:)`).
    package var file = ""
    package var directory = ""
    /// Settings that loaded but have no effect in Pharos yet (other service discoveries,
    /// `oauth2`, `query_log_file`, `tracing`…), in document order.
    package var notices: [ConfigNotice] = []

    package init() {}

    /// A decoding cursor on a raw top-level section (`alertmanager`, `escalations`,
    /// `silence_notices`, `probes`, `maintenance`, `slos`, `dashboards`); nil when absent.
    package func cursor(for section: String) -> ConfigCursor? {
        let node: YAMLNode? = switch section {
        case "alertmanager": alertmanager
        case "escalations": escalations
        case "silence_notices": silenceNotices
        case "probes": probes
        case "maintenance": maintenance
        case "slos": slos
        case "dashboards": dashboards
        case "health": health
        default: ignoredSections[section]
        }
        return node.map { ConfigCursor(node: $0, path: section, file: file, directory: directory) }
    }

    /// The embedded default: Prometheus' global defaults and two jobs scraping Pharos itself at
    /// `listenAddress` (`host:port`) every 15s: `pharos` (its own `/metrics`) and `node` (the
    /// built-in node exporter's `/metrics/node`, so node_exporter dashboards and alerts work).
    package static func `default`(listenAddress: String) -> PharosConfig {
        var config = PharosConfig()
        var job = ScrapeConfig(jobName: "pharos", global: config.global)
        job.scrapeInterval = PrometheusDuration(milliseconds: 15_000)
        job.scrapeTimeout = min(config.global.scrapeTimeout, job.scrapeInterval)
        job.staticConfigs = [TargetGroup(addresses: [listenAddress], source: "0")]
        var node = job
        node.jobName = "node"
        node.metricsPath = "/metrics/node"
        config.scrapeConfigs = [job, node]
        return config
    }

    /// The scrape config named `jobName`, if any.
    package func scrapeConfig(named jobName: String) -> ScrapeConfig? {
        scrapeConfigs.first { $0.jobName == jobName }
    }
}

/// Reads and validates the config at `path`. Relative file names inside (rule files,
/// credentials, file SD globs) are resolved against the config file's folder.
package func loadConfig(
    path: String, environment: [String: String] = ProcessInfo.processInfo.environment
) throws(ConfigError) -> PharosConfig {
    let data: Data
    do {
        data = try Data(contentsOf: URL(fileURLWithPath: path))
    } catch {
        throw ConfigError(.io, file: path, message: "cannot read config file: \(error.localizedDescription)")
    }
    guard let text = String(data: data, encoding: .utf8) else {
        throw ConfigError(.syntax, file: path, message: "config file is not valid UTF-8")
    }
    return try parseConfig(text, filename: path, environment: environment)
}

/// Decodes and validates config text; `filename` names the file in errors and its folder
/// resolves relative file names; `environment` feeds `$VAR` in external labels.
package func parseConfig(
    _ text: String, filename: String, environment: [String: String] = ProcessInfo.processInfo.environment
) throws(ConfigError) -> PharosConfig {
    let directory = (filename as NSString).deletingLastPathComponent
    let root = ConfigCursor(root: try YAMLNode.parse(text, file: filename), file: filename, directory: directory,
                            environment: environment)
    return try PharosConfig.decode(root)
}

extension PharosConfig {
    static func decode(_ root: ConfigCursor) throws(ConfigError) -> PharosConfig {
        var config = PharosConfig()
        config.file = root.file
        config.directory = root.directory
        let fields = try root.mapping("config")
        if let node = fields.take("global") { config.global = try GlobalConfig.decode(node) }
        let validation = config.global.metricNameValidationScheme

        var jobNodes: [String: ConfigCursor] = [:]
        for item in try fields.take("scrape_configs")?.sequence() ?? [] {
            if item.isNull { throw item.fail(.invalidConfig, "empty or null scrape config section") }
            let job = try ScrapeConfig.decode(item, global: config.global)
            if jobNodes[job.jobName] != nil {
                let at = item.node["job_name"].map { item.child("job_name", $0) } ?? item
                throw at.fail(.invalidConfig, "found multiple scrape configs with job name \(goQuote(job.jobName))")
            }
            jobNodes[job.jobName] = item
            config.scrapeConfigs.append(job)
        }
        for item in try fields.take("scrape_config_files")?.sequence() ?? [] {
            let pattern = try item.string()
            if !isValidRulePath(pattern) { throw item.fail("invalid scrape config file path \(goQuote(pattern))") }
            config.scrapeConfigFiles.append(item.resolve(pattern))
        }
        for item in try fields.take("rule_files")?.sequence() ?? [] {
            let pattern = try item.string()
            if !isValidRulePath(pattern) {
                throw item.fail("invalid rule file path \(goQuote(pattern))")
            }
            config.ruleFiles.append(item.resolve(pattern))
        }
        if let node = fields.take("alerting") { config.alerting = try node.alertingConfig(validation) }
        var writeNames: Set<String> = []
        for item in try fields.take("remote_write")?.sequence() ?? [] {
            if item.isNull { throw item.fail(.invalidConfig, "empty or null remote write config section") }
            let write = try item.remoteWriteConfig(validation)
            if let name = write.name, !name.isEmpty, !writeNames.insert(name).inserted {
                throw item.fail(.invalidConfig, "found multiple remote write configs with job name \(goQuote(name))")
            }
            config.remoteWrite.append(write)
        }
        var readNames: Set<String> = []
        for item in try fields.take("remote_read")?.sequence() ?? [] {
            if item.isNull { throw item.fail(.invalidConfig, "empty or null remote read config section") }
            let read = try item.remoteReadConfig()
            if let name = read.name, !name.isEmpty, !readNames.insert(name).inserted {
                throw item.fail(.invalidConfig, "found multiple remote read configs with job name \(goQuote(name))")
            }
            config.remoteRead.append(read)
        }
        if let node = fields.take("storage") { config.storage = try StorageConfig.decode(node) }
        for key in ["tracing", "otlp", "runtime"] {
            if let node = fields.take(key) {
                config.ignoredSections[key] = node.node
                node.note("accepted and ignored: Pharos does not use \(key)")
            }
        }
        config.alertmanager = fields.raw("alertmanager")
        config.escalations = fields.raw("escalations")
        config.silenceNotices = fields.raw("silence_notices")
        config.probes = fields.raw("probes")
        config.maintenance = fields.raw("maintenance")
        config.slos = fields.raw("slos")
        config.dashboards = fields.raw("dashboards")
        config.health = fields.raw("health")
        try fields.finish()
        config.notices = root.notices.items.sorted { ($0.line, $0.column) < ($1.line, $1.column) }
        return config
    }

    /// Prometheus' `^[^*]*(\*[^/]*)?$`: at most one `*`, and only in the last path element.
    private static func isValidRulePath(_ pattern: String) -> Bool {
        guard let star = pattern.firstIndex(of: "*") else { return true }
        let rest = pattern[pattern.index(after: star)...]
        return !rest.contains("*") && !rest.contains("/")
    }
}
