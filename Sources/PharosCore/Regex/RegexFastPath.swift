/// Whole-match shortcuts for the shapes Prometheus' `FastRegexMatcher` optimises: `.*`, `.+`,
/// a literal, a set of literal alternatives (also under `(?i)`), and literals joined by `.*`
/// (prefix, suffix, contains). Captures are ignored: callers use these only for yes/no answers.
/// Literals compare by UTF-8 bytes, never by Swift's canonical equivalence.
enum RegexFastPath: Sendable {
    case always
    case nonEmpty
    case literals(Set<ByteString>)
    /// Keys are case-folded with `RegexCaseFolding.canonical`.
    case foldedLiterals(Set<ByteString>)
    /// `seg0 .* seg1 .* … segN`; the first and last segments may be empty.
    case glob([String])

    /// A string hashed and compared by its bytes.
    struct ByteString: Hashable, Sendable {
        let text: String
        init(_ text: String) { self.text = text }
        static func == (lhs: ByteString, rhs: ByteString) -> Bool { lhs.text.utf8.elementsEqual(rhs.text.utf8) }
        func hash(into hasher: inout Hasher) {
            hasher.combine(text.utf8.count)
            for byte in text.utf8 { hasher.combine(byte) }
        }
    }

    func matches(_ value: String) -> Bool {
        switch self {
        case .always: return true
        case .nonEmpty: return !value.isEmpty
        case .literals(let set): return set.contains(ByteString(value))
        case .foldedLiterals(let set): return set.contains(ByteString(Self.folded(value)))
        case .glob(let segments): return Self.globMatches(segments, value)
        }
    }

    static func folded(_ value: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in value.unicodeScalars {
            out.append(Unicode.Scalar(RegexCaseFolding.canonical(scalar.value)) ?? scalar)
        }
        return String(out)
    }

    private static func globMatches(_ segments: [String], _ value: String) -> Bool {
        var bytes = Substring(value).utf8[...]
        let first = segments[0].utf8, last = segments[segments.count - 1].utf8
        guard bytes.count >= first.count + last.count, bytes.starts(with: first) else { return false }
        bytes = bytes.dropFirst(first.count)
        guard bytes.reversed().starts(with: last.reversed()) else { return false }
        bytes = bytes.dropLast(last.count)
        for segment in segments.dropFirst().dropLast() where !segment.isEmpty {
            guard let found = firstRange(of: segment.utf8, in: bytes) else { return false }
            bytes = bytes[found...]
        }
        return true
    }

    /// The index just past the first occurrence of `needle` in `haystack`.
    private static func firstRange(of needle: String.UTF8View, in haystack: Substring.UTF8View.SubSequence) -> String.Index? {
        guard let head = needle.first else { return haystack.startIndex }
        var index = haystack.startIndex
        while let candidate = haystack[index...].firstIndex(of: head) {
            let rest = haystack[candidate...]
            if rest.starts(with: needle) { return haystack.index(candidate, offsetBy: needle.count) }
            index = haystack.index(after: candidate)
        }
        return nil
    }
}

extension RegexFastPath {
    /// The shortcut for `node`, if it has one of the shapes above.
    static func analyze(_ node: RegexNode) -> RegexFastPath? {
        var items = flatten(node)
        if case .beginText = items.first { items.removeFirst() }
        if case .endText = items.last { items.removeLast() }
        if items.count == 1 {
            switch items[0] {
            case .repeat(.anyChar, 0, -1, _): return .always
            case .repeat(.anyChar, 1, -1, _): return .nonEmpty
            case .alternate(let branches): return literalSet(branches)
            default: break
            }
        }
        if items.allSatisfy({ if case .literal = $0 { true } else { false } }) {
            return literalSet([.concat(items)])
        }
        // Literals and `.*` only.
        var segments = [""]
        for item in items {
            switch item {
            case .literal(let c, false):
                guard let scalar = Unicode.Scalar(c) else { return nil }
                segments[segments.count - 1].unicodeScalars.append(scalar)
            case .repeat(.anyChar, 0, -1, _):
                segments.append("")
            default:
                return nil
            }
        }
        return .glob(segments)
    }

    /// The case-sensitive literal text every whole match begins with ("" when none).
    static func literalPrefix(_ node: RegexNode) -> String {
        var prefix = String.UnicodeScalarView()
        var items = flatten(node)[...]
        if case .beginText = items.first { items = items.dropFirst() }
        for item in items {
            guard case .literal(let c, false) = item, let scalar = Unicode.Scalar(c) else { break }
            prefix.append(scalar)
        }
        return String(prefix)
    }

    /// The literals of a plain case-sensitive alternation (`a|b|c`, `foo`, `(foo|bar)`), for
    /// postings look-ups; nil for any other shape.
    static func literalAlternatives(_ node: RegexNode) -> [String]? {
        var items = flatten(node)
        if case .beginText = items.first { items.removeFirst() }
        if case .endText = items.last { items.removeLast() }
        let branches: [RegexNode]
        if items.count == 1, case .alternate(let alternatives) = items[0] { branches = alternatives } else { branches = [.concat(items)] }
        var out: [String] = []
        for branch in branches {
            guard let (text, folded) = literalText(branch), !folded else { return nil }
            out.append(text)
        }
        return out
    }

    private static func literalSet(_ branches: [RegexNode]) -> RegexFastPath? {
        var exact: [String] = []
        var anyFolded = false
        for branch in branches {
            guard let (text, folded) = literalText(branch) else { return nil }
            anyFolded = anyFolded || folded
            exact.append(text)
        }
        if !anyFolded { return .literals(Set(exact.map(ByteString.init))) }
        // Mixed case-sensitive and folded branches need the general matcher.
        for branch in branches {
            guard let (_, folded) = literalText(branch), folded || !hasFoldable(branch) else { return nil }
        }
        return .foldedLiterals(Set(exact.map { ByteString(folded($0)) }))
    }

    /// A branch made only of literals: its text and whether every foldable scalar is folded;
    /// nil when it has other nodes or mixes folded and unfolded scalars with case variants.
    private static func literalText(_ node: RegexNode) -> (String, Bool)? {
        var text = String.UnicodeScalarView()
        var folded: Bool?
        for item in flatten(node) {
            guard case .literal(let c, let fold) = item, let scalar = Unicode.Scalar(c) else { return nil }
            if RegexCaseFolding.orbit(c) != nil {
                if let folded, folded != fold { return nil }
                folded = fold
            }
            text.append(scalar)
        }
        return (String(text), folded ?? false)
    }

    private static func hasFoldable(_ node: RegexNode) -> Bool {
        flatten(node).contains { if case .literal(let c, _) = $0 { RegexCaseFolding.orbit(c) != nil } else { false } }
    }

    /// Concatenations and captures opened up into one list of items.
    static func flatten(_ node: RegexNode) -> [RegexNode] {
        switch node {
        case .empty: return []
        case .concat(let subs): return subs.flatMap(flatten)
        case .capture(_, _, let sub): return flatten(sub)
        default: return [node]
        }
    }
}
