import Foundation
import PharosCore

/// A compiled `label_replace(v, dst, replacement, src, regex)`: compile once per call site,
/// then `apply` to every series. Not `Sendable` (Swift's `Regex<AnyRegexOutput>` is not): build one per task.
///
/// The regex is fully anchored and `.` matches newlines (Prometheus wraps it as `^(?s:…)$`).
/// The replacement expands `$1`, `${1}`, `$name`, `${name}` and `$$` with Go's
/// `regexp.Expand` rules: a name is the longest run of letters, digits and `_` (so `$1x` is
/// the group named `1x`, which is empty), unknown or unmatched groups expand to "", and a `$`
/// that starts no valid reference is kept literally.
package struct LabelReplacer {
    package let destination: String
    package let replacement: String
    package let source: String
    private let regex: Regex<AnyRegexOutput>

    /// Throws `QueryError.execution` with Prometheus' wording for an invalid regex or
    /// destination label name.
    package init(dst destination: String, replacement: String, src source: String, regex pattern: String) throws(QueryError) {
        do {
            guard RE2Syntax.isSupported(pattern) else { throw QueryError(.execution, "unsupported by RE2") }
            regex = try Regex(RE2Syntax.swiftPattern(pattern)).matchingSemantics(.unicodeScalar)
            // Swift compiles lazily; a match attempt surfaces late syntax errors now.
            _ = try regex.wholeMatch(in: "")
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
        guard let match = try? regex.wholeMatch(in: value) else { return labels }
        return labels.setting(destination, to: Self.expand(replacement, match.output))
    }

    /// Go's `regexp.Expand` over a match's groups.
    static func expand(_ template: String, _ output: AnyRegexOutput) -> String {
        var result = ""
        var rest = Substring(template)
        while let dollar = rest.firstIndex(of: "$") {
            result += rest[..<dollar]
            rest = rest[rest.index(after: dollar)...]
            if rest.first == "$" {
                result += "$"
                rest = rest.dropFirst()
                continue
            }
            guard let (name, remainder) = extractName(rest) else {
                result += "$"
                continue
            }
            rest = remainder
            if let number = groupNumber(name) {
                if number < output.count, let text = output[number].substring { result += text }
            } else if let group = output[String(name)], let text = group.substring {
                result += text
            }
        }
        return result + rest
    }

    /// The reference after a `$`: `name` or `{name}`, name = letters, digits, `_`.
    private static func extractName(_ text: Substring) -> (Substring, Substring)? {
        var body = text
        let braced = body.first == "{"
        if braced { body = body.dropFirst() }
        let end = body.firstIndex { !($0.isLetter || $0.isNumber || $0 == "_") } ?? body.endIndex
        guard end != body.startIndex else { return nil }
        let name = body[..<end]
        var remainder = body[end...]
        if braced {
            guard remainder.first == "}" else { return nil }
            remainder = remainder.dropFirst()
        }
        return (name, remainder)
    }

    /// A group number: ASCII digits without a leading zero (except "0"), below 1e8.
    private static func groupNumber(_ name: Substring) -> Int? {
        var number = 0
        for scalar in name.unicodeScalars {
            guard scalar.value >= 48, scalar.value <= 57, number < 100_000_000 else { return nil }
            number = number * 10 + Int(scalar.value - 48)
        }
        if name.count > 1 && name.first == "0" { return nil }
        return number
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
