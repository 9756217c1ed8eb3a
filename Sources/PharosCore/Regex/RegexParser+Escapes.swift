/// Backslash escapes and character classes (Go's `parseEscape`, `parseClass`,
/// `parseNamedClass`, `parseUnicodeClass`, `parsePerlClassEscape`).
extension RegexParser {
    /// A `\` outside a class: an assertion, `\Q…\E`, a class, or an escaped literal.
    mutating func parseBackslash(_ items: inout [RegexNode], _ flags: Flags) throws(RE2Error) {
        if let next = peek(1) {
            switch next {
            case 0x41: items.append(.beginText); pos += 2; return          // \A
            case 0x62: items.append(.wordBoundary); pos += 2; return       // \b
            case 0x42: items.append(.noWordBoundary); pos += 2; return     // \B
            case 0x7A: items.append(.endText); pos += 2; return            // \z
            case 0x43: throw RE2Error(.invalidEscape, text(pos, pos + 2))  // \C
            case 0x51:                                                      // \Q…\E
                pos += 2
                var end = src.count
                var resume = src.count
                var at = pos
                while at + 1 < src.count {
                    if src[at] == Self.backslash && src[at + 1] == 0x45 {
                        end = at
                        resume = at + 2
                        break
                    }
                    at += 1
                }
                for c in src[pos..<end] { items.append(literal(c, flags)) }
                pos = resume
                return
            case 0x70, 0x50:                                                // \p \P
                items.append(Self.node(for: try parseUnicodeClass(flags)))
                return
            default:
                if let perl = perlClass(next, flags) {
                    pos += 2
                    items.append(.charClass(perl))
                    return
                }
            }
        }
        items.append(literal(try parseEscape(), flags))
    }

    static func node(for cls: RegexCharClass) -> RegexNode {
        cls.isEmpty ? .noMatch : .charClass(cls)
    }

    /// `\d \D \s \S \w \W`, or nil for any other letter.
    func perlClass(_ letter: UInt32, _ flags: Flags) -> RegexCharClass? {
        guard var cls = RegexUnicodeClasses.perl[letter | 0x20] else { return nil }
        if flags.contains(.foldCase) { cls = cls.caseFolded() }
        return letter & 0x20 == 0 ? cls.negated() : cls
    }

    /// One escaped scalar at `pos` (on the backslash).
    mutating func parseEscape() throws(RE2Error) -> UInt32 {
        let start = pos
        pos += 1
        guard let c = peek() else { throw RE2Error(.trailingBackslash, "") }
        pos += 1
        func invalid(_ parser: RegexParser) -> RE2Error { RE2Error(.invalidEscape, parser.text(start, parser.pos)) }
        func isOctal(_ d: UInt32?) -> Bool { d.map { $0 >= 0x30 && $0 <= 0x37 } ?? false }
        switch c {
        case 0x30...0x37:
            // A single non-zero digit would be a backreference, which RE2 does not support.
            if c != 0x30 && !isOctal(peek()) { throw invalid(self) }
            var r = c - 0x30
            for _ in 1..<3 where isOctal(peek()) {
                r = r * 8 + peek()! - 0x30
                pos += 1
            }
            return r
        case 0x78:   // x
            guard let d = peek() else { throw invalid(self) }
            pos += 1
            if d == 0x7B {
                var value: UInt32 = 0
                var digits = 0
                while true {
                    guard let h = peek() else { throw invalid(self) }
                    pos += 1
                    if h == 0x7D { break }
                    guard let v = Self.unhex(h) else { throw invalid(self) }
                    value = value * 16 + v
                    if value > RegexCharClass.maxScalar { throw invalid(self) }
                    digits += 1
                }
                if digits == 0 { throw invalid(self) }
                return value
            }
            let e = peek()
            if e != nil { pos += 1 }
            guard let x = Self.unhex(d), let e, let y = Self.unhex(e) else { throw invalid(self) }
            return x * 16 + y
        case 0x61: return 0x07   // \a
        case 0x66: return 0x0C   // \f
        case 0x6E: return 0x0A   // \n
        case 0x72: return 0x0D   // \r
        case 0x74: return 0x09   // \t
        case 0x76: return 0x0B   // \v
        default:
            // Escaped ASCII punctuation is itself; letters and digits without meaning are errors.
            if c < 0x80 && !Self.isAlnum(c) { return c }
            throw invalid(self)
        }
    }

