import PharosConfig
import PharosCore
import Relabel

/// The Alertmanagers one `alertmanagers:` entry found: active ones (deduplicated by URL, in
/// discovery order) and the ones its `relabel_configs` dropped.
package struct AlertmanagerEndpoints: Sendable, Hashable {
    package var active: [String] = []
    package var dropped: [String] = []
    /// One line per target group that could not be turned into Alertmanagers.
    package var errors: [String] = []

    package init() {}

    /// Prometheus' `alertmanagerFromGroup` over every group, then the dedup of
    /// `alertmanagerSet.sync`: each target gets `__scheme__` (the config's scheme) and
    /// `__alerts_path__` (`path_prefix` + `/api/v2/alerts`), group labels it lacks, then the
    /// relabel rules; the URL is `<__scheme__>://<__address__><__alerts_path__>`.
    package init(config: AlertmanagerSetConfig, groups: [TargetGroup]) {
        let alertsPath = Self.joinPath(config.pathPrefix, "/api/\(config.apiVersion)/alerts")
        var seen: Set<String> = []
        groups: for group in groups {
            var active: [String] = []
            var dropped: [String] = []
            for target in group.targets {
                var labels = target.setting("__scheme__", to: config.scheme).setting("__alerts_path__", to: alertsPath)
                for label in group.labels where !target.has(label.name) {
                    labels = labels.setting(label.name, to: label.value)
                }
                guard let kept = Relabel.process(labels, config.relabelConfigs) else {
                    dropped.append(Self.url(labels))
                    continue
                }
                let address = kept["__address__"]
                if address.contains("/") {
                    errors.append("creating discovered Alertmanagers failed: \(goQuote(address)) is not a valid hostname")
                    continue groups
                }
                active.append(Self.url(kept))
            }
            self.dropped += dropped
            for url in active where seen.insert(url).inserted { self.active.append(url) }
        }
    }

    static func url(_ labels: Labels) -> String {
        "\(labels["__scheme__"])://\(labels["__address__"])\(labels["__alerts_path__"])"
    }

    /// Go's `path.Join("/", prefix, path)`: one slash between elements, `.` and `..` resolved.
    static func joinPath(_ prefix: String, _ path: String) -> String {
        var parts: [Substring] = []
        for element in (prefix + "/" + path).split(separator: "/", omittingEmptySubsequences: true) {
            switch element {
            case ".": continue
            case "..": if !parts.isEmpty { parts.removeLast() }
            default: parts.append(element)
            }
        }
        return "/" + parts.joined(separator: "/")
    }
}
