import PharosConfig

extension AlertmanagerConfig {
    /// The Pharos config's `alertmanager:` section (CONFIG.md): an inline alertmanager.yml, or
    /// `{config_file: FILE}` naming one (relative to the Pharos config's folder). Nil when the
    /// section is absent.
    package static func from(_ config: PharosConfig, options: AlertmanagerLoadOptions = .init()) throws(ConfigError) -> AlertmanagerConfig? {
        guard let cursor = config.cursor(for: "alertmanager") else { return nil }
        if case .mapping(let pairs) = cursor.node.kind, pairs.contains(where: { $0.key == "config_file" }) {
            let fields = try cursor.mapping("alertmanager")
            guard let file = try fields.filePath("config_file") else {
                throw cursor.fail("config_file must name a file")
            }
            try fields.finish()
            return try load(file: file, options: options)
        }
        return try decode(cursor, options: options)
    }
}
