import Foundation

/// The regular expressions `match` and `reReplaceAll` need (Go's `regexp`, RE2 syntax).
///
/// The shipped implementation, `FoundationTemplateRegex`, runs NSRegularExpression, whose
/// syntax is a superset of RE2 for the patterns alert templates use; replacement templates
/// follow Go's `Regexp.Expand` (`$1`, `${1}`, `$name`, `$$`; `$1x` names group `1x`).
/// PharosCore's `RE2Regex` can stand in by conforming to this protocol.
package protocol TemplateRegex: Sendable {
    init(templatePattern pattern: String) throws(TemplateError)
    /// Whether the pattern matches anywhere in `text` (Go's `MatchString`).
    func matches(_ text: String) -> Bool
    /// Go's `ReplaceAllString`.
    func replacingAll(in text: String, with replacement: String) -> String
}

/// NSRegularExpression behind `TemplateRegex`.
package struct FoundationTemplateRegex: TemplateRegex, @unchecked Sendable {
    // NSRegularExpression is immutable and documented thread-safe.
    private let regex: NSRegularExpression
    private let names: [String: Int]

    package init(templatePattern pattern: String) throws(TemplateError) {
        do {
            regex = try NSRegularExpression(pattern: pattern.replacingOccurrences(of: "(?P<", with: "(?<"))
        } catch {
            throw .function("error parsing regexp: invalid or unsupported Perl syntax: `\(pattern)`")
        }
        var names: [String: Int] = [:]
        // Named groups (?P<name>…) and (?<name>…), numbered in order of their opening paren.
        let chars = Array(pattern.utf8)
        var group = 0
        var i = 0
        while i < chars.count {
            if chars[i] == UInt8(ascii: "\\") { i += 2; continue }
            if chars[i] == UInt8(ascii: "(") {
                let rest = String(decoding: chars[(i + 1)...].prefix(64), as: UTF8.self)
                if !rest.hasPrefix("?") || rest.hasPrefix("?P<") || (rest.hasPrefix("?<") && !rest.hasPrefix("?<=") && !rest.hasPrefix("?<!")) {
                    group += 1
                    let start = rest.hasPrefix("?P<") ? 3 : (rest.hasPrefix("?<") ? 2 : -1)
                    if start > 0, let close = rest.firstIndex(of: ">") {
                        names[String(rest[rest.index(rest.startIndex, offsetBy: start)..<close])] = group
                    }
                }
            }
            i += 1
        }
        self.names = names
    }

    package func matches(_ text: String) -> Bool {
        regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }

    package func replacingAll(in text: String, with replacement: String) -> String {
        let ns = text as NSString
        var out = ""
        var last = 0
        for match in regex.matches(in: text, range: NSRange(location: 0, length: ns.length)) {
            out += ns.substring(with: NSRange(location: last, length: match.range.location - last))
            out += expand(replacement) { group in
                guard group < match.numberOfRanges else { return "" }
                let r = match.range(at: group)
                return r.location == NSNotFound ? "" : ns.substring(with: r)
            }
            last = match.range.location + match.range.length
        }
        out += ns.substring(from: last)
        return out
    }

    /// Go's `Regexp.Expand`.
    private func expand(_ template: String, group: (Int) -> String) -> String {
        var out = ""
        var rest = Substring(template)
        while let dollar = rest.firstIndex(of: "$") {
            out += rest[..<dollar]
            rest = rest[rest.index(after: dollar)...]
            if rest.first == "$" {
                out += "$"
                rest = rest.dropFirst()
                continue
            }
            var name: Substring
            if rest.first == "{" {
                guard let close = rest.firstIndex(of: "}") else { out += "$"; continue }
                name = rest[rest.index(after: rest.startIndex)..<close]
                if name.isEmpty || !name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) { out += "$"; continue }
                rest = rest[rest.index(after: close)...]
            } else {
                name = rest.prefix { $0.isLetter || $0.isNumber || $0 == "_" }
                if name.isEmpty { out += "$"; continue }
                rest = rest.dropFirst(name.count)
            }
            if let n = Int(name), n >= 0 {
                out += group(n)
            } else if let n = names[String(name)] {
                out += group(n)
            }
        }
        return out + rest
    }
}
