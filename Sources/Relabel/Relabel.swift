import PharosCore

/// Applies relabel configs to label sets, with Prometheus' semantics (`relabel.Process`).
package enum Relabel {
    /// Runs `configs` in order over `labels`; nil when a keep/drop-style step drops the set.
    ///
    /// Returns `labels` itself (no allocation) when no step changes anything. Pure and
    /// thread-safe; intended for the per-target and per-sample hot paths.
    package static func process(_ labels: Labels, _ configs: [RelabelConfig]) -> Labels? {
        if configs.isEmpty { return labels }
        var builder = RelabelBuilder(labels)
        for config in configs {
            if !apply(config, to: &builder) { return nil }
        }
        return builder.labels()
    }

    /// Applies one step; false when the label set is dropped.
    static func apply(_ config: RelabelConfig, to builder: inout RelabelBuilder) -> Bool {
        let value: String
        switch config.sourceLabels.count {
        case 0: value = ""
        case 1: value = builder.get(config.sourceLabels[0])
        default: value = config.sourceLabels.map { builder.get($0) }.joined(separator: config.separator)
        }
        switch config.action {
        case .drop:
            if config.regex.matches(value) { return false }
        case .keep:
            if !config.regex.matches(value) { return false }
        case .dropequal:
            // Byte equality, as Go compares strings (Swift's == equates canonical equivalents).
            if builder.get(config.targetLabel).utf8.elementsEqual(value.utf8) { return false }
        case .keepequal:
            if !builder.get(config.targetLabel).utf8.elementsEqual(value.utf8) { return false }
        case .replace:
            replace(config, value, &builder)
        case .lowercase:
            builder.set(config.targetLabel, value.lowercased())
        case .uppercase:
            builder.set(config.targetLabel, value.uppercased())
        case .hashmod:
            let digest = MD5.digest(value.utf8)
            // Prometheus keeps the last 8 bytes of the digest, read big-endian.
            var hash: UInt64 = 0
            for byte in digest[8..<16] { hash = hash << 8 | UInt64(byte) }
            builder.set(config.targetLabel, String(hash % config.modulus))
        case .labelmap:
            for label in builder.snapshot() {
                guard let captures = config.regex.captures(label.name) else { continue }
                let name = config.replacementTemplate.expand(captures, names: config.regex.groupNames)
                if !name.isEmpty { builder.set(name, label.value) }
            }
        case .labeldrop:
            for label in builder.snapshot() where config.regex.matches(label.name) {
                builder.set(label.name, "")
            }
        case .labelkeep:
            for label in builder.snapshot() where !config.regex.matches(label.name) {
                builder.set(label.name, "")
            }
        }
        return true
    }

    private static func replace(_ config: RelabelConfig, _ value: String, _ builder: inout RelabelBuilder) {
        // Fast path: set or delete a constant label.
        if value.isEmpty, config.regexIsDefault, config.targetTemplate.isLiteral, config.replacementTemplate.isLiteral {
            builder.set(config.targetLabel, config.replacement)
            return
        }
        guard let captures = config.regex.captures(value) else { return }
        let names = config.regex.groupNames
        let target = config.targetTemplate.isLiteral
            ? config.targetLabel : config.targetTemplate.expand(captures, names: names)
        guard config.nameValidation.isValid(target) else { return }
        builder.set(target, config.replacementTemplate.expand(captures, names: names))
    }
}

/// A label set under edit: a small unsorted array, sorted once at the end if anything changed.
struct RelabelBuilder {
    private let original: Labels
    private var pairs: [Label]
    private var changed = false

    init(_ labels: Labels) {
        original = labels
        pairs = labels.pairs
    }

    /// The value of `name`, or "" when absent.
    func get(_ name: String) -> String {
        for label in pairs where label.name == name { return label.value }
        return ""
    }

    /// Sets `name`; an empty value deletes it.
    mutating func set(_ name: String, _ value: String) {
        if let index = pairs.firstIndex(where: { $0.name == name }) {
            if value.isEmpty {
                pairs.remove(at: index)
                changed = true
            } else if pairs[index].value != value {
                pairs[index].value = value
                changed = true
            }
        } else if !value.isEmpty {
            pairs.append(Label(name: name, value: value))
            changed = true
        }
    }

    /// The current labels, for steps that iterate while they edit.
    func snapshot() -> [Label] { pairs }

    func labels() -> Labels {
        changed ? Labels(sortedUnchecked: pairs.sorted { $0.name < $1.name }) : original
    }
}