    static func unhex(_ c: UInt32) -> UInt32? {
        switch c {
        case 0x30...0x39: c - 0x30
        case 0x41...0x46: c - 0x41 + 10
        case 0x61...0x66: c - 0x61 + 10
        default: nil
        }
    }

    static func isAlnum(_ c: UInt32) -> Bool {
        (0x30...0x39).contains(c) || (0x41...0x5A).contains(c) || (0x61...0x7A).contains(c)
    }

    /// `\pL`, `\p{Greek}`, `\PL`, `\p{^L}` at `pos`.
    mutating func parseUnicodeClass(_ flags: Flags) throws(RE2Error) -> RegexCharClass {
        let start = pos
        var negated = src[pos + 1] == 0x50
        pos += 2
        var name: String
        if peek() == 0x7B {
            guard let end = src[pos...].firstIndex(of: 0x7D) else {
                throw RE2Error(.invalidCharRange, text(start, src.count))
            }
            name = text(pos + 1, end)
            pos = end + 1
        } else if peek() != nil {
            name = text(pos, pos + 1)
            pos += 1
        } else {
            name = ""
        }
        let sequence = text(start, pos)
        if name.hasPrefix("^") {
            negated.toggle()
            name.removeFirst()
        }
        guard var table = RegexUnicodeClasses.table(name) else { throw RE2Error(.invalidCharRange, sequence) }
        if flags.contains(.foldCase) { table = table.caseFolded() }
        return negated ? table.negated() : table
    }

    /// `[…]` at `pos`.
    mutating func parseClass(_ flags: Flags) throws(RE2Error) -> RegexNode {
        let start = pos
        pos += 1
        var negated = false
        if peek() == 0x5E {
            negated = true
            pos += 1
        }
        let fold = flags.contains(.foldCase)
        var ranges: [ClosedRange<UInt32>] = []
        var first = true
        while peek() != 0x5D || first {
            first = false
            if peek() == 0x5B, peek(1) == 0x3A, pos + 2 < src.count, let named = try parseNamedClass(fold) {
                ranges += named.ranges
                continue
            }
            if peek() == Self.backslash, let next = peek(1) {
                if next == 0x70 || next == 0x50 {
                    ranges += try parseUnicodeClass(flags).ranges
                    continue
                }
                if let perl = perlClass(next, flags) {
                    pos += 2
                    ranges += perl.ranges
                    continue
                }
            }
            let rangeStart = pos
            let lo = try parseClassChar(classStart: start)
            var hi = lo
            if peek() == 0x2D, let next = peek(1), next != 0x5D {
                pos += 1
                hi = try parseClassChar(classStart: start)
                if hi < lo { throw RE2Error(.invalidCharRange, text(rangeStart, pos)) }
            }
            let item = RegexCharClass([lo...hi])
            ranges += fold ? item.caseFolded().ranges : item.ranges
        }
        pos += 1
        let cls = RegexCharClass(ranges)
        return Self.node(for: negated ? cls.negated() : cls)
    }

    private mutating func parseClassChar(classStart: Int) throws(RE2Error) -> UInt32 {
        guard let c = peek() else { throw RE2Error(.missingBracket, text(classStart, src.count)) }
        if c == Self.backslash { return try parseEscape() }
        pos += 1
        return c
    }

    /// `[:alpha:]` or `[:^alpha:]` at `pos`; nil (nothing consumed) when no `:]` follows.
    private mutating func parseNamedClass(_ fold: Bool) throws(RE2Error) -> RegexCharClass? {
        var end = pos + 2
        while end + 1 < src.count, !(src[end] == 0x3A && src[end + 1] == 0x5D) { end += 1 }
        guard end + 1 < src.count else { return nil }
        let fullName = text(pos, end + 2)
        var inner = text(pos + 2, end)
        let negated = inner.hasPrefix("^")
        if negated { inner.removeFirst() }
        guard var cls = RegexUnicodeClasses.posix[inner] else { throw RE2Error(.invalidCharRange, fullName) }
        if fold { cls = cls.caseFolded() }
        pos = end + 2
        return negated ? cls.negated() : cls
    }
}
