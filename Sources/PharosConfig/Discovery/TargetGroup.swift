import PharosCore

/// A group of targets sharing labels (Prometheus' `targetgroup.Group`): what every service
/// discovery publishes and static_configs / file_sd files write.
///
/// Each target is its own label set (`__address__` plus the mechanism's `__meta_*` labels);
/// `labels` apply to every target where the target has no label of that name. Empty values
/// are never stored (`Labels` drops them), as Prometheus' label builder drops them.
package struct TargetGroup: Sendable, Hashable {
    /// One label set per target, in discovery order; `__address__` is the target's address.
    package var targets: [Labels]
    /// Labels common to every target of the group.
    package var labels: Labels
    /// Identifies the group within its discoverer: the static config index, `file:index` for
    /// file SD, `url:index` for HTTP SD, the name for DNS, `pod/ns/name` for Kubernetes…
    /// A later group with the same source replaces this one; one without targets removes it.
    package var source: String

    package init(targets: [Labels], labels: Labels = .empty, source: String = "") {
        self.targets = targets
        self.labels = labels
        self.source = source
    }

    /// A group of bare addresses (static_configs, file SD): each becomes `{__address__="…"}`.
    package init(addresses: [String], labels: Labels = .empty, source: String = "") {
        self.init(targets: addresses.map { Labels([Label(name: TargetGroup.addressLabel, value: $0)]) },
                  labels: labels, source: source)
    }

    /// The `__address__` of each target, in order ("" when a target has none).
    package var addresses: [String] { targets.map { $0[TargetGroup.addressLabel] } }

    /// The label that carries a target's `host:port`.
    package static let addressLabel = "__address__"
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
        return TargetGroup(addresses: targets, labels: labels, source: source)
    }
}
