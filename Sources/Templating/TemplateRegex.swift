import PharosCore

/// The regular expressions `match` and `reReplaceAll` need (Go's `regexp`, RE2 syntax).
///
/// The shipped implementation, `RE2TemplateRegex`, is PharosCore's `RE2Regex`: Go's syntax,
/// errors and leftmost-first semantics; replacement templates follow Go's `Regexp.Expand`
/// (`$1`, `${1}`, `$name`, `$$`; `$1x` names group `1x`).
package protocol TemplateRegex: Sendable {
    init(templatePattern pattern: String) throws(TemplateError)
    /// Whether the pattern matches anywhere in `text` (Go's `MatchString`).
    func matches(_ text: String) -> Bool
    /// Go's `ReplaceAllString`.
    func replacingAll(in text: String, with replacement: String) -> String
}

/// `RE2Regex` behind `TemplateRegex`. Immutable and thread-safe.
package struct RE2TemplateRegex: TemplateRegex {
    private let regex: RE2Regex

    /// Throws `TemplateError.function` with Go's parse error (`error parsing regexp: …`).
    package init(templatePattern pattern: String) throws(TemplateError) {
        do {
            regex = try RE2Regex(pattern)
        } catch {
            throw .function(error.description)
        }
    }

    package func matches(_ text: String) -> Bool { regex.matches(in: text) }

    package func replacingAll(in text: String, with replacement: String) -> String {
        regex.replaceAll(in: text, with: replacement)
    }
}
