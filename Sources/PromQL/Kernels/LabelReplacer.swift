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
            regex = try Regex(Self.translate(pattern)).matchingSemantics(.unicodeScalar)
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

    /// The pattern in Swift's regex syntax, wrapped so `.` also matches newlines: RE2's
    /// `(?P<name>…)` becomes `(?<name>…)`, the one-letter properties `\pL`/`\PL` become
    /// `\p{L}`/`\P{L}`, a `]` opening a character class and a `[` inside one are escaped.
    private static func translate(_ pattern: String) -> String {
        let chars = Array(pattern.unicodeScalars)
        var out = String.UnicodeScalarView()
        var i = 0
        var inClass = false
        var classStart = -1   // index right after the "[" or "[^" that opened the current class
        while i < chars.count {
            let c = chars[i]
            if c == "\\", i + 1 < chars.count {
                let next = chars[i + 1]
                if (next == "p" || next == "P"), i + 2 < chars.count, chars[i + 2] != "{" {
                    out.append(contentsOf: "\\\(next){\(chars[i + 2])}".unicodeScalars)
                    i += 3
                } else {
                    out.append(c)
                    out.append(next)
                    i += 2
                }
                continue
            }
            if inClass {
                if c == "]" && i == classStart {
                    out.append(contentsOf: "\\]".unicodeScalars)
                } else if c == "[", i + 1 < chars.count, chars[i + 1] == ":",
                          let end = (i + 2..<chars.count).first(where: { chars[$0] == "]" }) {
                    out.append(contentsOf: chars[i...end])   // POSIX class such as [:alpha:]
                    i = end + 1
                    continue
                } else if c == "[" {
                    out.append(contentsOf: "\\[".unicodeScalars)   // literal in RE2, a nested class in Swift
                } else {
                    if c == "]" { inClass = false }
                    out.append(c)
                }
                i += 1
                continue
            }
            if c == "[" {
                inClass = true
                classStart = i + 1 < chars.count && chars[i + 1] == "^" ? i + 2 : i + 1
                out.append(contentsOf: chars[i..<classStart])
                i = classStart
                continue
            } else if c == "(", i + 2 < chars.count, chars[i + 1] == "?", chars[i + 2] == "P" {
                out.append(contentsOf: "(?".unicodeScalars)
                i += 3
                continue
            }
            out.append(c)
            i += 1
        }
        return "(?s:" + String(out) + ")"
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

/// Rejects the constructs Swift's regex engine accepts but Go's RE2 does not, so that
/// `label_replace` fails where Prometheus fails: lookaround, backreferences, atomic groups,
/// conditionals and possessive or doubled quantifiers. Escapes and character classes are
/// skipped over.
enum RE2Syntax {
    static func isSupported(_ pattern: String) -> Bool {
        let chars = Array(pattern.unicodeScalars)
        var i = 0
        var afterQuantifier = false
        while i < chars.count {
            let c = chars[i]
            switch c {
            case "\\":
                guard i + 1 < chars.count else { return false }
                let next = chars[i + 1]
                if ("1"..."9").contains(next) || next == "k" || next == "g" { return false }
                i += 2
                afterQuantifier = false
                continue
            case "[":
                i = skipClass(chars, from: i)
                afterQuantifier = false
                continue
            case "(":
                if i + 2 < chars.count, chars[i + 1] == "?" {
                    let kind = chars[i + 2]
                    if kind == "=" || kind == "!" || kind == ">" || kind == "|" || kind == "(" { return false }
                    if kind == "<", i + 3 < chars.count, chars[i + 3] == "=" || chars[i + 3] == "!" { return false }
                }
                afterQuantifier = false
            case "*", "+":
                if afterQuantifier { return false }
                afterQuantifier = true
            case "?":
                // A lazy marker after a quantifier is fine; a second one is not.
                if afterQuantifier, i > 0, chars[i - 1] == "?" { return false }
                afterQuantifier = true
            case "}":
                afterQuantifier = true
            default:
                afterQuantifier = false
            }
            i += 1
        }
        return true
    }

    /// The index after the character class starting at `start` (a `]` right after `[` or `[^`
    /// is a literal).
    private static func skipClass(_ chars: [Unicode.Scalar], from start: Int) -> Int {
        var i = start + 1
        if i < chars.count, chars[i] == "^" { i += 1 }
        if i < chars.count, chars[i] == "]" { i += 1 }
        while i < chars.count {
            if chars[i] == "\\" { i += 2; continue }
            if chars[i] == "[", i + 1 < chars.count, chars[i + 1] == ":" {
                // POSIX class such as [:alpha:]
                if let end = (i + 2..<chars.count).first(where: { chars[$0] == "]" }) { i = end + 1; continue }
            }
            if chars[i] == "]" { return i + 1 }
            i += 1
        }
        return i
    }
}

/// Label-name validity for `label_replace`/`label_join` under Prometheus 3's UTF-8 rules:
/// any non-empty valid UTF-8. Swift strings are always valid UTF-8, so a name that had invalid
/// bytes reaches us with U+FFFD replacement characters; those are rejected too.
enum LabelNameRules {
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
