import Foundation
import PharosCore

/// A `file_sd_configs` entry: file globs re-read every `refreshInterval` (and on change).
package struct FileSDConfig: Sendable, Hashable {
    /// Globs, already joined to the config file's folder; the last path element may hold one `*`.
    package var files: [String]
    package var refreshInterval = PrometheusDuration(milliseconds: 5 * 60_000)

    package init(files: [String], refreshInterval: PrometheusDuration = PrometheusDuration(milliseconds: 5 * 60_000)) {
        self.files = files
        self.refreshInterval = refreshInterval
    }
}

/// Reads file-SD target files (JSON or YAML by extension) into target groups.
package enum FileSD {
    /// The label Prometheus adds with the file a group came from.
    package static let filepathLabel = "__meta_filepath"

    /// Reads `path`; each group gets `__meta_filepath` and the source `path:index`.
    /// Throws `ConfigError` naming the file, line and column of the first problem.
    package static func read(_ path: String) throws(ConfigError) -> [TargetGroup] {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ConfigError(.io, file: path, message: "cannot read file: \(error.localizedDescription)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigError(.syntax, file: path, message: "file is not valid UTF-8")
        }
        return try parse(text, path: path)
    }

    /// Parses file content; the format follows the extension of `path` (`.json`, `.yml`, `.yaml`).
    package static func parse(_ text: String, path: String) throws(ConfigError) -> [TargetGroup] {
        let lower = path.lowercased()
        let source: String
        if lower.hasSuffix(".json") {
            // JSON is YAML here, but YAML forbids tab indentation; tabs outside strings are only
            // whitespace in JSON (raw tabs inside strings are invalid JSON), so one-for-one
            // replacement keeps every column.
            source = text.replacingOccurrences(of: "\t", with: " ")
        } else if lower.hasSuffix(".yml") || lower.hasSuffix(".yaml") {
            source = text
        } else {
            throw ConfigError(.invalidValue, file: path, message: "unknown file extension (use .json, .yml or .yaml)")
        }
        let root = ConfigCursor(root: try YAMLNode.parse(source, file: path), file: path, directory: "")
        var groups: [TargetGroup] = []
        for (index, item) in try root.sequence().enumerated() {
            var group = try item.targetGroup(source: "\(path):\(index)")
            group.labels = group.labels.setting(filepathLabel, to: path)
            groups.append(group)
        }
        return groups
    }

    /// True when `pattern` is a file name Prometheus' file SD accepts: a `.json`, `.yml` or
    /// `.yaml` file, with at most one `*` and only in the last path element.
    package static func isValidPattern(_ pattern: String) -> Bool {
        let lastSlash = pattern.lastIndex(of: "/")
        let directory = lastSlash.map { pattern[..<$0] } ?? ""
        let name = lastSlash.map { pattern[pattern.index(after: $0)...] } ?? pattern[...]
        if directory.contains("*") || name.filter({ $0 == "*" }).count > 1 { return false }
        return [".json", ".yml", ".yaml", ".JSON", ".YML", ".YAML"].contains { name.hasSuffix($0) }
    }
}

extension ConfigCursor {
    package func fileSDConfig() throws(ConfigError) -> FileSDConfig {
        let fields = try mapping("file_sd_config")
        guard let filesNode = fields.take("files") else {
            throw fail(.invalidConfig, "file service discovery config must contain at least one path name")
        }
        var files: [String] = []
        for item in try filesNode.sequence() {
            let name = try item.string()
            guard FileSD.isValidPattern(name) else {
                throw item.fail("path name \(goQuote(name)) is not valid for file discovery")
            }
            files.append(resolve(name))
        }
        if files.isEmpty { throw fail(.invalidConfig, "file service discovery config must contain at least one path name") }
        var config = FileSDConfig(files: files)
        if let interval = try fields.duration("refresh_interval") { config.refreshInterval = interval }
        try fields.finish()
        return config
    }
}

extension FileSD {
    /// Reads every file the config's globs match, in sorted order per glob.
    /// Throws on the first unreadable or malformed file (Prometheus keeps the other files'
    /// groups and reports the error; the Scrape module decides which behaviour it wants).
    package static func read(_ config: FileSDConfig) throws(ConfigError) -> [TargetGroup] {
        var groups: [TargetGroup] = []
        for pattern in config.files {
            for path in Glob.paths(matching: pattern) { groups += try read(path) }
        }
        return groups
    }
}
