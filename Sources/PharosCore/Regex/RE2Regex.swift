/// A compiled regular expression with Go `regexp` (RE2) syntax and semantics: leftmost-first
/// matching, captures as Go reports them, and time linear in the input (a Pike VM, never
/// backtracking). Matching works on Unicode scalars.
///
/// Immutable and thread-safe. Equality and hashing are by pattern text and options.
/// Prometheus anchors its regexes as `^(?s:…)$`: matchers, relabel rules and
/// `label_replace` use `wholeMatch` on a regex built with `dotMatchesNewline: true`.
package struct RE2Regex: Sendable, Hashable, CustomStringConvertible {
    /// The pattern as written.
    package let pattern: String
    /// Whether `.` also matches `\n` outside any `(?s)` (Go's `syntax.DotNL`).
    package let dotMatchesNewline: Bool
    private let compiled: Compiled

    private final class Compiled: Sendable {
        let program: RegexProgram
        let groupNames: [String?]
        let fastPath: RegexFastPath?
        let literalAlternatives: [String]?
        /// `(.*)` with `.` matching everything: a whole match captures the whole value.
        let capturesAll: Bool
        /// UTF-8 bytes every whole match starts with (`__meta_kubernetes_pod_label_(.+)`),
        /// checked before running the machine.
        let requiredPrefix: [UInt8]

        init(_ result: RegexParser.Result) {
            program = RegexProgram(result.node, groupCount: result.groupNames.count - 1)
            groupNames = result.groupNames
            fastPath = RegexFastPath.analyze(result.node)
            literalAlternatives = RegexFastPath.literalAlternatives(result.node)
            var node = result.node
            if case .concat(let items) = node, items.count == 3, case .beginText = items[0], case .endText = items[2] { node = items[1] }
            if case .capture(1, _, .repeat(.anyChar, 0, -1, _)) = node { capturesAll = true } else { capturesAll = false }
            requiredPrefix = Array(RegexFastPath.literalPrefix(result.node).utf8)
        }

        func rejectsEarly(_ text: String) -> Bool {
            !requiredPrefix.isEmpty && !text.utf8.starts(with: requiredPrefix)
        }
    }

    /// Parses `pattern` as Go's `regexp.Compile` does (Perl syntax); throws Go's parse errors.
    package init(_ pattern: String, dotMatchesNewline: Bool = false) throws(RE2Error) {
        self.pattern = pattern
        self.dotMatchesNewline = dotMatchesNewline
        compiled = Compiled(try RegexParser.parse(pattern, dotMatchesNewline: dotMatchesNewline))
    }

    package var description: String { pattern }

    /// Names of the groups by index; index 0 (the whole match) and unnamed groups are nil.
    package var groupNames: [String?] { compiled.groupNames }

    /// The number of capturing groups (not counting the whole match).
    package var captureCount: Int { compiled.groupNames.count - 1 }

    /// For a pattern that is only a case-sensitive alternation of literals (`a|b|c`, `foo`),
    /// those literals in order; nil otherwise. A whole match is exactly membership in this list.
    package var literalAlternatives: [String]? { compiled.literalAlternatives }

    /// True when all of `text` matches (as `^(?:pattern)$`).
    package func wholeMatch(_ text: String) -> Bool {
        if let fast = compiled.fastPath { return fast.matches(text) }
        if compiled.rejectsEarly(text) { return false }
        return RegexPikeVM(program: compiled.program)
            .run(text, from: text.startIndex, anchorStart: true, anchorEnd: true, wantCaptures: false) != nil
    }

    /// The groups of a whole match of `text` (index 0 is all of `text`), or nil without one.
    /// A group that did not take part is nil.
    package func wholeMatchCaptures(_ text: String) -> [Substring?]? {
        if compiled.capturesAll { return [text[...], text[...]] }
        if let fast = compiled.fastPath {
            guard fast.matches(text) else { return nil }
            if captureCount == 0 { return [text[...]] }
        } else if compiled.rejectsEarly(text) {
            return nil
        }
        guard let slots = RegexPikeVM(program: compiled.program)
            .run(text, from: text.startIndex, anchorStart: true, anchorEnd: true, wantCaptures: true) else { return nil }
        return Self.substrings(slots, in: text)
    }

    /// The leftmost-first match in `text` at or after `start` (unanchored, Go's `FindStringSubmatchIndex`):
    /// one range per group (index 0 the whole match), nil for groups that did not take part.
    package func firstMatch(in text: String, from start: String.Index? = nil) -> [Range<String.Index>?]? {
        guard let slots = RegexPikeVM(program: compiled.program)
            .run(text, from: start ?? text.startIndex, anchorStart: false, anchorEnd: false, wantCaptures: true) else { return nil }
        return stride(from: 0, to: slots.count, by: 2).map { slot in
            guard let lower = slots[slot], let upper = slots[slot + 1] else { return nil }
            return lower..<upper
        }
    }

    /// True when some part of `text` matches (Go's `MatchString`).
    package func matches(in text: String) -> Bool {
        RegexPikeVM(program: compiled.program)
            .run(text, from: text.startIndex, anchorStart: false, anchorEnd: false, wantCaptures: false) != nil
    }

    /// Go's `ReplaceAllString`: every non-overlapping match replaced by `template` expanded
    /// with `expand` (`$1`, `${1}`, `$name`, `${name}`, `$$`).
    package func replaceAll(in text: String, with template: String) -> String {
        let view = text.unicodeScalars
        var out = ""
        var lastMatchEnd = text.startIndex
        var searchPos = text.startIndex
        while searchPos <= text.endIndex, let match = firstMatch(in: text, from: searchPos), let whole = match[0] {
            out += text[lastMatchEnd..<whole.lowerBound]
            if whole.upperBound > lastMatchEnd || whole.lowerBound == text.startIndex {
                out += expand(template, captures: match.map { $0.map { text[$0] } })
            }
            lastMatchEnd = whole.upperBound
            if searchPos == text.endIndex { break }
            let width = view.index(after: searchPos)
            searchPos = width > whole.upperBound ? width : whole.upperBound
        }
        out += text[lastMatchEnd...]
        return out
    }

    /// Go's `regexp.Expand`: `$name` is the longest run of letters, digits and `_`; a number
    /// (no leading zero) names a group by index; unknown or unmatched groups expand to "";
    /// `$$` is `$`; a `$` that starts no valid reference is kept.
    package func expand(_ template: String, captures: [Substring?]) -> String {
        RE2Expand.expand(template, captures: captures, names: groupNames)
    }

    private static func substrings(_ slots: [String.Index?], in text: String) -> [Substring?] {
        stride(from: 0, to: slots.count, by: 2).map { slot in
            guard let lower = slots[slot], let upper = slots[slot + 1] else { return nil }
            return text[lower..<upper]
        }
    }

    package static func == (lhs: RE2Regex, rhs: RE2Regex) -> Bool {
        lhs.pattern == rhs.pattern && lhs.dotMatchesNewline == rhs.dotMatchesNewline
    }

    package func hash(into hasher: inout Hasher) {
        hasher.combine(pattern)
        hasher.combine(dotMatchesNewline)
    }
}

