import PharosCore

/// A compiled `label_replace(v, dst, replacement, src, regex)`: compile once per call site,
/// then `apply` to every series. Immutable and `Sendable`.
///
/// The regex is an `RE2Regex` compiled as Prometheus 3 does, `^(?s:regex)$`: fully anchored,
/// and `.` matches newlines. The replacement expands `$1`, `${1}`, `$name`, `${name}` and `$$`
/// with Go's `regexp.Expand` rules: a name is the longest run of letters, digits and `_` (so
/// `$1x` is the group named `1x`, which is empty), unknown or unmatched groups expand to "", and
/// a `$` that starts no valid reference is kept literally.
package struct LabelReplacer: Sendable {
    package let destination: String
    package let replacement: String
    package let source: String
    private let regex: RE2Regex

    /// Throws `QueryError.execution` with Prometheus' wording for an invalid regex or
    /// destination label name.
    package init(dst destination: String, replacement: String, src source: String, regex pattern: String) throws(QueryError) {
        do {
            regex = try RE2Regex("^(?s:" + pattern + ")$")
        } catch {
            throw QueryError(.execution, "invalid regular expression in label_replace(): \(pattern)")
        }
        guard LabelNameRules.isValid(destination) else {
            throw QueryError(.execution, "invalid destination label name in label_replace(): \(destination)")
        }
        self.destination = destination
        self.replacement = replacement
        self.source = source
    }

    /// `labels` with `destination` set to the expanded replacement when the source label's
    /// value (empty when absent) matches; unchanged otherwise. An empty result removes the label.
    package func apply(_ labels: Labels) -> Labels {
        let value = labels[source]
        guard let captures = regex.wholeMatchCaptures(value) else { return labels }
        return labels.setting(destination, to: regex.expand(replacement, captures: captures))
    }
}

/// Label-name validity for `label_replace`/`label_join` under Prometheus 3's UTF-8 rules:
/// any non-empty valid UTF-8. Swift strings are always valid UTF-8, so a name that had invalid
/// bytes reaches us with U+FFFD replacement characters; those are rejected too.
fileprivate enum LabelNameRules {
    static func isValid(_ name: String) -> Bool {
        !name.isEmpty && !name.unicodeScalars.contains("\u{FFFD}")
    }
}

extension InstantKernels {
    /// One-shot `label_replace` (compile and apply). Prefer `LabelReplacer` for many series.
    package static func labelReplace(_ labels: Labels, dst: String, replacement: String,
                                     src: String, regex: String) throws(QueryError) -> Labels {
        try LabelReplacer(dst: dst, replacement: replacement, src: src, regex: regex).apply(labels)
    }

    /// Checks `label_join`'s label names; throws `QueryError.execution` with Prometheus'
    /// wording (sources are checked first, then the destination).
    package static func validateLabelJoin(dst destination: String, src sources: [String]) throws(QueryError) {
        for source in sources where !LabelNameRules.isValid(source) {
            throw QueryError(.execution, "invalid source label name in label_join(): \(source)")
        }
        guard LabelNameRules.isValid(destination) else {
            throw QueryError(.execution, "invalid destination label name in label_join(): \(destination)")
        }
    }

    /// `label_join(v, dst, separator, src…)`: sets `destination` to the source values (empty
    /// when absent) joined by `separator`; an empty result removes the label.
    package static func labelJoin(_ labels: Labels, dst destination: String, separator: String,
                                  src sources: [String]) throws(QueryError) -> Labels {
        try validateLabelJoin(dst: destination, src: sources)
        let joined = sources.map { labels[$0] }.joined(separator: separator)
        return labels.setting(destination, to: joined)
    }
}
