import PharosCore

/// Builds the `__meta_kubernetes_*` label sets of targets and groups (Prometheus' names).
/// Later values for a name win; empty values are dropped when the set becomes `Labels`.
struct MetaLabels {
    static let prefix = "__meta_kubernetes_"
    static let namespace = prefix + "namespace"

    private(set) var values: [String: String] = [:]

    init() {}

    init(_ pairs: [(String, String?)]) {
        for (name, value) in pairs { set(name, value) }
    }

    /// Sets `prefix + name`; nil leaves it unset.
    mutating func set(_ name: String, _ value: String?) {
        guard let value else { return }
        values[Self.prefix + name] = value
    }

    /// Sets a full label name (`__address__`, `instance`).
    mutating func setRaw(_ name: String, _ value: String) { values[name] = value }

    mutating func merge(_ other: MetaLabels) { values.merge(other.values) { $1 } }

    /// `<role>_name`, then labels and annotations (Prometheus' `addObjectMetaLabels`).
    mutating func addObjectMeta(_ meta: ObjectMeta, role: String) {
        set("\(role)_name", meta.name)
        addLabelsAndAnnotations(meta, resource: role)
    }

    /// `<resource>_label_<name>`, `_labelpresent_`, `_annotation_`, `_annotationpresent_`, names
    /// sanitized as Prometheus' `strutil.SanitizeLabelName`.
    mutating func addLabelsAndAnnotations(_ meta: ObjectMeta, resource: String) {
        for (key, value) in meta.labels ?? [:] {
            let name = Self.sanitize(key)
            set("\(resource)_label_\(name)", value)
            set("\(resource)_labelpresent_\(name)", "true")
        }
        for (key, value) in meta.annotations ?? [:] {
            let name = Self.sanitize(key)
            set("\(resource)_annotation_\(name)", value)
            set("\(resource)_annotationpresent_\(name)", "true")
        }
    }

    var labels: Labels { Labels(values.map { Label(name: $0.key, value: $0.value) }) }

    /// Every Unicode scalar outside `[a-zA-Z0-9_]` becomes `_` (Go's regexp replaces per rune).
    static func sanitize(_ name: String) -> String {
        var out = ""
        out.unicodeScalars.reserveCapacity(name.unicodeScalars.count)
        for scalar in name.unicodeScalars {
            let value = scalar.value
            let valid = (value >= 0x61 && value <= 0x7a) || (value >= 0x41 && value <= 0x5a) || (value >= 0x30 && value <= 0x39) || value == 0x5f
            out.unicodeScalars.append(valid ? scalar : "_")
        }
        return out
    }

    /// Go's `net.JoinHostPort`.
    static func joinHostPort(_ host: String, _ port: Int) -> String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }
}