/// Go's `regexp.Expand` over already-matched groups.
package enum RE2Expand {
    package static func expand(_ template: String, captures: [Substring?], names: [String?]) -> String {
        var result = ""
        var rest = Substring(template)
        while let dollar = rest.unicodeScalars.firstIndex(of: "$") {
            result += rest[..<dollar]
            rest = rest[rest.unicodeScalars.index(after: dollar)...]
            if rest.unicodeScalars.first == "$" {
                result += "$"
                rest = rest[rest.unicodeScalars.index(after: rest.startIndex)...]
                continue
            }
            guard let (name, remainder) = extractName(rest) else {
                result += "$"
                continue
            }
            rest = remainder
            if let number = groupNumber(name) {
                if number < captures.count, let text = captures[number] { result += text }
            } else {
                for (index, groupName) in names.enumerated() where groupName == String(name) {
                    if index < captures.count, let text = captures[index] {
                        result += text
                        break
                    }
                }
            }
        }
        return result + rest
    }

    /// The reference after a `$`: `name` or `{name}`, name = letters, digits (Nd), `_`.
    private static func extractName(_ text: Substring) -> (Substring, Substring)? {
        var body = text
        let braced = body.unicodeScalars.first == "{"
        if braced { body = body[body.unicodeScalars.index(after: body.startIndex)...] }
        let scalars = body.unicodeScalars
        let end = scalars.firstIndex { !isNameScalar($0) } ?? scalars.endIndex
        guard end != scalars.startIndex else { return nil }
        let name = body[..<end]
        var remainder = body[end...]
        if braced {
            guard remainder.unicodeScalars.first == "}" else { return nil }
            remainder = remainder[remainder.unicodeScalars.index(after: remainder.startIndex)...]
        }
        return (name, remainder)
    }

    private static func isNameScalar(_ scalar: Unicode.Scalar) -> Bool {
        if scalar == "_" { return true }
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter, .decimalNumber: return true
        default: return false
        }
    }

    /// A group number: ASCII digits without a leading zero (except "0"), below 1e8.
    private static func groupNumber(_ name: Substring) -> Int? {
        var number = 0
        for scalar in name.unicodeScalars {
            guard scalar.value >= 48, scalar.value <= 57, number < 100_000_000 else { return nil }
            number = number * 10 + Int(scalar.value - 48)
        }
        if name.unicodeScalars.count > 1 && name.unicodeScalars.first == "0" { return nil }
        return number
    }
}
