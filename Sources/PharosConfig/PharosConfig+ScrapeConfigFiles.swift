import Foundation
import PharosCore

extension PharosConfig {
    /// The scrape configs of the main file followed by those of every file matched by
    /// `scrape_config_files`, read now and validated against this config's `global`.
    ///
    /// Such files hold only `scrape_configs:`; relative names inside them resolve against
    /// their own folder. A job name used twice anywhere is an error naming where it was first.
    package func resolvedScrapeConfigs() throws(ConfigError) -> [ScrapeConfig] {
        var configs = scrapeConfigs
        var firstSeen: [String: String] = [:]
        for config in scrapeConfigs { firstSeen[config.jobName] = "main config file" }
        for pattern in scrapeConfigFiles {
            for path in Glob.paths(matching: pattern) {
                let text: String
                do {
                    text = try String(contentsOfFile: path, encoding: .utf8)
                } catch {
                    throw ConfigError(.io, file: path, message: "cannot read scrape config file: \(error.localizedDescription)")
                }
                let directory = (path as NSString).deletingLastPathComponent
                let root = ConfigCursor(root: try YAMLNode.parse(text, file: path), file: path, directory: directory)
                let fields = try root.mapping("scrape_configs file")
                for item in try fields.take("scrape_configs")?.sequence() ?? [] {
                    if item.isNull { throw item.fail(.invalidConfig, "empty or null scrape config section") }
                    let job = try ScrapeConfig.decode(item, global: global)
                    if let first = firstSeen[job.jobName] {
                        let at = item.node["job_name"].map { item.child("job_name", $0) } ?? item
                        throw at.fail(.invalidConfig,
                                      "found multiple scrape configs with job name \(goQuote(job.jobName)), first found in \(first)")
                    }
                    firstSeen[job.jobName] = goQuote(path)
                    configs.append(job)
                }
                try fields.finish()
            }
        }
        return configs
    }
}
