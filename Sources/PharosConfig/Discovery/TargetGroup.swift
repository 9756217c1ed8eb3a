import PharosCore

/// A group of targets sharing labels, as static_configs and file_sd files write them.
package struct TargetGroup: Sendable, Hashable {
    /// Target addresses (`host:port`), in file order; each becomes the `__address__` label.
    package var targets: [String]
    /// Labels common to every target of the group.
    package var labels: Labels
    /// Where the group came from: the static config index, or `file:index` for file SD.
    package var source: String

    package init(targets: [String], labels: Labels = .empty, source: String = "") {
        self.targets = targets
        self.labels = labels
        self.source = source
    }
}

extension ConfigCursor {
    /// `{targets: [...], labels: {...}}`; unknown keys are errors.
    package func targetGroup(source: String, validation: LabelNameValidationScheme = .utf8) throws(ConfigError) -> TargetGroup {
        let fields = try mapping("target_group")
        var targets: [String] = []
        if let list = fields.take("targets") {
            for item in try list.sequence() {
                let address = try item.string()
                if address.isEmpty { throw item.fail("empty target address") }
                targets.append(address)
            }
        }
        let labels = try fields.take("labels")?.labels(validation) ?? .empty
        try fields.finish()
        return TargetGroup(targets: targets, labels: labels, source: source)
    }
}
