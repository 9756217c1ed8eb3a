import PharosCore

/// The regular expressions of `match` and `reReplaceAll`: PharosCore's `RE2Regex` (Go's
/// `regexp`: syntax, errors, leftmost-first matching), with replacement templates after Go's
/// `Regexp.Expand` (`$1`, `${1}`, `$name`, `$$`; `$1x` names group `1x`). Thread-safe.
struct TemplateRegex: Sendable {
    private let regex: RE2Regex

    /// Throws `TemplateError.function` with Go's parse error (`error parsing regexp: …`).
    init(templatePattern pattern: String) throws(TemplateError) {
        do {
            regex = try RE2Regex(pattern)
        } catch {
            throw .function(error.description)
        }
    }

    /// Whether the pattern matches anywhere in `text` (Go's `MatchString`).
    func matches(_ text: String) -> Bool { regex.matches(in: text) }

    /// Go's `ReplaceAllString`.
    func replacingAll(in text: String, with replacement: String) -> String {
        regex.replaceAll(in: text, with: replacement)
    }
}
