import Foundation
import PharosConfig
import PharosCore

/// The `probes:` section (CONFIG.md): blackbox.yml modules from `config_file` and/or inline
/// `modules:` (inline wins on a name clash), and the scheduled `checks:`.
package struct ProbesConfig: Sendable, Hashable {
    package var modules: [String: ProbeModule] = [:]
    package var checks: [ProbeCheck] = []
    package init() {}

    /// Decodes `config.probes` (absent: no modules, no checks). `config_file` is read now,
    /// relative to the config's folder, with errors naming that file.
    package static func decode(_ config: PharosConfig) throws(ConfigError) -> ProbesConfig {
        guard let cursor = config.cursor(for: "probes") else { return ProbesConfig() }
        return try decode(cursor)
    }

    package static func decode(_ cursor: ConfigCursor) throws(ConfigError) -> ProbesConfig {
        var probes = ProbesConfig()
        let fields = try cursor.mapping("probes")
        if let file = try fields.filePath("config_file") {
            for (name, module) in try loadBlackboxFile(file) { probes.modules[name] = module }
        }
        if let node = fields.take("modules") {
            for (name, module) in try ProbeModule.decodeModules(node) { probes.modules[name] = module }
        }
        var names: Set<String> = []
        for item in try fields.take("checks")?.sequence() ?? [] {
            let check = try ProbeCheck.decode(item)
            guard names.insert(check.name).inserted else {
                throw item.fail(.invalidConfig, "found multiple checks named \(goQuote(check.name))")
            }
            guard probes.modules[check.module] != nil else {
                let at = item.node["module"].map { item.child("module", $0) } ?? item
                throw at.fail(.invalidConfig, "unknown module \(goQuote(check.module))")
            }
            probes.checks.append(check)
        }
        try fields.finish()
        return probes
    }

    /// Reads blackbox_exporter's own file (`modules:` at the top, nothing else).
    package static func loadBlackboxFile(_ path: String) throws(ConfigError) -> [(String, ProbeModule)] {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw ConfigError(.io, file: path, message: "error reading config file: \((error as NSError).localizedDescription)")
        }
        return try parseBlackbox(text, file: path)
    }

    package static func parseBlackbox(_ text: String, file: String) throws(ConfigError) -> [(String, ProbeModule)] {
        let directory = (file as NSString).deletingLastPathComponent
        let root = ConfigCursor(root: try YAMLNode.parse(text, file: file), file: file, directory: directory)
        let fields = try root.mapping("config.plain")
        let modules = try fields.take("modules").map { node throws(ConfigError) in try ProbeModule.decodeModules(node) } ?? []
        try fields.finish()
        return modules
    }
}

/// One scheduled probe of `probes.checks`.
package struct ProbeCheck: Sendable, Hashable {
    package var name: String
    package var target: String
    package var module: String
    package var interval = PrometheusDuration(milliseconds: 30_000)
    /// Defaults to the module's timeout, else the interval; never above the interval.
    package var timeout: PrometheusDuration?
    package var labels = Labels([])

    package init(name: String, target: String, module: String) {
        self.name = name
        self.target = target
        self.module = module
    }

    static func decode(_ cursor: ConfigCursor) throws(ConfigError) -> ProbeCheck {
        let fields = try cursor.mapping("check")
        guard let name = try fields.string("name"), !name.isEmpty else { throw cursor.fail(.invalidConfig, "check name must be set") }
        guard let target = try fields.string("target"), !target.isEmpty else {
            throw cursor.fail(.invalidConfig, "check \(goQuote(name)): target must be set")
        }
        guard let module = try fields.string("module"), !module.isEmpty else {
            throw cursor.fail(.invalidConfig, "check \(goQuote(name)): module must be set")
        }
        var check = ProbeCheck(name: name, target: target, module: module)
        if let node = fields.take("interval") {
            check.interval = try node.duration()
            if check.interval.milliseconds <= 0 { throw node.fail("interval must be greater than 0") }
        }
        if let node = fields.take("timeout") {
            let timeout = try node.duration()
            if timeout.milliseconds > check.interval.milliseconds {
                throw node.fail(.invalidConfig, "timeout \(timeout) is greater than the interval \(check.interval)")
            }
            check.timeout = timeout
        }
        if let node = fields.take("labels") {
            check.labels = try node.labels()
            for reserved in ["check", "instance", "__name__"] where !check.labels[reserved].isEmpty {
                throw node.fail(.invalidConfig, "label \(goQuote(reserved)) is set by Pharos and cannot be configured")
            }
        }
        try fields.finish()
        return check
    }
}
