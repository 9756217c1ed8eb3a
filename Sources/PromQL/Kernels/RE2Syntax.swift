/// Bridges Go's RE2 syntax (what PromQL regexes are written in) to Swift's `Regex`.
///
/// `isSupported` rejects the constructs Swift's regex engine accepts but RE2 does not, so that
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

    /// The pattern in Swift's regex syntax, wrapped so `.` also matches newlines: RE2's
    /// `(?P<name>…)` becomes `(?<name>…)`, the one-letter properties `\pL`/`\PL` become
    /// `\p{L}`/`\P{L}`, a `]` opening a character class and a `[` inside one are escaped.
    static func swiftPattern(_ pattern: String) -> String {
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
}
